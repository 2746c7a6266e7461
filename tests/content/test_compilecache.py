"""The compile cache: a load with it gives exactly what a load without it gives (library,
problems in order, version), and compiles only what changed (counted by the cache's own
statistics, never timed)."""

from __future__ import annotations

import datetime as dt
import importlib.util
import logging
import sqlite3
import threading
from pathlib import Path
from typing import Any

import pytest

from helpers import REVIEWERS, SITE, TODAY, ContentFactory, article, tip
from smartmed.content import bundled, compilecache
from smartmed.content.cachestore import FILE_NAME, Stats
from smartmed.content.loader import check
from smartmed.ops import reload
from smartmed.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


def same(root: Path, cache: compilecache.CompileCache, today: dt.date = TODAY,
         **settings: Any) -> compilecache.CompileCache:
    """Load ``root`` without the cache and with it: the two must be equal in every part."""
    plain, plain_report = check(root, today=today, **settings)
    cached, cached_report = check(root, today=today, cache=cache, **settings)
    assert cached_report.problems == plain_report.problems
    assert cached == plain
    if plain is not None:
        assert cached is not None and cached.version == plain.version
    return cache


def counts(cache: compilecache.CompileCache) -> tuple[int, int]:
    """(hits, misses) so far, then reset: what the next load did."""
    found = (cache.stats.hits, cache.stats.misses)
    cache.stats = Stats()
    return found


@pytest.fixture
def cache(tmp_path: Path) -> compilecache.CompileCache:
    return compilecache.CompileCache(tmp_path / "state")


def test_bundled_content_is_the_same_cold_and_warm(cache: compilecache.CompileCache) -> None:
    root = bundled.content_dir()
    articles = len(list((root / "articles").rglob("*.md")))
    same(root, cache)
    assert counts(cache) == (0, articles)
    same(root, cache)
    assert counts(cache) == (articles, 0)
    assert (cache.path.parent / FILE_NAME).is_file()


def test_generated_content_is_the_same_cold_and_warm(tmp_path: Path,
                                                     cache: compilecache.CompileCache) -> None:
    spec = importlib.util.spec_from_file_location("generate", ROOT / "bench" / "generate.py")
    assert spec and spec.loader
    generate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generate)
    root = generate.generate(tmp_path / "generated", 60, 40)
    same(root, cache)
    same(root, cache)
    assert counts(cache) == (60, 60)


def test_one_edited_article_is_the_only_one_compiled_again(
        make_content: ContentFactory, cache: compilecache.CompileCache) -> None:
    root = make_content({f"articles/a-{n}.md": article(f"Article {n}") for n in range(5)})
    same(root, cache)
    counts(cache)
    edited = root / "articles" / "a-3.md"
    edited.write_text(edited.read_text().replace("Rest matters.", "Rest matters a lot."))
    same(root, cache)
    assert counts(cache) == (6, 1)  # the uncached load is not counted: it has no cache
    same(root, cache)
    assert counts(cache) == (7, 0)


def test_a_deleted_article_is_pruned(make_content: ContentFactory,
                                     cache: compilecache.CompileCache) -> None:
    root = make_content({"articles/extra.md": article("Extra")})
    same(root, cache)
    counts(cache)
    (root / "articles" / "extra.md").unlink()
    same(root, cache)
    assert cache.stats.pruned == 2  # the article, and the tips checked against its slug
    assert counts(cache) == (2, 0)
    rows = sqlite3.connect(cache.path).execute("SELECT count(*) FROM entries").fetchone()[0]
    assert rows == 3  # two articles and the tips


def test_a_review_falling_due_between_two_days(make_content: ContentFactory,
                                               cache: compilecache.CompileCache) -> None:
    due = article("Due").replace("next_review: 2027-05-02", "next_review: 2026-11-28")
    root = make_content({"articles/due.md": due})
    same(root, cache, today=dt.date(2026, 11, 27))  # the last day before it is due
    counts(cache)
    same(root, cache, today=dt.date(2026, 11, 28))  # due that day: still no warning
    assert counts(cache) == (3, 0)
    same(root, cache, today=dt.date(2026, 11, 29))  # now overdue: compiled again, warned
    assert counts(cache) == (2, 1)
    _library, report = check(root, today=dt.date(2026, 11, 29), cache=cache)
    assert any("review was due on 2026-11-28" in str(p) for p in report.problems)
    same(root, cache, today=dt.date(2026, 12, 30))
    assert counts(cache) == (6, 0)
    same(root, cache, today=dt.date(2026, 11, 1))  # a clock set back: not due again
    assert counts(cache) == (2, 1)


