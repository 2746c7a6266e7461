"""Partner checks, and the CORS headers that follow from them."""

from __future__ import annotations

import functools
from urllib.parse import urlsplit

from starlette.requests import Request

from smartmed.content.model import Library, Partner
from smartmed.errors import Forbidden, HTTPError, NotFound
from smartmed.http.security import unprefixed

# The answers other sites read with fetch(): the API's documents (a partner's widget) and
# the feeds (web feed readers), in every language. Not the stats API (a Bearer secret, not
# read by a browser on another site), nor beacons (sendBeacon reads no answer).
READ_ACROSS_ORIGINS = ("/v1/tips", "/v1/articles", "/v1/topics", "/v1/help", "/feeds")


@functools.lru_cache(maxsize=64)  # the base URL, on every partner's request
def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def resolve(request: Request, library: Library, base_url: str,
            requested: str | None) -> Partner | None:
    """The partner a request names, after checking its Origin; None for public requests."""
    return partner_for(library, base_url, requested, request.headers.get("origin"))


def partner_for(library: Library, base_url: str, requested: str | None,
                origin: str | None) -> Partner | None:
    """resolve(), given the request's Origin header (None without one)."""
    if requested is None:
        return None
    partner = library.partners.get(requested)
    if partner is None:
        raise NotFound(f"partner: no partner {requested!r}")
    # The service's own origin is the configured base URL: the Host header is the
    # client's to choose, so it proves nothing. The message does not repeat the Origin.
    if origin is not None and origin not in partner.origins and origin != origin_of(base_url):
        raise Forbidden(f"partner: the Origin header is not one of the origins allowed to "
                        f"embed for {partner.id!r}")
    return partner


def cors_headers(request: Request, partner: Partner | None) -> dict[str, str]:
    return cors_for(partner, request.headers.get("origin"))


def cors_for(partner: Partner | None, origin: str | None) -> dict[str, str]:
    """cors_headers(), given the request's Origin header (None without one)."""
    headers = {"vary": "Origin, Accept-Encoding"}
    if partner is None:
        headers["access-control-allow-origin"] = "*"
    elif origin:
        # partner_for() has already refused every origin this partner may not use.
        headers["access-control-allow-origin"] = origin
    return headers


def error_cors_headers(request: Request, library: Library, base_url: str) -> dict[str, str]:
    """The CORS headers of an error answer: those the success answer to the same request
    would carry, so that a partner's widget can read the status (a 400 for a bad ``tz``, a
    404 for an unknown slug) instead of a network error. None where that answer carries
    none: another path, a ``partner`` given twice or unknown, or an Origin the partner does
    not allow (whose 403 stays unreadable to that page)."""
    path = unprefixed(request.scope["path"])
    if not any(path == p or path.startswith(p + "/") for p in READ_ACROSS_ORIGINS):
        return {}
    named = request.query_params.getlist("partner")
    if len(named) > 1:
        return {}
    try:
        partner = resolve(request, library, base_url, named[0] if named else None)
    except HTTPError:
        return {}
    return cors_headers(request, partner)
