"""The access log: one JSON object per request on standard output, through `logging`.

The edge middleware (http/edge.py) calls AccessLog.record once per request; the record goes
to the "smartmed.access" logger, whose handler writes it to standard output with
JsonLineFormatter — the standard library's extension point for a log format.

A line carries what an operator needs and nothing about the reader: time, method, route
template (never the raw path or query), status, duration, bytes and the partner id. No
client address, no user agent — nginx in front already logs those, under its own policy.

Accepted widget beacons (POST /v1/events answered 202 or 204) are the bulk of a worker's
requests. By default (SMARTMED_ACCESS_LOG_BEACONS=summary) they are added up instead, and
written once a second as one line per (status, partner) with ``count``: ``duration_ms`` is
the slowest of them, ``bytes`` their sum. A refused beacon is still one line of its own.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import sys
import time
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager
from typing import Any, TextIO
from urllib.parse import unquote_to_bytes

from smartmed.catalog.encoding import dumps
from smartmed.ops.stats.events import ACCEPTED, PATH

LOGGER = "smartmed.access"
UNMATCHED = "unmatched"  # no route: one label, so that probes cannot blow up cardinality
FIELDS = ("method", "route", "status", "duration_ms", "bytes", "partner")
SUMMARY_SECONDS = 1.0
BEACON_LINES = ("summary", "each")  # SMARTMED_ACCESS_LOG_BEACONS
Lifespan = Callable[[Any], AbstractAsyncContextManager[None]]
_PARTNER = re.compile(rb"[a-z0-9][a-z0-9-]{0,63}")  # used with fullmatch


def partner_of(query: bytes) -> str | None:
    """The partner id a query names; anything that cannot be one is logged as "invalid"."""
    if b"partner=" not in query:
        return None
    for part in query.split(b"&"):
        if part.startswith(b"partner="):
            value = unquote_to_bytes(part[8:].replace(b"+", b" "))
            return value.decode() if _PARTNER.fullmatch(value) else "invalid"
    return None


class JsonLineFormatter(logging.Formatter):
    """A record as one line of JSON: its UTC time to the millisecond, then FIELDS (which
    AccessLog.record passes as the record's ``extra``), and nothing else."""

    def __init__(self) -> None:
        super().__init__()
        self._second: tuple[int, str] = (-1, "")

    def format(self, record: logging.LogRecord) -> str:
        doc: dict[str, object] = {
            "time": f"{self._stamp(int(record.created))}.{int(record.msecs):03d}Z"}
        doc.update((name, getattr(record, name, None)) for name in FIELDS)
        count = getattr(record, "count", None)
        if count is not None:  # a summary line (AccessLog.add)
            doc["count"] = count
        return dumps(doc).decode()

    def _stamp(self, second: int) -> str:
        # strftime once per second, not once per request: it was most of a line's cost.
        if self._second[0] != second:
            self._second = (second, time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(second)))
        return self._second[1]


class StdoutHandler(logging.StreamHandler[TextIO]):
    """Writes to the sys.stdout of when it was made (the handler AccessLog installs)."""

    def __init__(self) -> None:
        super().__init__(sys.stdout)
        self.setFormatter(JsonLineFormatter())


class AccessLog:
    """Writes access-log records; building one points the log at the current stdout."""

    def __init__(self, beacons: str = "summary") -> None:
        # Whether accepted beacons are summed (add) or logged one line each (record).
        self.summarize_beacons = beacons == "summary"
        # (method, route, status, partner) -> [count, slowest seconds, bytes]
        self._sums: dict[tuple[str, str, int, str | None], list[float]] = {}
        self.logger = logging.getLogger(LOGGER)
        self.logger.setLevel(logging.INFO)
        self.logger.propagate = False  # its lines are JSON, not the service's messages
        # One StdoutHandler, made anew with each app: a test's capture (or an operator's
        # wrapper) may have replaced sys.stdout since the last one. Handlers an operator
        # added (logging.config) stay.
        for old in [h for h in self.logger.handlers if isinstance(h, StdoutHandler)]:
            self.logger.removeHandler(old)
        self.logger.addHandler(StdoutHandler())

    def answered(self, method: str, route: str, status: int, seconds: float, size: int,
                 partner: str | None) -> None:
        """A request answered: its own line, or a share of a summary line (an accepted
        beacon, unless SMARTMED_ACCESS_LOG_BEACONS=each)."""
        if self.summarize_beacons and route == PATH and status in ACCEPTED:
            self.add(method, route, status, seconds, size, partner)
        else:
            self.record(method, route, status, seconds, size, partner)

    def record(self, method: str, route: str, status: int, seconds: float, size: int,
               partner: str | None) -> None:
        # What logger.info("", extra=...) does, but for looking up its caller in the stack
        # (findCaller): the caller is always this function. Logger.makeRecord and
        # Logger.handle are logging's documented way to log a record one has made.
        logger = self.logger
        if logger.isEnabledFor(logging.INFO):
            logger.handle(logger.makeRecord(LOGGER, logging.INFO, __file__, _LINE, "", (),
                                            None, "record", {
                "method": method, "route": route, "status": status,
                "duration_ms": round(seconds * 1000, 3), "bytes": size, "partner": partner}))

    def add(self, method: str, route: str, status: int, seconds: float, size: int,
            partner: str | None) -> None:
        """A request counted into the next summary line of its kind (``flush``)."""
        sums = self._sums.get((method, route, status, partner))
        if sums is None:
            self._sums[method, route, status, partner] = [1, seconds, size]
        else:
            sums[0] += 1
            if seconds > sums[1]:
                sums[1] = seconds
            sums[2] += size

    def flush(self) -> None:
        """One line per kind of request added since the last flush."""
        sums, self._sums = self._sums, {}
        logger = self.logger
        if not sums or not logger.isEnabledFor(logging.INFO):
            return
        for (method, route, status, partner), (count, slowest, size) in sums.items():
            logger.handle(logger.makeRecord(LOGGER, logging.INFO, __file__, _LINE, "", (),
                                            None, "flush", {
                "method": method, "route": route, "status": status,
                "duration_ms": round(slowest * 1000, 3), "bytes": int(size),
                "partner": partner, "count": int(count)}))

    @contextlib.asynccontextmanager
    async def summaries(self) -> AsyncIterator[None]:
        """The summary lines written every SUMMARY_SECONDS while it runs, and at its end."""

        async def loop() -> None:
            while True:
                await asyncio.sleep(SUMMARY_SECONDS)
                self.flush()

        task = asyncio.create_task(loop(), name="smartmed-access-summary")
        try:
            yield
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
            self.flush()


def lifespan(inner: Lifespan, log: AccessLog | None) -> Lifespan:
    """``inner`` runs inside; the summary lines are written while it runs, and at its end."""

    @contextlib.asynccontextmanager
    async def span(app: Any) -> AsyncIterator[None]:
        if log is None:
            async with inner(app):
                yield
            return
        async with log.summaries(), inner(app):
            yield

    return span


_LINE = AccessLog.record.__code__.co_firstlineno
