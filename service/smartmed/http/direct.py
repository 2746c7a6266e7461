"""Routes answered by a plain function, called straight from the router.

For a function endpoint, Starlette's request_response() adds per request a coroutine, an
inner function, and a second exception-catching wrapper around `send` (ExceptionMiddleware
already has one). The API and the feeds answer from ready bytes (httpcache.Ready) without
waiting on anything: their handlers are plain functions, and this ASGI app sends what they
return. An exception goes up to ExceptionMiddleware, whose handlers answer it exactly as
for any other route. Only for responses whose body is in memory (not streamed, no
background task), from handlers that leave the security headers to this module: it adds
the set for the route's path and marks the message (security.COMPLETE), so that the edge
middleware need not look through the headers for missing ones.
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from smartmed.http.security import COMPLETE, CROSS_ORIGIN_PREFIXES, HEADERS, Header

Handler = Callable[[Request], Response]


class Direct:
    def __init__(self, handler: Handler, security: tuple[Header, ...]) -> None:
        self.handler = handler
        self.security = security
        self.__name__ = handler.__name__

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = self.handler(Request(scope, receive))
        await send({"type": "http.response.start", "status": response.status_code,
                    "headers": [*response.raw_headers, *self.security], COMPLETE: True})
        await send({"type": "http.response.body", "body": response.body})


def route(path: str, handler: Handler, name: str) -> Route:
    """A GET route (and HEAD, which Starlette adds; other methods get its 405) for data:
    never HTML, so its security headers are the data set for its path."""
    security = HEADERS[path.startswith(CROSS_ORIGIN_PREFIXES), False]
    return Route(path, Direct(handler, security), methods=["GET"], name=name)
