import regex
from hypothesis import given
from hypothesis import strategies as st

from smartmed.content.snippets import ELLIPSIS, excerpt, reading_minutes


def test_short_text_is_kept_whole() -> None:
    assert excerpt("Breathe out slowly.", 100) == "Breathe out slowly."


def test_long_text_is_cut_at_a_sentence_end_when_one_is_near() -> None:
    text = "Breathe out slowly and let your shoulders drop. Then notice your feet on the floor."
    assert excerpt(text, 60) == "Breathe out slowly and let your shoulders drop."


def test_otherwise_it_is_cut_at_a_word_boundary_with_an_ellipsis() -> None:
    text = "Slow breathing settles the body because a long exhale calms the heart rate down"
    cut = excerpt(text, 40)
    assert cut.endswith(ELLIPSIS)
    assert text.startswith(cut[:-1])
    assert text[len(cut) - 1] == " "


def test_an_emoji_with_modifiers_is_never_split() -> None:
    astronaut = "👩🏽‍🚀"
    cut = excerpt(astronaut * 10, 12)
    assert cut.endswith(ELLIPSIS)
    assert regex.findall(r"\X", cut[:-1]) == [astronaut] * (len(cut[:-1]) // len(astronaut))


@given(st.text(min_size=1, max_size=400), st.integers(min_value=2, max_value=300))
def test_excerpt_never_exceeds_the_limit_nor_splits_a_word(text: str, limit: int) -> None:
    cut = excerpt(text, limit)
    normal = " ".join(text.split())
    first_cluster = regex.match(r"\X", normal)
    assert len(cut) <= max(limit, len(first_cluster.group()) + 1 if first_cluster else 0)
    if cut != normal:
        stem = cut.removesuffix(ELLIPSIS)
        assert normal.startswith(stem)
        boundary = normal[len(stem) : len(stem) + 1]
        clusters = regex.findall(r"\X", normal)
        assert boundary in {"", " "} or stem.endswith((".", "!", "?", "…")) or (
            "".join(clusters[: len(regex.findall(r"\X", stem))]) == stem
        )


def test_reading_time_is_at_least_one_minute_at_200_words_a_minute() -> None:
    assert reading_minutes(0) == 1
    assert reading_minutes(10) == 1
    assert reading_minutes(401) == 3


def test_a_long_text_is_cut_as_if_it_were_normalized_whole() -> None:
    words = " ".join(f"word{n}" for n in range(2000))
    assert excerpt(words, 50) == excerpt(" ".join(words.split()), 50)
    spaced = " " * 5000 + "Calm breathing helps. " + words
    assert excerpt(spaced, 60).startswith("Calm breathing helps.")
    assert len(excerpt(spaced, 60)) <= 60


@given(st.text(alphabet=st.one_of(st.sampled_from(" \t\n\r\x0b\x0c\x1c\x1f\x85\xa0\u2003x."),
                                  st.characters()), max_size=80))
def test_word_count_is_the_number_of_whitespace_separated_words(text: str) -> None:
    from smartmed.content.snippets import word_count

    assert word_count(text) == len(text.split())
    ascii_only = text.encode("ascii", "ignore").decode()
    assert word_count(ascii_only) == len(ascii_only.split())
