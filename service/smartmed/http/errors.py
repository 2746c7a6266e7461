"""Error answers as JSON: the one body shape every error takes, and its response."""

from __future__ import annotations

from starlette.responses import Response

from smartmed.catalog.encoding import JSON, dumps
from smartmed.errors import CODES
from smartmed.http.caching import CACHE_CONTROL


def error_body(status: int, message: str, code: str | None = None) -> bytes:
    return dumps({"error": {"code": code or CODES.get(status, "error"), "message": message}},
                 compact=False)


def json_error(status: int, message: str, code: str | None = None,
               headers: dict[str, str] | None = None) -> Response:
    """An error as JSON: never stored, and varying by Origin like the answers it stands for."""
    out = {"cache-control": CACHE_CONTROL["never"], "vary": "Origin", **(headers or {})}
    return Response(error_body(status, message, code), status_code=status, headers=out,
                    media_type=JSON)
