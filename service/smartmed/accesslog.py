"""Access log lines (one JSON object each) and the ASGI middleware that feeds them and metrics.

A line carries what an operator needs and nothing about the reader: method, route
template (never the raw path or query), status, duration, bytes and the partner id. No
client address, no user agent — nginx in front already logs those, under its own policy.
"""

from __future__ import annotations

import re
import sys
import time
from typing import Any
from urllib.parse import unquote_to_bytes

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from smartmed.metrics import Metrics

UNMATCHED = "unmatched"  # no route: one label, so that probes cannot blow up cardinality
_PARTNER = re.compile(rb"^[a-z0-9][a-z0-9-]{0,63}$")


def partner_of(query: bytes) -> str | None:
    """The partner id a query names; anything that cannot be one is logged as "invalid"."""
    if b"partner=" not in query:
        return None
    for part in query.split(b"&"):
        if part.startswith(b"partner="):
            value = unquote_to_bytes(part[8:].replace(b"+", b" "))
            return value.decode() if _PARTNER.match(value) else "invalid"
    return None


_second: tuple[int, str] = (-1, "")


def _stamp(second: int) -> str:
    # strftime once per second, not once per request: under load it is most of line()'s cost.
    global _second
    if _second[0] != second:
        _second = (second, time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(second)))
    return _second[1]


def line(method: str, route: str, status: int, seconds: float, size: int,
         partner: str | None) -> str:
    # Formatted by hand: it runs on every request, and json.dumps costs more than the rest.
    # Safe without escaping: route templates are this code's, HTTP servers only accept
    # token characters in a method, and partner_of() admits [a-z0-9-] or "invalid".
    now = time.time()
    stamp = _stamp(int(now))
    who = "null" if partner is None else f'"{partner}"'
    return (f'{{"time":"{stamp}.{int(now % 1 * 1000):03d}Z","method":"{method}",'
            f'"route":"{route}","status":{status},"duration_ms":{seconds * 1000:.3f},'
            f'"bytes":{size},"partner":{who}}}')


def write(text: str) -> None:
    # sys.stdout looked up per line: a test (or an operator's wrapper) may replace it.
    # Flushed per line: a log collector sees each request as it ends, not a buffer later.
    out = sys.stdout
    out.write(text + "\n")
    out.flush()


class Observe:
    """Pure ASGI (no BaseHTTPMiddleware): one clock read each side, one wrapped `send`."""

    def __init__(self, app: ASGIApp, metrics: Metrics | None, access_log: bool) -> None:
        self.app, self.metrics, self.access_log = app, metrics, access_log

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = 500  # if the app raises before answering, that is what the client gets
        size = 0

        async def observed_send(message: Message) -> None:
            nonlocal status, size
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body":
                size += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, observed_send)
        finally:
            self.record(scope, status, time.perf_counter() - start, size)

    def record(self, scope: Scope, status: int, seconds: float, size: int) -> None:
        route: Any = scope.get("route")
        template = getattr(route, "path", None) or UNMATCHED
        method = scope["method"]
        if self.metrics is not None:
            self.metrics.observe(template, method, status, seconds)
        if self.access_log:
            write(line(method, template, status, seconds, size,
                       partner_of(scope.get("query_string", b""))))
