"""Every HTTP request's way in and out, in one pure-ASGI layer.

On the way in: the request limits (limits.py). On the way out: the security headers a
response lacks (security.py), then one access-log line (accesslog.py) and the request
metrics (metrics.py). One layer, not three, because each layer wraps `send` and every
response passes through each wrapper twice (head, then body).
"""

from __future__ import annotations

import time
from collections.abc import Awaitable
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from smartmed.http.limits import refusal
from smartmed.http.security import COMPLETE, CROSS_ORIGIN_PREFIXES, HEADERS, refuse
from smartmed.ops.accesslog import UNMATCHED, AccessLog, partner_of
from smartmed.ops.metrics import METHODS, OTHER, Metrics


class Edge:
    def __init__(self, app: ASGIApp, max_query_bytes: int, metrics: Metrics | None,
                 access_log: bool) -> None:
        self.app = app
        self.max_query_bytes = max_query_bytes
        self.metrics = metrics
        self.log = AccessLog() if access_log else None
        self.observed = metrics is not None or access_log

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        cross = scope["path"].startswith(CROSS_ORIGIN_PREFIXES)
        refused = refusal(scope, self.max_query_bytes)
        if refused is not None:
            size = await refuse(send, *refused, HEADERS[cross, False])
            if self.observed:
                self.record(scope, refused[0], time.perf_counter() - start, size)
            return
        status = 500  # if the app raises before answering, that is what the client gets
        size = 0

        # A plain function handing back the server's awaitable: no coroutine of its own
        # per message (every response sends two).
        def edge_send(message: Message) -> Awaitable[None]:
            nonlocal status, size
            if message["type"] == "http.response.start":
                status = message["status"]
                if COMPLETE in message:
                    return send(message)
                headers = message.get("headers") or []
                present = dict(headers)  # built in C: cheaper than a Python loop per header
                html = present.get(b"content-type", b"").startswith(b"text/html")
                missing = [h for h in HEADERS[cross, html] if h[0] not in present]
                if missing:
                    message = {**message, "headers": [*headers, *missing]}
            elif message["type"] == "http.response.body":
                size += len(message.get("body", b""))
            return send(message)

        try:
            await self.app(scope, receive, edge_send)
        finally:
            if self.observed:
                self.record(scope, status, time.perf_counter() - start, size)

    def record(self, scope: Scope, status: int, seconds: float, size: int) -> None:
        route: Any = scope.get("route")
        template = getattr(route, "path", None)
        method = scope["method"]
        if self.metrics is not None:
            self.metrics.observe(template or OTHER, method if method in METHODS else OTHER,
                                 status, seconds)
        if self.log is not None:
            self.log.record(method, template or UNMATCHED, status, seconds, size,
                            partner_of(scope.get("query_string", b"")))
