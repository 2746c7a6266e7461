"""The stats database: SQLite (stdlib sqlite3, WAL) or PostgreSQL (psycopg 3 and its pool).

Both drivers are synchronous: every call here runs in a thread (the tally's flush, the
stats routes through Starlette's threadpool), never on the event loop. The SQL is the same
for both; only the placeholder and the migration types differ.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, ClassVar

from smartmed.ops.stats import migrations

# (day, partner, kind, topic, lang, item, event): one row of stats_counts. item "" is the
# event itself (one per beacon); other items are what the widget showed.
Key = tuple[dt.date, str, str, str, str, str, str]

_UPSERT = ("INSERT INTO stats_counts (day, partner, kind, topic, lang, item, event, count) "
           "VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
           "ON CONFLICT (partner, day, kind, topic, lang, item, event) "
           "DO UPDATE SET count = stats_counts.count + excluded.count")
POSTGRES_SCHEMES = ("postgresql://", "postgres://")


class Store:
    """One database, whichever: subclasses say how to get a connection and a lock."""

    placeholder = "?"
    steps: ClassVar[list[tuple[int, tuple[str, ...]]]] = []

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Any]:  # pragma: no cover - abstract
        raise NotImplementedError
        yield

    def close(self) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def _sql(self, sql: str) -> str:
        return sql if self.placeholder == "?" else sql.replace("?", self.placeholder)

    def _lock_migrations(self, cursor: Any) -> None:
        """Workers and replicas start together: one applies the migrations, the rest wait."""

    def _day(self, value: Any) -> dt.date:
        return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)

    def migrate(self) -> list[int]:
        """Apply the migrations not yet applied; the versions it applied."""
        with self.transaction() as cur:
            self._lock_migrations(cur)
            cur.execute(migrations.VERSION_TABLE)
            cur.execute("SELECT version FROM schema_version")
            applied = {row[0] for row in cur.fetchall()}
            done = []
            for version, statements in migrations.pending(self.steps, applied):
                for statement in statements:
                    cur.execute(statement)
                cur.execute(self._sql("INSERT INTO schema_version (version) VALUES (?)"),
                            (version,))
                done.append(version)
        return done

    def version(self) -> int:
        with self.transaction() as cur:
            cur.execute("SELECT max(version) FROM schema_version")
            return int(cur.fetchone()[0] or 0)

    def add(self, counts: Mapping[Key, int]) -> None:
        """Add counts to the stored ones, in one transaction."""
        if not counts:
            return
        rows = [(*self._key(key), n) for key, n in counts.items()]
        with self.transaction() as cur:
            cur.executemany(self._sql(_UPSERT), rows)

    def _key(self, key: Key) -> tuple[Any, ...]:
        return (key[0].isoformat(), *key[1:])

    def prune(self, before: dt.date) -> int:
        """Forget days before `before` (the retention setting); how many rows went."""
        with self.transaction() as cur:
            cur.execute(self._sql("DELETE FROM stats_counts WHERE day < ?"),
                        (before.isoformat(),))
            return int(cur.rowcount)

    def daily(self, partner: str | None, first: dt.date,
              last: dt.date) -> list[tuple[dt.date, str, str, int]]:
        """(day, partner, event, count) per day: beacons, not items. partner None: all."""
        sql = ("SELECT day, partner, event, sum(count) FROM stats_counts "
               "WHERE item = '' AND day >= ? AND day <= ?")
        args: list[Any] = [first.isoformat(), last.isoformat()]
        if partner is not None:
            sql += " AND partner = ?"
            args.append(partner)
        sql += " GROUP BY day, partner, event ORDER BY day, partner, event"
        with self.transaction() as cur:
            cur.execute(self._sql(sql), args)
            return [(self._day(d), p, e, int(n)) for d, p, e, n in cur.fetchall()]

    def items(self, partner: str, first: dt.date,
              last: dt.date) -> list[tuple[str, str, str, int]]:
        """(kind, item, event, count) for one partner's items over the days."""
        sql = ("SELECT kind, item, event, sum(count) FROM stats_counts "
               "WHERE partner = ? AND item <> '' AND day >= ? AND day <= ? "
               "GROUP BY kind, item, event")
        with self.transaction() as cur:
            cur.execute(self._sql(sql), (partner, first.isoformat(), last.isoformat()))
            return [(k, i, e, int(n)) for k, i, e, n in cur.fetchall()]

    def set_token(self, partner: str, salt: bytes, digest: bytes, issued: dt.datetime) -> None:
        """The partner's one secret (as a hash): replaces, so revokes, the one before."""
        with self.transaction() as cur:
            cur.execute(self._sql(
                "INSERT INTO partner_tokens (partner, salt, hash, issued) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (partner) DO UPDATE SET salt = excluded.salt, "
                "hash = excluded.hash, issued = excluded.issued"),
                (partner, salt, digest, issued.isoformat()))

    def token(self, partner: str) -> tuple[bytes, bytes] | None:
        with self.transaction() as cur:
            cur.execute(self._sql("SELECT salt, hash FROM partner_tokens WHERE partner = ?"),
                        (partner,))
            row = cur.fetchone()
        return None if row is None else (bytes(row[0]), bytes(row[1]))


class SQLiteStore(Store):
    steps = migrations.SQLITE

    def __init__(self, path: Path) -> None:
        # One connection per process, used by one thread at a time (the lock): the flush
        # thread and the threadpool's readers take turns.
        self._lock = threading.Lock()
        self._conn = sqlite3.connect(path, timeout=10, isolation_level=None,
                                     check_same_thread=False)
        self._conn.execute("PRAGMA journal_mode=WAL")  # readers never wait for the writer
        self._conn.execute("PRAGMA synchronous=NORMAL")  # WAL: durable at each checkpoint
        self._conn.execute("PRAGMA busy_timeout=10000")  # several workers, one file

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Cursor]:
        with self._lock:
            cur = self._conn.cursor()
            # IMMEDIATE: take the write lock first, so migrations never race each other.
            cur.execute("BEGIN IMMEDIATE")
            try:
                yield cur
            except BaseException:
                cur.execute("ROLLBACK")
                raise
            cur.execute("COMMIT")

    def close(self) -> None:
        with self._lock:
            self._conn.close()


class PostgresStore(Store):
    placeholder = "%s"
    steps = migrations.POSTGRES

    def __init__(self, url: str, max_size: int = 4) -> None:
        from psycopg_pool import ConnectionPool

        self._pool = ConnectionPool(url, min_size=1, max_size=max_size, open=False)
        self._pool.open(wait=True, timeout=30)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Any]:
        # The pool's connection() is one transaction: committed on exit, rolled back on error.
        with self._pool.connection() as conn, conn.cursor() as cur:
            yield cur

    def _lock_migrations(self, cursor: Any) -> None:
        cursor.execute("SELECT pg_advisory_xact_lock(20)")  # any constant: this project's

    def close(self) -> None:
        self._pool.close()


def open_store(database_url: str, state_dir: Path) -> Store:
    """PostgreSQL when the URL names it, else SQLite in the state directory; migrated."""
    store: Store
    if database_url.startswith(POSTGRES_SCHEMES):
        store = PostgresStore(database_url)
    else:
        state_dir.mkdir(parents=True, exist_ok=True)
        store = SQLiteStore(state_dir / "stats.sqlite3")
    try:
        store.migrate()
    except BaseException:
        store.close()
        raise
    return store