def test_a_day_in_a_year_before_a_reference_is_compiled_again(
        make_content: ContentFactory, cache: compilecache.CompileCache) -> None:
    root = make_content()
    same(root, cache)
    counts(cache)
    library, _report = check(root, today=dt.date(2023, 6, 1), cache=cache)
    assert library is None  # a reference from 2024 is in the future then
    same(root, cache, today=dt.date(2023, 6, 1))
    assert counts(cache)[0] == 0
    same(root, cache, today=dt.date(2031, 1, 1))  # any later day is the same


@pytest.mark.parametrize("change", ["site", "reviewers", "snippet_chars", "max_file_bytes",
                                    "release"])
def test_what_else_an_article_depends_on_compiles_it_again(
        change: str, make_content: ContentFactory, cache: compilecache.CompileCache) -> None:
    root = make_content()
    same(root, cache)
    counts(cache)
    settings: dict[str, Any] = {}
    if change == "site":
        (root / "site.yaml").write_text(SITE.replace("title: {en: Stress, de: Stress}",
                                                     "title: {en: Strain, de: Stress}"))
    elif change == "reviewers":
        (root / "reviewers.yaml").write_text(REVIEWERS.replace("Test content", "Content"))
    elif change == "snippet_chars":
        settings["snippet_chars"] = 30
    elif change == "max_file_bytes":
        settings["max_file_bytes"] = 100_000
    else:
        settings["release"] = True
    same(root, cache, **settings)
    assert counts(cache) == (0, 2)


def test_tips_are_checked_again_when_their_file_or_the_articles_change(
        make_content: ContentFactory, cache: compilecache.CompileCache) -> None:
    root = make_content({"tips/linked.yaml": tip("linked", extra="  article: calm-down\n")})
    same(root, cache)
    (root / "tips" / "anxiety.yaml").write_text(tip("anxiety-9", "anxiety"))
    same(root, cache)
    (root / "articles" / "calm-down.md").unlink()  # the linked tip is an error now
    same(root, cache)


@pytest.mark.parametrize("damage", ["garbage", "truncated", "foreign", "entry", "directory"])
def test_a_damaged_cache_is_ignored_and_warned_about_once(
        damage: str, make_content: ContentFactory, cache: compilecache.CompileCache,
        caplog: pytest.LogCaptureFixture) -> None:
    root = make_content()
    same(root, cache)
    path = cache.path
    if damage == "garbage":
        path.write_bytes(b"not a database at all" * 100)
    elif damage == "truncated":
        raw = path.read_bytes()
        path.write_bytes(raw[: len(raw) // 3])
    elif damage == "foreign":
        path.unlink()
        with sqlite3.connect(path) as db:
            db.execute("CREATE TABLE entries (key TEXT, value TEXT)")
            db.execute("INSERT INTO entries VALUES ('a', 'b')")
    elif damage == "entry":
        with sqlite3.connect(path) as db:
            db.execute("UPDATE entries SET value = X'8004deadbeef'")
    else:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        path.mkdir()
    fresh = compilecache.CompileCache(path.parent)  # a new process: it has not warned yet
    with caplog.at_level(logging.WARNING, logger="smartmed"):
        same(root, fresh)
        same(root, fresh)
    warnings = [r for r in caplog.records if "compile cache" in r.getMessage()]
    assert len(warnings) == 1
    if damage != "directory":  # started anew, and used again
        fresh.stats = Stats()
        same(root, fresh)
        assert counts(fresh) == (2, 0)


def test_loads_at_once_share_one_cache(make_content: ContentFactory, tmp_path: Path) -> None:
    root = make_content({f"articles/a-{n}.md": article(f"Article {n}") for n in range(8)})
    expected, _ = check(root, today=TODAY)
    results: list[object] = []

    def load() -> None:  # each its own cache object, as each worker process has
        results.append(check(root, today=TODAY,
                             cache=compilecache.CompileCache(tmp_path / "shared"))[0])
    threads = [threading.Thread(target=load) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [expected] * 4
    after = compilecache.CompileCache(tmp_path / "shared")
    same(root, after)
    assert counts(after) == (10, 0)


def test_the_service_keeps_its_cache_in_the_state_directory(tmp_path: Path) -> None:
    assert reload.compile_cache(Settings()) is None
    cache = reload.compile_cache(Settings(state_dir=tmp_path))
    assert cache is not None and cache.path == tmp_path / FILE_NAME
