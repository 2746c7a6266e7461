"""Counts added up in memory, written to the store once a second by one task per worker.

A beacon costs a few dict updates on the event loop; the database sees one transaction a
second per worker, whatever the traffic. What a worker has counted but not yet written is
lost if it is killed with SIGKILL: at most the last second. SIGTERM runs the lifespan's
exit, which writes everything first.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from collections import Counter
from collections.abc import AsyncIterator, Callable

from smartmed.ops.stats.events import Event, day_of
from smartmed.ops.stats.store import Key, Store

log = logging.getLogger("smartmed.stats")
FLUSH_SECONDS = 1.0


class Tally:
    """Beacons counted as they come (one dict update each), spread into the store's keys
    (one per item, and one for the beacon itself) only when taken, once a second."""

    def __init__(self) -> None:
        self.beacons: Counter[tuple[dt.date, Event]] = Counter()
        self.returned: Counter[Key] = Counter()  # counts a failed write gave back

    def add(self, event: Event, day: dt.date) -> None:
        self.beacons[day, event] += 1

    def take(self) -> Counter[Key]:
        """Everything counted so far, leaving an empty tally (assignments only: no await)."""
        beacons, self.beacons = self.beacons, Counter()
        counts, self.returned = self.returned, Counter()
        for (day, event), n in beacons.items():
            base = (day, event.partner, event.kind, event.topic, event.lang)
            counts[(*base, "", event.event)] += n
            for item in event.items:
                counts[(*base, item, event.event)] += n
        return counts

    def give_back(self, counts: Counter[Key]) -> None:
        """A write failed: the counts wait for the next one."""
        self.returned.update(counts)


class Recorder:
    """A worker's tally, its store, and the loop that writes one to the other."""

    def __init__(self, store: Store, retention_days: int,
                 now: Callable[[], dt.datetime]) -> None:
        self.store = store
        self.tally = Tally()
        self.retention_days = retention_days
        self.now = now
        self._pruned: dt.date | None = None

    def record(self, event: Event) -> None:
        self.tally.add(event, day_of(self.now()))

    async def flush(self) -> None:
        counts = self.tally.take()
        if counts:
            try:
                await asyncio.to_thread(self.store.add, counts)
            except Exception:
                self.tally.give_back(counts)
                raise
        today = day_of(self.now())
        if self.retention_days and self._pruned != today:
            # Once a day per worker: a DELETE of nothing costs an index probe.
            await asyncio.to_thread(self.store.prune,
                                    today - dt.timedelta(days=self.retention_days))
            self._pruned = today

    async def _loop(self, stop: asyncio.Event) -> None:
        # Stopped by an event, not cancelled: a write in progress always finishes, then
        # one last flush takes whatever came in meanwhile.
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), FLUSH_SECONDS)
            try:
                await self.flush()
            except Exception:
                if stop.is_set():
                    raise  # the last chance: the shutdown must show the failure
                log.exception("stats: writing counts failed; they are kept for the next try")

    @contextlib.asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        stop = asyncio.Event()
        task = asyncio.create_task(self._loop(stop), name="smartmed-stats-flush")
        try:
            yield
        finally:
            # Shutdown (SIGTERM): whatever is left goes to the database before exit.
            stop.set()
            await task
