import datetime as dt
from pathlib import Path

import pytest

from helpers import TODAY, ContentFactory, article, tip, translated_or_other
from smartmed.content.loader import check, content_version, load
from smartmed.content.problems import ContentError


def problems(root: Path, today: dt.date = TODAY) -> list[str]:
    _library, report = check(root, today=today)
    return [str(p) for p in report.problems]


def test_valid_content_loads_into_an_immutable_library(content_dir: Path) -> None:
    library = load(content_dir, today=TODAY)
    assert [a.slug for a in library.articles] == ["calm-down", "sleep-better"]
    assert len(library.tips) == 8
    assert set(library.partners) == {"calm-clinic", "open-partner"}
    assert library.articles[0].html.startswith("<p>Rest matters.")
    with pytest.raises(AttributeError):
        library.articles[0].title = "x"


def test_every_problem_is_reported_with_path_line_and_field(make_content: ContentFactory) -> None:
    root = make_content({
        "articles/bad.md": article(topics="[slep]", extra="tittle: typo\n").replace(
            "published: 2026-11-01", "published: 2026-13-01"),
        "tips/bad.yaml": (
            tip("sleep-1")  # duplicate of tips/sleep.yaml
            + tip("long-one", text="x" * 281)
            + tip("orphan", extra="article: no-such-article")
            + "- id: missing-text\n  topic: sleep\n  added: 2026-01-01\n"
        ),
    })
    found = problems(root)
    assert "content/articles/bad.md:3: topics: unknown topic 'slep'; known: sleep, anxiety, " \
        "stress" in found
    assert any(p.startswith("content/articles/bad.md:7: published: '2026-13-01' is not a date")
               for p in found)
    assert any(p.startswith("content/articles/bad.md:12: tittle: unknown field (did you mean "
                            "'title'?)") for p in found)
    assert "content/tips/sleep.yaml:1: id: duplicate tip id 'sleep-1' (first in " \
        "content/tips/bad.yaml:1)" in found
    assert "content/tips/bad.yaml:7: text: is 281 characters long; the limit is 180" in found
    assert "content/tips/bad.yaml:15: article: 'no-such-article' names no article in " \
        "articles/" in found
    assert "content/tips/bad.yaml:17: text: required field is missing" in found
    assert "content/tips/bad.yaml:17: technique: required field is missing" in found


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"articles/x.md": article().replace("next_review: 2027-05-02", "next_review: 2026-10-01")},
         "content/articles/x.md:9: next_review: 2026-10-01 must be after last_reviewed"),
        ({"articles/x.md": article(body="\n\n")}, "content/articles/x.md:13: body: is empty"),
        ({"articles/x.md": "title: no front matter\n"},
         "content/articles/x.md:1: front matter: must start with a line '---'"),
        ({"articles/x.md": "---\ntitle: [unclosed\n---\nbody\n"},
         "content/articles/x.md:3: yaml: invalid YAML: did not find expected ',' or ']' "
         "(while parsing a flow sequence started on line 2)"),
        ({"articles/x.md": article().replace("medical: false", "medical: maybe")},
         "content/articles/x.md:10: medical: must be true or false"),
        ({"articles/Bad_Name.md": article()}, "content/articles/Bad_Name.md:1: slug: file name"),
        ({"tips/t.yaml": tip("t1", topic="cooking")},
         "content/tips/t.yaml:3: topic: 'cooking' is not one of"),
        ({"tips/t.yaml": tip("t1", added="yesterday")},
         "content/tips/t.yaml:4: added: 'yesterday' is not a date"),
        ({"tips/t.yaml": tip("t1", extra='date: "02-30"')},
         "content/tips/t.yaml:5: date: '02-30' is not a pin"),
        ({"tips/t.yaml": tip("a", extra='date: "10-10"') + tip("b", extra='date: "10-10"')},
         "content/tips/t.yaml:11: date: 10-10 is already pinned to tip a"),
        ({"tips/t.yaml": tip("a", extra='date: "10-10"') + tip("b", extra="date: 2027-10-10")},
         "content/tips/t.yaml:11: date: 2027-10-10 is already pinned to tip a"),
        ({"tips/t.yaml": tip("a", added="2026-06-01", extra="date: 2026-05-01")},
         "content/tips/t.yaml:5: date: pinned day 2026-05-01 is before the tip's added date"),
        ({"tips/t.yaml": "id: not-a-list\n"},
         "content/tips/t.yaml:1: file: must be a YAML list of entries"),
        ({"tips/t.yaml": tip("a", text="bell\x07 here")},
         "content/tips/t.yaml:2: yaml: control character U+0007 is not allowed"),
        ({"partners.yaml": "- id: p\n  name: P\n  origins: [https://p.example/path]\n"},
         "content/partners.yaml:3: origins: 'https://p.example/path' must be an origin only"),
        ({"site.yaml": "name: x\n"}, "content/site.yaml:1: base_url: required field is missing"),
        ({"site.yaml": None, "tips/t.yaml": tip("x")}, None),
    ],
)
def test_each_kind_of_problem_is_caught(make_content: ContentFactory, files: dict,
                                        expected: str | None) -> None:
    root = make_content(files)
    if files.get("site.yaml", "") is None:
        (root / "site.yaml").unlink(missing_ok=True)
        expected = "content/site.yaml:1: file: site.yaml is missing"
    found = problems(root)
    assert any(p.startswith(expected) for p in found), found


