"""The real editorial library: size, spread and originality of the tips."""

import datetime as dt
import itertools
import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

from smartmed.content.loader import load
from smartmed.content.observances import RulePin
from smartmed.content.rotation import Rotations

CONTENT = Path(__file__).resolve().parent.parent / "content"

STOPWORDS = frozenset(
    """
    a an the and or but if so of to in on at by for with from into onto over under about
    after before as is are was were be been being am do does did doing have has had having
    it its it's this that these those there here then than too very can could will would
    should may might must shall you your yours yourself i me my we us our they them their
    he she his her him not no nor only just also even up down out off again once all any
    each few more most other some such own same what which who whom when where why how let
    lets get gets one two
    """.split()  # noqa: SIM905 - a word list reads best as text
)


def load_tips() -> list[dict]:
    tips: list[dict] = []
    for path in sorted((CONTENT / "tips").glob("*.yaml")):
        tips.extend(yaml.safe_load(path.read_text(encoding="utf-8")) or [])
    return tips


def words(text: str) -> list[str]:
    return re.sub(r"[^\w\s]", " ", text.lower().replace("’", "").replace("'", "")).split()


def shingles(text: str, n: int = 5) -> set[tuple[str, ...]]:
    w = words(text)
    return {tuple(w[i : i + n]) for i in range(len(w) - n + 1)}


def content_words(text: str) -> set[str]:
    return {w for w in words(text) if w not in STOPWORDS}


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


@pytest.fixture(scope="module")
def tips() -> list[dict]:
    return load_tips()


def test_library_holds_a_year_of_unpinned_tips(tips: list[dict]) -> None:
    unpinned = [t for t in tips if "date" not in t]
    assert len(unpinned) >= 366


def test_every_topic_has_at_least_thirty_tips(tips: list[dict]) -> None:
    counts = Counter(t["topic"] for t in tips)
    assert len(counts) >= 6
    assert min(counts.values()) >= 30, counts


def test_tips_are_short_plain_text(tips: list[dict]) -> None:
    for tip in tips:
        assert len(tip["text"]) <= 180, tip["id"]
        assert "<" not in tip["text"] and "http" not in tip["text"], tip["id"]


def test_no_two_tips_share_a_five_word_sequence(tips: list[dict]) -> None:
    seen: dict[tuple[str, ...], str] = {}
    clashes = []
    for tip in tips:
        for gram in shingles(tip["text"]):
            if gram in seen and seen[gram] != tip["id"]:
                clashes.append((seen[gram], tip["id"], " ".join(gram)))
            seen.setdefault(gram, tip["id"])
    assert not clashes, clashes[:20]


def test_no_two_tips_are_near_duplicates(tips: list[dict]) -> None:
    sets = [(t["id"], content_words(t["text"])) for t in tips]
    close = [
        (a, b, round(jaccard(sa, sb), 2))
        for (a, sa), (b, sb) in itertools.combinations(sets, 2)
        if jaccard(sa, sb) > 0.5
    ]
    assert not close, close[:20]


def test_at_least_a_third_of_tips_link_to_an_article(tips: list[dict]) -> None:
    linked = [t for t in tips if t.get("article")]
    assert len(linked) * 3 >= len(tips)
    slugs = {p.stem for p in (CONTENT / "articles").glob("*.md")}
    assert {t["article"] for t in linked} <= slugs


MEDICATION_WORDS = re.compile(
    r"\b(mg|milligram|dose|dosage|pill|pills|tablet|prescription|medication|"
    r"medicine|drug|drugs|cure|cures|diagnos\w*)\b",
    re.IGNORECASE,
)


def test_tips_give_no_medication_advice_diagnosis_or_cure(tips: list[dict]) -> None:
    flagged = [t["id"] for t in tips if MEDICATION_WORDS.search(t["text"])]
    assert not flagged, flagged


# Symptoms that the grounding, stress, movement and sleep articles send to a doctor when
# new, different or persistent (chest pain, breathlessness, fainting, loud snoring).
RED_FLAG_SYMPTOMS = re.compile(r"chest pain|in your chest|breathless|faint|snor", re.IGNORECASE)
POINTS_TO_CARE = re.compile(r"\b(?:GP|doctor|medical help)\b")


