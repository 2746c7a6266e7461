"""Refuse oversized request lines before any route sees them."""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from smartmed.errors import error_body

MAX_PATH_BYTES = 2048


class RequestLimits:
    def __init__(self, app: ASGIApp, max_query_bytes: int) -> None:
        self.app = app
        self.max_query_bytes = max_query_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            query = scope.get("query_string", b"")
            path = scope.get("raw_path") or scope["path"].encode()
            if len(query) > self.max_query_bytes or len(path) > MAX_PATH_BYTES:
                part = "query" if len(query) > self.max_query_bytes else "path"
                limit = self.max_query_bytes if part == "query" else MAX_PATH_BYTES
                body = error_body(414, f"{part}: longer than {limit} bytes")
                await send({"type": "http.response.start", "status": 414, "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"cache-control", b"no-store"),
                ]})
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)