def test_non_utf8_and_oversized_files_are_refused_with_a_message(
    make_content: ContentFactory,
) -> None:
    root = make_content()
    (root / "tips" / "latin1.yaml").write_bytes(b"- id: a\n  text: caf\xe9\n")
    (root / "articles" / "huge.md").write_text(article(body="word " * 60000), encoding="utf-8")
    found = problems(root)
    assert "content/tips/latin1.yaml:2: file: is not UTF-8 (byte 19)" in found
    assert any(p.startswith("content/articles/huge.md:1: file: is ") and "the limit is 262144"
               in p for p in found)


def test_duplicate_slugs_in_subfolders_are_an_error(make_content: ContentFactory) -> None:
    root = make_content({"articles/2026/sleep-better.md": article()})
    assert any("duplicate slug 'sleep-better'" in p for p in problems(root))


def test_an_overdue_review_is_a_warning_not_an_error(content_dir: Path) -> None:
    library, report = check(content_dir, today=dt.date(2028, 1, 1))
    assert library is not None
    assert report.errors == []
    assert any("next_review: warning: review was due on 2027-05-02" in str(p)
               for p in report.warnings)
    assert library.warnings


def test_load_raises_with_every_problem(make_content: ContentFactory) -> None:
    root = make_content({"tips/t.yaml": tip("a", topic="x") + tip("b", topic="y")})
    with pytest.raises(ContentError) as info:
        load(root, today=TODAY)
    assert len([p for p in info.value.problems if not p.warning]) == 2


def test_content_version_changes_with_any_byte(content_dir: Path) -> None:
    before = content_version(content_dir)
    assert before == content_version(content_dir)
    (content_dir / "tips" / "sleep.yaml").write_text(
        (content_dir / "tips" / "sleep.yaml").read_text() + "\n", encoding="utf-8")
    assert content_version(content_dir) != before


def test_a_missing_directory_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    assert problems(tmp_path / "nowhere") == [
        f"{tmp_path / 'nowhere'}:1: directory: does not exist or is not a directory"]


def test_summary_defaults_to_an_excerpt_of_the_body(content_dir: Path) -> None:
    article = load(content_dir, today=TODAY).article("sleep-better")
    assert article is not None
    assert article.summary.startswith("Rest matters.")
    assert article.reading_minutes == 1


def test_compiling_in_worker_processes_gives_the_same_library_and_problems(
    make_content: ContentFactory,
) -> None:
    files = {f"articles/a{n:02d}.md": article(f"Article {n}", published=f"2026-10-{n:02d}")
             for n in range(1, 9)}
    files["articles/bad.md"] = article(topics="[nope]")
    root = make_content(files)
    in_process = check(root, today=TODAY)
    in_workers = check(root, today=TODAY, parallel_min=1)
    assert in_workers[0] is None and in_process[0] is None
    assert [str(p) for p in in_workers[1].problems] == [str(p) for p in in_process[1].problems]
    (root / "articles" / "bad.md").unlink()
    assert check(root, today=TODAY, parallel_min=1)[0] == check(root, today=TODAY)[0]


