"""The security headers of every response, and the answer to a refused request.

Routes may set their own (the pages' CSP, the widget's CORP); the edge middleware (edge.py)
only adds the ones a response lacks, from tuples built once, so the request path stays a
few loops.
"""

from __future__ import annotations

from starlette.types import Send

from smartmed.errors import error_body
from smartmed.web.templating import CSP as PAGE_CSP

Header = tuple[bytes, bytes]
# A key in a response's start message: "every security header is already here". Set only
# by direct.py, whose routes add the full set; ASGI servers ignore keys they do not know.
COMPLETE = "smartmed.security_headers"

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


async def refuse(send: Send, status: int, text: str, extra: tuple[Header, ...]) -> int:
    """Answer a refused request (limits.py) with a JSON error; returns the body's size."""
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
    return len(body)
