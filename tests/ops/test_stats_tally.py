"""stats/tally.py: sums per key in memory, the once-a-second write, retention, shutdown."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections import Counter
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from smartmed.ops.stats.events import Event
from smartmed.ops.stats.store import open_store
from smartmed.ops.stats.tally import Recorder, Tally

NOW = dt.datetime(2026, 11, 27, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
DAY = dt.date(2026, 11, 28)  # the UTC day of NOW
EVENT = Event("calm-clinic", "read", "articles", "", "en", ("a", "b"))


def test_a_beacon_counts_once_for_itself_and_once_per_item() -> None:
    tally = Tally()
    tally.add(EVENT, DAY)
    tally.add(EVENT, DAY)
    base = (DAY, "calm-clinic", "articles", "", "en")
    assert dict(tally.take()) == {(*base, "", "read"): 2, (*base, "a", "read"): 2,
                                  (*base, "b", "read"): 2}
    assert not tally.take()


def test_the_running_recorder_writes_without_being_asked_and_at_exit(
        tmp_path: Path) -> None:
    store = open_store("", tmp_path)
    recorder = Recorder(store, 0, lambda: NOW)

    async def scenario() -> list[tuple[dt.date, str, str, int]]:
        async with recorder.running():
            recorder.record(EVENT)
            # The loop writes about once a second; a wait bounded at 20 s (a loaded CI
            # machine can be slow), no fixed sleep.
            for _ in range(400):
                if store.daily(None, DAY, DAY):
                    break
                await asyncio.sleep(0.05)
            first = store.daily(None, DAY, DAY)
            recorder.record(EVENT)  # counted after the last write: the exit writes it
        return first

    try:
        assert asyncio.run(scenario()) == [(DAY, "calm-clinic", "read", 1)]
        assert store.daily(None, DAY, DAY) == [(DAY, "calm-clinic", "read", 2)]
    finally:
        store.close()


def test_retention_prunes_days_older_than_the_setting(tmp_path: Path) -> None:
    store = open_store("", tmp_path)
    old = (DAY - dt.timedelta(days=31), "p", "tip", "", "en", "", "read")
    kept = (DAY - dt.timedelta(days=30), "p", "tip", "", "en", "", "read")
    store.add({old: 1, kept: 1})
    try:
        asyncio.run(Recorder(store, 30, lambda: NOW).flush())
        assert store.daily("p", DAY - dt.timedelta(days=40), DAY) == [
            (kept[0], "p", "read", 1)]
    finally:
        store.close()


def test_a_failed_write_keeps_the_counts_for_the_next(tmp_path: Path) -> None:
    store = open_store("", tmp_path)
    recorder = Recorder(store, 0, lambda: NOW)
    recorder.record(EVENT)
    with store.transaction() as cur:
        cur.execute("ALTER TABLE stats_counts RENAME TO elsewhere")
    try:
        try:
            asyncio.run(recorder.flush())
        except Exception as exc:
            assert "stats_counts" in str(exc)
        else:
            raise AssertionError("the write should have failed")
        with store.transaction() as cur:
            cur.execute("ALTER TABLE elsewhere RENAME TO stats_counts")
        asyncio.run(recorder.flush())
        assert store.daily(None, DAY, DAY) == [(DAY, "calm-clinic", "read", 1)]
    finally:
        store.close()


def _spread(events: list[tuple[Event, dt.date]]) -> Counter[tuple[object, ...]]:
    """The store's keys as the tally counted them before it kept beacons whole."""
    counts: Counter[tuple[object, ...]] = Counter()
    for event, day in events:
        base = (day, event.partner, event.kind, event.topic, event.lang)
        counts[(*base, "", event.event)] += 1
        for item in event.items:
            counts[(*base, item, event.event)] += 1
    return counts


_EVENTS = st.builds(
    Event, st.sampled_from(["p", "q"]), st.sampled_from(["impression", "read", "click"]),
    st.sampled_from(["tip", "articles"]), st.sampled_from(["", "sleep"]),
    st.sampled_from(["en", "de"]),
    st.lists(st.sampled_from(["a", "b", "c"]), unique=True).map(tuple))


@given(st.lists(st.tuples(_EVENTS, st.sampled_from([DAY, DAY - dt.timedelta(days=1)])),
                max_size=30), st.integers(0, 30))
def test_taking_spreads_beacons_into_the_same_keys_and_give_back_keeps_them(
        events: list[tuple[Event, dt.date]], split: int) -> None:
    tally = Tally()
    for event, day in events[:split]:
        tally.add(event, day)
    first = tally.take()
    tally.give_back(first)  # the write failed
    for event, day in events[split:]:
        tally.add(event, day)
    assert tally.take() == _spread(events)
    assert not tally.take()