def test_a_reload_thread_compiles_in_workers_alone_and_gets_the_same_result(
    make_content: ContentFactory,
) -> None:
    from concurrent.futures import ThreadPoolExecutor

    files = {f"articles/a{n:02d}.md": article(f"Article {n}", published=f"2026-10-{n:02d}")
             for n in range(1, 20)}
    files["articles/bad.md"] = article(topics="[nope]")
    files["tips/bad.yaml"] = tip("x", topic="nope")
    root = make_content(files)
    with ThreadPoolExecutor(1) as thread:  # not the main thread: it only waits for workers
        in_workers = thread.submit(check, root, today=TODAY, parallel_min=1).result()
    in_process = check(root, today=TODAY)
    assert [str(p) for p in in_workers[1].problems] == [str(p) for p in in_process[1].problems]
    (root / "articles" / "bad.md").unlink()
    (root / "tips" / "bad.yaml").unlink()
    with ThreadPoolExecutor(1) as thread:
        library = thread.submit(check, root, today=TODAY, parallel_min=1).result()[0]
    assert library is not None and library == check(root, today=TODAY)[0]


def test_problems_keep_their_order_articles_then_tips_then_partners(
    make_content: ContentFactory,
) -> None:
    root = make_content({
        "articles/b.md": article(topics="[nope]"),
        "articles/a.md": article(topics="[nope]", published="2026-11-02"),
        "tips/t.yaml": tip("t", topic="nope"),
        "partners.yaml": "- id: p\n  name: P\n  origins: [ftp://x]\n",
    })
    for parallel_min in (1, 10_000):
        found = [p.split(":")[0] for p in problems_with(root, parallel_min)
                 if translated_or_other(p)]
        assert found == ["content/articles/a.md", "content/articles/b.md",
                         "content/tips/t.yaml", "content/partners.yaml"]


def problems_with(root: Path, parallel_min: int) -> list[str]:
    return [str(p) for p in check(root, today=TODAY, parallel_min=parallel_min)[1].problems]


def test_the_version_of_a_load_is_the_version_of_its_directory(
    make_content: ContentFactory,
) -> None:
    root = make_content({"README.txt": "not content, still versioned\n",
                         "articles/notes.txt": "ignored by the loader\n"})
    for parallel_min in (1, 10_000):
        library = check(root, today=TODAY, parallel_min=parallel_min)[0]
        assert library is not None and library.version == content_version(root)


def test_paths_are_listed_in_the_order_sorted_gives(tmp_path: Path) -> None:
    from smartmed.content.loader import _sorted

    names = ["b.md", "a.md", "a-b.md", "a/b.md", "a b.md", "A.md", "a.md.md", "é.md", "z/a.md",
             "a/a/a.md", "-.md", "a.b/c.md", "a/.md"]
    paths = [tmp_path / "articles" / name for name in names]
    assert _sorted(paths) == sorted(paths)
    assert _sorted(Path(n) for n in names) == sorted(Path(n) for n in names)


def test_a_body_too_deep_to_render_is_reported_among_articles_that_render(
    make_content: ContentFactory,
) -> None:
    root = make_content({
        "articles/deep.md": article(body="intro\n\n" + "> " * 5000 + "deep\n"),
        "articles/after.md": article("After", published="2026-11-03"),
    })
    library, report = check(root, today=TODAY)
    assert library is None
    assert [str(p) for p in report.problems if translated_or_other(p)] == [
        "content/articles/deep.md:16: body: line 4 is nested more than 1000 levels deep"]
    (root / "articles" / "deep.md").unlink()
    library = load(root, today=TODAY)
    assert [a.slug for a in library.articles] == ["calm-down", "after", "sleep-better"]
