"""Liveness and readiness, for the orchestrator: never cached."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from smartmed.catalog.encoding import JSON, dumps
from smartmed.http.caching import CACHE_CONTROL
from smartmed.ops.state import current


async def healthz(request: Request) -> Response:
    return Response(dumps({"status": "ok"}), media_type=JSON,
                    headers={"cache-control": CACHE_CONTROL["never"]})


async def readyz(request: Request) -> Response:
    library = current(request).library
    # Every language's answers are built before the service reports ready (catalog.py).
    doc = {"status": "ready", "content_version": library.version,
           "articles": len(library.articles), "tips": len(library.tips),
           "languages": list(library.site.languages)}
    return Response(dumps(doc), media_type=JSON, headers={
        "cache-control": CACHE_CONTROL["never"], "x-content-version": library.version})


routes = [
    Route("/healthz", healthz, name="healthz"),
    Route("/readyz", readyz, name="readyz"),
]
