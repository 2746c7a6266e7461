"""Versioned schema changes, one list per database; a version is applied once, in order.

`schema_version` holds the versions applied. Never edit an applied step: add the next one.
"""

from __future__ import annotations

# (version, statements). The two lists keep the same versions and the same tables; the
# types differ only where the databases do (SQLite keeps days as ISO text).
SQLITE: list[tuple[int, tuple[str, ...]]] = [
    (1, (
        """CREATE TABLE stats_counts (
            day TEXT NOT NULL, partner TEXT NOT NULL, kind TEXT NOT NULL,
            topic TEXT NOT NULL, lang TEXT NOT NULL, item TEXT NOT NULL,
            event TEXT NOT NULL, count INTEGER NOT NULL,
            PRIMARY KEY (partner, day, kind, topic, lang, item, event))""",
        "CREATE INDEX stats_counts_day ON stats_counts (day)",
        """CREATE TABLE partner_tokens (
            partner TEXT PRIMARY KEY, salt BLOB NOT NULL, hash BLOB NOT NULL,
            issued TEXT NOT NULL)""",
    )),
]

POSTGRES: list[tuple[int, tuple[str, ...]]] = [
    (1, (
        """CREATE TABLE stats_counts (
            day DATE NOT NULL, partner TEXT NOT NULL, kind TEXT NOT NULL,
            topic TEXT NOT NULL, lang TEXT NOT NULL, item TEXT NOT NULL,
            event TEXT NOT NULL, count BIGINT NOT NULL,
            PRIMARY KEY (partner, day, kind, topic, lang, item, event))""",
        "CREATE INDEX stats_counts_day ON stats_counts (day)",
        """CREATE TABLE partner_tokens (
            partner TEXT PRIMARY KEY, salt BYTEA NOT NULL, hash BYTEA NOT NULL,
            issued TIMESTAMPTZ NOT NULL)""",
    )),
]

VERSION_TABLE = "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY)"


def pending(steps: list[tuple[int, tuple[str, ...]]],
            applied: set[int]) -> list[tuple[int, tuple[str, ...]]]:
    return [(version, sql) for version, sql in steps if version not in applied]
