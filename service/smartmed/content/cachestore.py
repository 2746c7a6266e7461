"""The compile cache's storage: key -> pickled value in one SQLite database (the standard
library's sqlite3) under the state directory. What is stored, under which key, is
compilecache.py's.

Writes are transactions; several processes may load at once (WAL journal, a busy timeout).
A database that cannot be opened or read — corrupt, truncated, foreign, unreadable — is
logged once and then works as a miss (a corrupt one is started anew): never an error,
never a wrong answer. A write drops every entry the load did not use, so the database
holds one content's worth. Values are pickles: the state directory is the service's own,
written by no one else (docs/architecture.md).
"""

from __future__ import annotations

import contextlib
import functools
import logging
import pickle
import sqlite3
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger("smartmed")
FILE_NAME = "compile-cache.sqlite3"
# Bump when what is stored changes shape; a database of another format is emptied.
FORMAT = "smartmed-compile-cache 1"
BATCH = 500  # keys per SELECT (SQLite's bound parameters)
BUSY_SECONDS = 10.0


@dataclass
class Stats:
    """What this cache did since it was made: the tests' seam, and the log's."""

    hits: int = 0
    misses: int = 0
    stored: int = 0
    pruned: int = 0


class CompileCache:
    """The cache in ``directory`` (made when first written)."""

    def __init__(self, directory: Path) -> None:
        self.path = directory / FILE_NAME
        self.stats = Stats()
        self._warned = False

    def warn(self, what: str, exc: BaseException) -> None:
        if not self._warned:
            self._warned = True
            log.warning("compile cache %s %s (%s): what it cannot give is compiled", self.path,
                        what, exc)

    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        """One load's use of the cache: a connection open for its reads and its write."""
        connection = self._open()
        try:
            yield Session(self, connection)
        finally:
            if connection is not None:
                connection.close()

    def _open(self) -> sqlite3.Connection | None:
        for attempt in (1, 2):
            try:
                return self._connect()
            except (sqlite3.Error, OSError) as exc:
                if attempt == 2 or not damaged(exc):
                    self.warn("cannot be opened", exc)
                    return None
                self.warn("is damaged and is started anew", exc)
                self.discard()
        return None

    def discard(self) -> None:
        """Remove a damaged database (the next load starts a new one)."""
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(OSError):
                Path(f"{self.path}{suffix}").unlink()

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self.path, timeout=BUSY_SECONDS, isolation_level=None)
        try:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=NORMAL")
            connection.execute("BEGIN IMMEDIATE")
            try:
                tables = connection.execute(
                    "SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
                connection.execute("CREATE TABLE IF NOT EXISTS meta "
                                   "(name TEXT PRIMARY KEY, value TEXT NOT NULL)")
                connection.execute("CREATE TABLE IF NOT EXISTS entries "
                                   "(key BLOB PRIMARY KEY, value BLOB NOT NULL)")
                row = connection.execute(
                    "SELECT value FROM meta WHERE name = 'format'").fetchone()
                if row is None or row[0] != FORMAT:  # new, of another format, or not ours
                    if tables:
                        self.warn("is of another format and is started anew",
                                   ValueError(row[0] if row else "no format"))
                    connection.execute("DROP TABLE entries")
                    connection.execute("CREATE TABLE entries (key BLOB PRIMARY KEY, "
                                       "value BLOB NOT NULL)")
                    connection.execute("INSERT OR REPLACE INTO meta VALUES ('format', ?)",
                                       (FORMAT,))
                connection.execute("COMMIT")
            except BaseException:
                connection.execute("ROLLBACK")
                raise
        except BaseException:
            connection.close()
            raise
        return connection


class Session:
    def __init__(self, cache: CompileCache, connection: sqlite3.Connection | None) -> None:
        self.cache, self.connection = cache, connection

    def get(self, keys: Collection[bytes]) -> dict[bytes, object]:
        """The values stored under ``keys`` (those that are there and can be read)."""
        found: dict[bytes, object] = {}
        if self.connection is None or not keys:
            return found
        wanted = list(keys)
        try:
            for start in range(0, len(wanted), BATCH):
                batch = wanted[start : start + BATCH]
                rows = self.connection.execute(
                    f"SELECT key, value FROM entries WHERE key IN ({','.join('?' * len(batch))})",
                    batch).fetchall()
                for row_key, value in rows:
                    try:
                        found[bytes(row_key)] = pickle.loads(value)
                    except Exception as exc:  # a damaged value: a miss, compiled again
                        self.cache.warn("has an unreadable entry", exc)
        except sqlite3.Error as exc:
            self.cache.warn("cannot be read", exc)
            if damaged(exc):
                self.cache.discard()
        return found

    def put(self, values: Mapping[bytes, object], used: Collection[bytes]) -> None:
        """Store ``values`` and drop every entry not in ``used`` (the keys of the content
        just loaded, ``values``' included): the cache holds one content's worth."""
        if self.connection is None:
            return
        try:
            # Pickled one at a time as SQLite takes them: 10,000 articles are never all
            # in memory twice.
            rows = ((k, pickle.dumps(v, protocol=pickle.HIGHEST_PROTOCOL))
                    for k, v in values.items())
            connection = self.connection
            stored = connection.execute("SELECT count(*) FROM entries").fetchone()[0]
            stale = stored + len(values) > len(used)
            if not values and not stale:
                return
            connection.execute("BEGIN IMMEDIATE")
            try:
                connection.executemany("INSERT OR REPLACE INTO entries VALUES (?, ?)", rows)
                pruned = 0
                if stale:
                    connection.execute("CREATE TEMP TABLE IF NOT EXISTS used "
                                       "(key BLOB PRIMARY KEY) WITHOUT ROWID")
                    connection.execute("DELETE FROM used")
                    connection.executemany("INSERT OR IGNORE INTO used VALUES (?)",
                                           ((k,) for k in used))
                    pruned = connection.execute(
                        "DELETE FROM entries WHERE key NOT IN (SELECT key FROM used)").rowcount
                connection.execute("COMMIT")
            except BaseException:
                connection.execute("ROLLBACK")
                raise
            self.cache.stats.stored += len(values)
            self.cache.stats.pruned += max(0, pruned)
        except (sqlite3.Error, pickle.PicklingError) as exc:
            self.cache.warn("cannot be written", exc)
            if damaged(exc):
                self.cache.discard()


def damaged(exc: BaseException) -> bool:
    """A file that is not a sound database (SQLITE_CORRUPT, SQLITE_NOTADB), as opposed to
    one that is busy, read-only or out of space (sqlite3.OperationalError)."""
    return isinstance(exc, sqlite3.DatabaseError) and not isinstance(
        exc, sqlite3.OperationalError)


@functools.cache
def in_state_dir(state_dir: Path) -> CompileCache:
    """The process's cache for ``state_dir`` (one, so that it warns once)."""
    return CompileCache(state_dir)
