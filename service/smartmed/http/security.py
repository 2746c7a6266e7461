"""The security headers of every response: one function, ``headers_for``.

The edge middleware (edge.py) puts them on every response that passes through it; the
answers given outside it (limits' refusals, 500s from Starlette's outermost middleware) call
the same function.
"""

from __future__ import annotations

import re

Header = tuple[bytes, bytes]

# Paths a partner page fetches from another site: the widget script and the data it reads
# (and feeds, which web feed readers fetch cross-origin). Everything else is this site's own.
CROSS_ORIGIN_PREFIXES = ("/v1/", "/feeds/", "/widget")
# The reading pages, a partner's stats page, and "/" (the configurator): people, not
# programs, ask for them.
PAGE_PREFIXES = ("/articles", "/topics", "/tips", "/help", "/partners")
# A language other than the default puts its code in front of pages and feeds: /es/tips.
_LANG_SEGMENT = re.compile(r"/[a-z]{2,3}(?=/)")


def unprefixed(path: str) -> str:
    """The path without a leading language segment: "/es/feeds/tips.rss" is a feed."""
    found = _LANG_SEGMENT.match(path)
    return path[found.end():] if found else path
# The pages: no inline script or style anywhere; their own CSS and JS come from /static,
# the widget and its data from this service. frame-ancestors keeps them out of frames.
PAGE_CSP = "; ".join([
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "connect-src 'self'",
    "img-src 'self' data:",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])
# Nothing but HTML should ever be rendered as a document; for a JSON body, a feed or a
# script opened directly in a tab, this forbids every subresource and every framing.
DATA_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

_COMMON: tuple[Header, ...] = (
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
)


def _set(cross: bool, html: bool) -> tuple[Header, ...]:
    return (
        *_COMMON,
        (b"cross-origin-resource-policy", b"cross-origin" if cross else b"same-site"),
        (b"content-security-policy", (PAGE_CSP if html else DATA_CSP).encode()),
        (b"x-frame-options", b"DENY"),
    )


# (cross-origin path?, HTML?) -> the headers, encoded once.
_SETS: dict[tuple[bool, bool], tuple[Header, ...]] = {
    (cross, html): _set(cross, html) for cross in (False, True) for html in (False, True)
}
NAMES = frozenset(name for name, _ in _SETS[False, False])


def headers_for(path: str, html: bool) -> tuple[Header, ...]:
    """Every security header of a response to ``path``; ``html``: whether its body is a
    page (text/html), which gets the pages' CSP instead of the data one."""
    return _SETS[unprefixed(path).startswith(CROSS_ORIGIN_PREFIXES), html]


def is_page_path(path: str) -> bool:
    path = unprefixed(path)
    return path == "/" or any(path == p or path.startswith(p + "/") for p in PAGE_PREFIXES)


def with_security(headers: list[Header], path: str) -> list[Header]:
    """A response's headers with the security set of its path and type in place of any the
    route set itself. An answer without a body type (a 304, a redirect) on a page's path
    keeps the pages' set: a 304 updates the headers a browser stored with the page."""
    types = [value for name, value in headers if name == b"content-type"]
    html = types[0].startswith(b"text/html") if types else is_page_path(path)
    kept = [(name, value) for name, value in headers if name not in NAMES]
    return [*kept, *headers_for(path, html)]
