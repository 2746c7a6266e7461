"""The application factory: settings in, a Starlette app out."""

from __future__ import annotations

import datetime as dt
import logging

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from smartmed import api, bundled, loader
from smartmed.catalog import Catalog
from smartmed.clock import Clock, system_clock
from smartmed.errors import HTTPError, error_body
from smartmed.limits import RequestLimits
from smartmed.model import Library
from smartmed.settings import Settings
from smartmed.state import ServiceState, current

log = logging.getLogger("smartmed")


def load_library(settings: Settings, now: dt.datetime) -> Library:
    return loader.load(
        settings.content_dir or bundled.content_dir(),
        today=now.date(),
        max_file_bytes=settings.max_file_bytes,
        snippet_chars=settings.snippet_chars,
    )


def error_response(request: Request, status: int, message: str,
                   code: str | None = None) -> Response:
    headers = {"cache-control": "no-store", "vary": "Origin"}
    service = getattr(request.app.state, "service", None)
    if service is not None:
        headers["x-content-version"] = service.library.version
    return Response(error_body(status, message, code), status_code=status, headers=headers,
                    media_type="application/json")


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPError)
    return error_response(request, exc.status, exc.message, exc.code)


async def _starlette_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    messages = {404: f"path: nothing at {request.url.path[:200]!r}",
                405: f"method: {request.method} is not allowed here"}
    response = error_response(request, exc.status_code,
                              messages.get(exc.status_code, str(exc.detail)))
    if exc.headers:
        response.headers.update(exc.headers)
    return response


async def _server_error(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error on %s", request.url.path)
    return error_response(request, 500, "the service failed to answer; it has been logged")


async def healthz(request: Request) -> Response:
    return JSONResponse({"status": "ok"}, headers={"cache-control": "no-store"})


async def readyz(request: Request) -> Response:
    library = current(request).library
    return JSONResponse(
        {"status": "ready", "content_version": library.version,
         "articles": len(library.articles), "tips": len(library.tips)},
        headers={"cache-control": "no-store", "x-content-version": library.version},
    )


def create_app(settings: Settings | None = None, *, clock: Clock = system_clock,
               library: Library | None = None) -> Starlette:
    settings = settings or Settings.from_env()
    now = clock()
    library = library or load_library(settings, now)
    state = ServiceState(
        settings, Catalog(library, settings.base_url, settings.response_cache_entries, now), clock
    )
    routes: list[BaseRoute] = [
        *api.routes,
        Route("/healthz", healthz, name="healthz"),
        Route("/readyz", readyz, name="readyz"),
    ]
    app = Starlette(
        routes=routes,
        middleware=[Middleware(RequestLimits, max_query_bytes=settings.max_query_bytes)],
        exception_handlers={
            HTTPError: _http_error,
            HTTPException: _starlette_error,
            Exception: _server_error,
        },
    )
    app.state.service = state
    return app


def app_from_env() -> Starlette:
    """Entry point for uvicorn's --factory: settings are read when a worker starts."""
    return create_app()
