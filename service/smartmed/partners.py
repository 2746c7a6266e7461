"""Partner checks and the CORS headers that follow from them (DESIGN.md: partner checks)."""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.requests import Request

from smartmed.errors import Forbidden, NotFound
from smartmed.model import Library, Partner


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def own_origins(request: Request, base_url: str) -> set[str]:
    host = request.headers.get("host", "")
    return {origin_of(base_url), f"{request.url.scheme}://{host}".lower()}


def resolve(request: Request, library: Library, base_url: str,
            requested: str | None) -> Partner | None:
    """The partner a request names, after checking its Origin; None for public requests."""
    if requested is None:
        return None
    partner = library.partners.get(requested)
    if partner is None:
        raise NotFound(f"partner: no partner {requested!r}")
    origin = request.headers.get("origin")
    if origin is not None and origin not in partner.origins and origin not in own_origins(
        request, base_url
    ):
        raise Forbidden(f"partner: origin {origin!r} is not allowed to embed for {partner.id!r}")
    return partner


def cors_headers(request: Request, partner: Partner | None) -> dict[str, str]:
    headers = {"vary": "Origin, Accept-Encoding"}
    if partner is None:
        headers["access-control-allow-origin"] = "*"
    elif origin := request.headers.get("origin"):
        # resolve() has already refused every origin this partner may not use.
        headers["access-control-allow-origin"] = origin
    return headers
