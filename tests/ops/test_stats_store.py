"""stats/store.py and migrations: the same assertions on SQLite and on a real PostgreSQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from smartmed.ops.stats import migrations
from smartmed.ops.stats.store import SQLiteStore, Store, open_store

D1, D2, D3 = dt.date(2026, 11, 25), dt.date(2026, 11, 26), dt.date(2026, 11, 27)


@pytest.fixture
def store(database_url: str, tmp_path: Path) -> Iterator[Store]:
    opened = open_store(database_url, tmp_path / "state")
    try:
        yield opened
    finally:
        opened.close()


def test_migrations_bring_an_empty_database_to_the_newest_version(store: Store) -> None:
    assert store.version() == migrations.SQLITE[-1][0] == migrations.POSTGRES[-1][0]
    assert store.migrate() == []  # a second run (another worker) applies nothing


def test_both_databases_have_the_same_versions() -> None:
    assert [v for v, _ in migrations.SQLITE] == [v for v, _ in migrations.POSTGRES]


def test_counts_add_up_across_writes_and_read_back_per_day(store: Store) -> None:
    store.add({(D1, "calm-clinic", "tip", "", "en", "", "impression"): 2,
               (D1, "calm-clinic", "tip", "", "en", "anxiety-1", "impression"): 2})
    store.add({(D1, "calm-clinic", "tip", "", "en", "", "impression"): 3,
               (D2, "calm-clinic", "articles", "anxiety", "de", "", "read"): 1,
               (D2, "open-partner", "tip", "", "en", "", "click"): 7})
    assert store.daily("calm-clinic", D1, D3) == [
        (D1, "calm-clinic", "impression", 5), (D2, "calm-clinic", "read", 1)]
    assert store.daily(None, D2, D2) == [
        (D2, "calm-clinic", "read", 1), (D2, "open-partner", "click", 7)]
    assert store.items("calm-clinic", D1, D3) == [("tip", "anxiety-1", "impression", 2)]
    assert store.items("open-partner", D1, D3) == []


def test_prune_forgets_only_days_before_the_cutoff(store: Store) -> None:
    store.add({(D1, "p", "tip", "", "en", "", "read"): 1,
               (D2, "p", "tip", "", "en", "", "read"): 1})
    assert store.prune(D2) == 1
    assert store.daily("p", D1, D3) == [(D2, "p", "read", 1)]


def test_a_new_token_replaces_the_old(store: Store) -> None:
    now = dt.datetime(2026, 11, 27, tzinfo=dt.UTC)
    assert store.token("p") is None
    store.set_token("p", b"salt-1", b"hash-1", now)
    store.set_token("p", b"salt-2", b"hash-2", now)
    assert store.token("p") == (b"salt-2", b"hash-2")


def test_sqlite_is_in_wal_mode_in_the_state_directory(tmp_path: Path) -> None:
    opened = open_store("", tmp_path)
    try:
        assert isinstance(opened, SQLiteStore)
        assert (tmp_path / "stats.sqlite3").exists()
        with opened.transaction() as cur:
            cur.execute("PRAGMA journal_mode")
            assert cur.fetchone()[0] == "wal"
    finally:
        opened.close()
