"""Partner checks, and the CORS headers that follow from them."""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.requests import Request

from smartmed.content.model import Library, Partner
from smartmed.errors import Forbidden, NotFound


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()




def resolve(request: Request, library: Library, base_url: str,
            requested: str | None) -> Partner | None:
    """The partner a request names, after checking its Origin; None for public requests."""
    if requested is None:
        return None
    partner = library.partners.get(requested)
    if partner is None:
        raise NotFound(f"partner: no partner {requested!r}")
    origin = request.headers.get("origin")
    # The service's own origin is the configured base URL: the Host header is the
    # client's to choose, so it proves nothing. The message does not repeat the Origin.
    if origin is not None and origin not in partner.origins and origin != origin_of(base_url):
        raise Forbidden(f"partner: the Origin header is not one of the origins allowed to "
                        f"embed for {partner.id!r}")
    return partner


def cors_headers(request: Request, partner: Partner | None) -> dict[str, str]:
    headers = {"vary": "Origin, Accept-Encoding"}
    if partner is None:
        headers["access-control-allow-origin"] = "*"
    elif origin := request.headers.get("origin"):
        # resolve() has already refused every origin this partner may not use.
        headers["access-control-allow-origin"] = origin
    return headers