def test_a_tip_naming_a_red_flag_symptom_also_points_to_medical_help(tips: list[dict]) -> None:
    """Never reassure absolutely about a physical symptom: a tip that names one says when
    to get it checked, as the articles do (a tip once called snoring 'not a sign of
    trouble'; another promised breathing eases 'that tight feeling in your chest')."""
    flagged = [t["id"] for t in tips
               if RED_FLAG_SYMPTOMS.search(t["text"]) and not POINTS_TO_CARE.search(t["text"])]
    assert not flagged, flagged


# Techniques that change the breath on purpose (pace, hold, extra air): the stress article
# tells readers to go back to normal breathing if they feel dizzy or light-headed.
PACED_BREATHING = frozenset({"long-out-breath", "box-breathing", "physiological-sigh",
                             "belly-breathing"})
DIZZINESS_CAVEAT = re.compile(r"dizz|light-headed|head swim", re.IGNORECASE)


def test_a_paced_breathing_tip_says_what_to_do_if_it_makes_you_dizzy(tips: list[dict]) -> None:
    """Four breathing tips once taught a paced breath without the stress article's caveat."""
    paced = [t for t in tips if t.get("technique") in PACED_BREATHING]
    assert len(paced) >= 4
    missing = [t["id"] for t in paced if not DIZZINESS_CAVEAT.search(t["text"])]
    assert not missing, missing


def test_each_observance_pin_wins_its_day_in_every_rotation_it_belongs_to() -> None:
    library = load(CONTENT, today=dt.date(2026, 11, 27))
    rotations = Rotations(library.tips)
    pinned = [t for t in library.tips if t.pin is not None]
    assert len(pinned) >= 4
    for tip in pinned:
        pin = tip.pin
        day = pin.day_in(2027) if isinstance(pin, RulePin) else \
            dt.date(pin.year or 2027, pin.month, pin.day)
        assert rotations.tip_for(tip.lang, None, day) == tip
        assert rotations.tip_for(tip.lang, tip.topic, day) == tip
        before = day - dt.timedelta(days=1)
        assert rotations.tip_for(tip.lang, None, before) != tip


def test_a_full_year_including_a_leap_day_shows_no_tip_twice() -> None:
    library = load(CONTENT, today=dt.date(2026, 11, 27))
    rotations = Rotations(library.tips)
    start = dt.date(2028, 1, 1)  # 2028 is a leap year
    shown = [rotations.tip_for("en", None, start + dt.timedelta(days=n)) for n in range(366)]
    assert all(shown)
    assert len({t.id for t in shown if t}) == 366


def test_the_site_topic_list_is_exactly_what_the_content_uses() -> None:

    library = load(CONTENT, today=dt.date(2026, 11, 27))
    used = {t.topic for t in library.tips} | {x for a in library.articles for x in a.topics}
    assert used == {t.id for t in library.site.topics}
    assert len(library.articles) >= 8
    assert len({x for a in library.articles for x in a.topics}) >= 5


PROFESSIONAL_HELP = re.compile(r"\b(GP|doctor|therapist|professional|crisis line)\b")
TREATMENT_WORDS = re.compile(r"\b(medication|medicine|prescri\w+|therapy|treatment)\b", re.I)


def test_articles_are_substantial_structured_and_end_pointing_to_help() -> None:
    library = load(CONTENT, today=dt.date(2026, 11, 27))
    for article in library.articles:
        words = article.word_count
        assert 500 <= words <= 1200, (article.slug, words)
        assert "<h2>" in article.html and ("<ul>" in article.html or "<ol>" in article.html)
        assert article.summary, article.slug
        last_paragraph = article.html.rsplit("<p>", 1)[-1]
        assert PROFESSIONAL_HELP.search(last_paragraph), article.slug
        assert "team" in article.author


def test_articles_about_medication_or_treatment_are_marked_medical() -> None:
    library = load(CONTENT, today=dt.date(2026, 11, 27))
    baclofen = library.article("can-baclofen-help-anxiety")
    assert baclofen is not None and baclofen.medical
    for article in library.articles:
        if "medication" in article.topics or "therapy" in article.topics:
            assert article.medical, article.slug
