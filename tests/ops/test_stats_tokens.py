"""stats/tokens.py: secrets stored as scrypt hashes, revoked by the next; session cookies."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from smartmed.ops.stats import tokens
from smartmed.ops.stats.store import open_store

NOW = dt.datetime(2026, 11, 27, 12, tzinfo=dt.UTC)


def test_a_secret_is_checked_stored_as_a_hash_and_revoked_by_the_next(tmp_path: Path) -> None:
    store = open_store("", tmp_path)
    try:
        first = tokens.issue(store, "calm-clinic", NOW)
        assert first.startswith("calm-clinic.")
        _salt, digest = store.token("calm-clinic") or (b"", b"")
        assert first.encode() not in digest and len(digest) == 32
        assert tokens.check(store, "calm-clinic", first) == digest
        assert tokens.check(store, "open-partner", first) is None
        assert tokens.check(store, "calm-clinic", first + "x") is None
        second = tokens.issue(store, "calm-clinic", NOW)
        assert tokens.check(store, "calm-clinic", first) is None
        assert tokens.check(store, "calm-clinic", second) is not None
    finally:
        store.close()


def test_a_session_holds_until_expiry_or_a_new_secret(tmp_path: Path) -> None:
    store = open_store("", tmp_path)
    try:
        secret = tokens.issue(store, "calm-clinic", NOW)
        key = tokens.check(store, "calm-clinic", secret)
        assert key is not None
        cookie = tokens.session("calm-clinic", key, NOW)
        assert tokens.session_partner(store, cookie, NOW) == "calm-clinic"
        later = NOW + dt.timedelta(seconds=tokens.SESSION_SECONDS + 1)
        assert tokens.session_partner(store, cookie, later) is None
        forged = cookie.replace("calm-clinic", "open-partner", 1)
        tokens.issue(store, "open-partner", NOW)
        assert tokens.session_partner(store, forged, NOW) is None
        tokens.issue(store, "calm-clinic", NOW)
        assert tokens.session_partner(store, cookie, NOW) is None
    finally:
        store.close()
