"""POST /v1/events: the widgets' beacons, most of the requests a worker answers.

Two ways in, one answer:
- ``FastBeacons``, a pure ASGI middleware that app.py puts first (inside Starlette's
  ServerErrorMiddleware only), answers a beacon it can accept — within the request limits,
  a valid event, a known partner, an allowed Origin — itself: the same checks
  (ops/stats/events.py, http/partners.py), the same headers (http/security.py), the same
  metrics and access log (ops/), without the routing and the request and response objects.
- Anything else it hands on, the body it read replayed, to the rest of the app, where the
  route below answers it as it would without the fast path: every error by the one error
  model (web/errors.py), the request limits by the edge middleware (http/edge.py).

SMARTMED_BEACON_FAST_PATH=false sends every beacon through the route.
tests/web/test_beacons.py sends the same requests both ways and compares the answers, the
counts, the metrics and the log lines.
"""

from __future__ import annotations

import time
from collections import deque

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from smartmed.catalog.catalog import Catalog
from smartmed.content.model import Partner
from smartmed.errors import HTTPError
from smartmed.http.caching import CACHE_CONTROL
from smartmed.http.limits import refusal
from smartmed.http.partners import cors_for, cors_headers, partner_for, resolve
from smartmed.http.security import Header, with_security
from smartmed.ops.accesslog import AccessLog, partner_of
from smartmed.ops.metrics import Metrics
from smartmed.ops.state import current
from smartmed.ops.stats import events
from smartmed.ops.stats.tally import Recorder
from smartmed.web.stats import read_body, recorder

NO_STORE = {"cache-control": CACHE_CONTROL["never"]}
MAX_HEADER_SETS = 256  # (status, Origin) pairs kept: bounded by the partners' origins


def answer_headers(status: int, cors: dict[str, str]) -> list[Header]:
    """The headers of a beacon's answer, as the route sends them with the edge's security
    headers: Starlette's Response makes them (its Content-Length rule included)."""
    return with_security(Response(status_code=status, headers={**cors, **NO_STORE}).raw_headers,
                         events.PATH)


async def post_event(request: Request) -> Response:
    stats = recorder(request)
    catalog = current(request).catalog
    event = events.parse(await read_body(request), catalog.library)
    partner = resolve(request, catalog.library, catalog.base, event.partner)
    headers = {**cors_headers(request, partner), **NO_STORE}
    # The user agent decides only this; it is neither kept nor logged.
    if events.is_bot(request.headers.get("user-agent", "").encode()):
        return Response(status_code=204, headers=headers)
    stats.record(event)
    return Response(status_code=202, headers=headers)


class Beacons:
    """POST /v1/events as an ASGI app, which a Route calls as it is (Starlette's documented
    endpoint kinds: a function of a request, or an ASGI app). A function endpoint gets one
    more exception-handling layer per request, wrapping its send; here an error goes up to
    the app's ExceptionMiddleware, which answers it with the same handlers."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = await post_event(Request(scope, receive))
        await response(scope, receive, send)


# The beacon route, on its own: app.py puts it first. Starlette's router tries routes in
# order; no other route's pattern matches its path (tests/web/test_stats_routes.py), so its
# place changes no answer.
beacon_routes = [Route(events.PATH, Beacons(), methods=["POST"], name="events")]


def replayed(messages: list[Message], receive: Receive) -> Receive:
    """``receive`` that first gives back ``messages``, already read from the client."""
    pending = deque(messages)

    async def again() -> Message:
        if pending:
            return pending.popleft()
        return await receive()

    return again


class FastBeacons:
    """Pure ASGI middleware: a beacon it can accept is answered here; every other request,
    and every beacon it cannot accept, goes on to ``app`` (see the module's doc)."""

    def __init__(self, app: ASGIApp, max_query_bytes: int, metrics: Metrics | None,
                 access_log: AccessLog | None) -> None:
        self.app = app
        self.max_query_bytes = max_query_bytes
        self.metrics = metrics
        self.log = access_log
        self._headers: dict[tuple[int, str | None], list[Header]] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (scope["type"] != "http" or scope["path"] != events.PATH
                or scope["method"] != "POST"
                or refusal(scope, self.max_query_bytes) is not None):
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        messages: list[Message] = []
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":  # the client left: the route sees it
                await self.app(scope, replayed(messages, receive), send)
                return
            chunk = message.get("body", b"")
            chunks.append(chunk)
            size += len(chunk)
            if size > events.MAX_BODY_BYTES:  # the route reads the rest, and answers 413
                await self.app(scope, replayed(messages, receive), send)
                return
            if not message.get("more_body", False):
                break
        accepted = self._accept(scope, b"".join(chunks))
        if accepted is None:
            await self.app(scope, replayed(messages, receive), send)
            return
        status, partner, origin = accepted
        await send({"type": "http.response.start", "status": status,
                    "headers": self._answer_headers(status, partner, origin)})
        await send({"type": "http.response.body", "body": b""})
        seconds = time.perf_counter() - start
        if self.metrics is not None:
            self.metrics.observe(events.PATH, "POST", status, seconds)
        if self.log is not None:
            self.log.answered("POST", events.PATH, status, seconds, 0,
                              partner_of(scope.get("query_string", b"")))

    @staticmethod
    def _accept(scope: Scope, body: bytes) -> tuple[int, Partner | None, str | None] | None:
        """(status: 202 for a beacon counted, 204 for a bot's; its partner; the Origin);
        None when the route must answer."""
        state = scope["app"].state
        stats: Recorder | None = getattr(state, "stats", None)
        if stats is None:  # not started, or stopping: the route answers 503
            return None
        catalog: Catalog = state.service.catalog
        origin = _header(scope, b"origin")
        try:
            event = events.parse(body, catalog.library)
            partner = partner_for(catalog.library, catalog.base, event.partner, origin)
        except HTTPError:
            return None
        # The user agent decides only this; it is neither kept nor logged.
        if events.is_bot(_raw_header(scope, b"user-agent") or b""):
            return 204, partner, origin
        stats.record(event)
        return 202, partner, origin

    def _answer_headers(self, status: int, partner: Partner | None,
                        origin: str | None) -> list[Header]:
        # A beacon names its partner (events.parse requires one), so the CORS headers
        # depend only on the Origin, which partner_for() has checked against the partner's.
        key = (status, origin)
        headers = self._headers.get(key)
        if headers is None:
            if len(self._headers) >= MAX_HEADER_SETS:
                self._headers.clear()
            headers = self._headers[key] = answer_headers(status, cors_for(partner, origin))
        return headers


def _raw_header(scope: Scope, name: bytes) -> bytes | None:
    """The first value of a header, as Starlette's Headers.get finds it."""
    for key, value in scope["headers"]:
        if key == name:
            value_: bytes = value
            return value_
    return None


def _header(scope: Scope, name: bytes) -> str | None:
    raw = _raw_header(scope, name)
    return None if raw is None else raw.decode("latin-1")
