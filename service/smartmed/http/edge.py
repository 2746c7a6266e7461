"""Every HTTP request's way in and out, in one pure-ASGI middleware.

On the way in: the request limits (limits.py); a refused request is answered here. On the
way out: the security headers of every response (security.py), then one access-log line
(ops/accesslog.py) and the request metrics (ops/metrics.py).
"""

from __future__ import annotations

import time
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from smartmed.http.errors import error_body
from smartmed.http.limits import refusal
from smartmed.http.security import headers_for, with_security
from smartmed.ops.accesslog import UNMATCHED, AccessLog, partner_of
from smartmed.ops.metrics import METHODS, OTHER, Metrics


class Edge:
    def __init__(self, app: ASGIApp, max_query_bytes: int, metrics: Metrics | None,
                 access_log: AccessLog | None) -> None:
        self.app = app
        self.max_query_bytes = max_query_bytes
        self.metrics = metrics
        self.log = access_log

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        path = scope["path"]
        refused = refusal(scope, self.max_query_bytes)
        if refused is not None:
            size = await self.refuse(send, path, *refused)
            self.record(scope, refused[0], time.perf_counter() - start, size)
            return
        status = 500  # if the app raises before answering, that is what the client gets
        size = 0

        async def edge_send(message: Message) -> None:
            nonlocal status, size
            if message["type"] == "http.response.start":
                status = message["status"]
                message = {**message,
                           "headers": with_security(list(message.get("headers", [])), path)}
            elif message["type"] == "http.response.body":
                size += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, edge_send)
        finally:
            self.record(scope, status, time.perf_counter() - start, size)

    @staticmethod
    async def refuse(send: Send, path: str, status: int, text: str) -> int:
        """Answer a refused request with a JSON error; returns the body's size."""
        body = error_body(status, text)
        await send({"type": "http.response.start", "status": status, "headers": [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            (b"cache-control", b"no-store"),
            # The connection may still hold an unread body: the server must not reuse it.
            (b"connection", b"close"),
            *headers_for(path, html=False),
        ]})
        await send({"type": "http.response.body", "body": body})
        return len(body)

    def record(self, scope: Scope, status: int, seconds: float, size: int) -> None:
        route: Any = scope.get("route")
        template = getattr(route, "path", None)
        method = scope["method"]
        if self.metrics is not None:
            self.metrics.observe(template or OTHER, method if method in METHODS else OTHER,
                                 status, seconds)
        if self.log is not None:
            self.log.answered(method, template or UNMATCHED, status, seconds, size,
                              partner_of(scope.get("query_string", b"")))
