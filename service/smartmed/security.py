"""One pure-ASGI middleware: request limits (limits.py) and the security headers of every
response. Routes may set their own (the pages' CSP, the widget's CORP); this only adds the
ones a response lacks, from tuples built once, so the request path stays a few loops.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from smartmed.errors import error_body
from smartmed.limits import refusal
from smartmed.templating import CSP as PAGE_CSP

Header = tuple[bytes, bytes]

# Paths a partner page fetches from another site: the widget script and the data it reads
# (and feeds, which web feed readers fetch cross-origin). Everything else is this site's own.
CROSS_ORIGIN_PREFIXES = ("/v1/", "/feeds/", "/widget")
# Nothing but HTML should ever be rendered as a document; for a JSON body, a feed or a
# script opened directly in a tab, this forbids every subresource and every framing.
DATA_CSP = b"default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

_COMMON: tuple[Header, ...] = (
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
)
_SAME_SITE = (b"cross-origin-resource-policy", b"same-site")
_CROSS = (b"cross-origin-resource-policy", b"cross-origin")
_PAGE_CSP = (b"content-security-policy", PAGE_CSP.encode())
_DATA_CSP = (b"content-security-policy", DATA_CSP)
_FRAME = (b"x-frame-options", b"DENY")


def _set(cross: bool, html: bool) -> tuple[Header, ...]:
    return (*_COMMON, _CROSS if cross else _SAME_SITE, _PAGE_CSP if html else _DATA_CSP, _FRAME)


# (cross-origin path?, HTML?) -> every header the response should carry.
HEADERS: dict[tuple[bool, bool], tuple[Header, ...]] = {
    (cross, html): _set(cross, html) for cross in (False, True) for html in (False, True)
}


def headers_for(path: str, html: bool = False) -> dict[str, str]:
    """The same headers as text, for responses built outside this middleware (500s)."""
    cross = path.startswith(CROSS_ORIGIN_PREFIXES)
    return {k.decode(): v.decode() for k, v in HEADERS[cross, html]}


class Security:
    def __init__(self, app: ASGIApp, max_query_bytes: int) -> None:
        self.app = app
        self.max_query_bytes = max_query_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cross = scope["path"].startswith(CROSS_ORIGIN_PREFIXES)
        refused = refusal(scope, self.max_query_bytes)
        if refused is not None:
            await _refuse(send, *refused, HEADERS[cross, False])
            return

        async def secured_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = message.get("headers") or []
                present = dict(headers)  # built in C: cheaper than a Python loop per header
                html = present.get(b"content-type", b"").startswith(b"text/html")
                missing = [h for h in HEADERS[cross, html] if h[0] not in present]
                if missing:
                    message = {**message, "headers": [*headers, *missing]}
            await send(message)

        await self.app(scope, receive, secured_send)


async def _refuse(send: Send, status: int, text: str, extra: tuple[Header, ...]) -> None:
    body = error_body(status, text)
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        (b"cache-control", b"no-store"),
        # The connection may still hold an unread body: the server must not reuse it.
        (b"connection", b"close"),
        *extra,
    ]})
    await send({"type": "http.response.body", "body": body})
