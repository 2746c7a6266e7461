"""The application factory: settings in, a Starlette app out."""

from __future__ import annotations

import logging
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from smartmed.catalog.catalog import Catalog
from smartmed.catalog.clock import Clock, system_clock
from smartmed.content import bundled
from smartmed.content.model import Library
from smartmed.errors import HTTPError, error_body
from smartmed.http.edge import Edge
from smartmed.http.router import IndexedRouter, slash_redirect
from smartmed.http.security import headers_for
from smartmed.ops import reload
from smartmed.ops.metrics import Metrics
from smartmed.ops.metrics import endpoint as metrics_endpoint
from smartmed.ops.state import ServiceState, current
from smartmed.ops.stats import lifespan as stats_lifespan
from smartmed.settings import Settings
from smartmed.web import api, assets, configurator, feedroutes, helproutes, openapi, pages, widget
from smartmed.web import stats as stats_routes

log = logging.getLogger("smartmed")


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
    if exc.status_code == 404:
        target = slash_redirect(request.scope, request.app.router.routes)
        if target is not None:  # the status and query Starlette's redirect_slashes keeps
            return RedirectResponse(target, status_code=307)
    if exc.status_code == 404 and pages.is_page_path(request.scope["path"]):
        return pages.error_page(request, 404, "There is nothing at this address. The link may "
                                "be mistyped, or the page may have moved.")
    # Neither message repeats the path: it is the client's, and may be a probe.
    messages = {404: "path: there is nothing at this address; see /openapi.json",
                405: f"method: {request.method[:20]} is not allowed here"}
    response = error_response(request, exc.status_code,
                              messages.get(exc.status_code, str(exc.detail)))
    if exc.headers:
        response.headers.update(exc.headers)
    return response


async def _server_error(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error on %s", request.url.path)
    response = error_response(request, 500, "the service failed to answer; it has been logged")
    # Starlette answers this outside every middleware: the security headers come from here.
    response.headers.update(headers_for(request.url.path))
    return response


async def healthz(request: Request) -> Response:
    return JSONResponse({"status": "ok"}, headers={"cache-control": "no-store"})


async def readyz(request: Request) -> Response:
    library = current(request).library
    return JSONResponse(
        {"status": "ready", "content_version": library.version,
         "articles": len(library.articles), "tips": len(library.tips)},
        headers={"cache-control": "no-store", "x-content-version": library.version},
    )


class ServiceApp(Starlette):
    """Starlette with the indexed router, and the service's state as a plain attribute.

    Handlers read the state on every request: through app.state that is a __getattr__
    call each time. app.state.service stays, the same object, for tests and tools.
    """

    def __init__(self, service: ServiceState, routes: list[BaseRoute],
                 lifespan: Any, **options: Any) -> None:
        super().__init__(lifespan=lifespan, **options)
        # No redirect_slashes: it builds an absolute URL from the Host header; app.py's
        # 404 handler redirects with a relative one instead (router.slash_redirect).
        self.router = IndexedRouter(routes, lifespan=lifespan, redirect_slashes=False)
        self.service = service
        self.state.service = service


def create_app(settings: Settings | None = None, *, clock: Clock = system_clock,
               library: Library | None = None) -> ServiceApp:
    settings = settings or Settings.from_env()
    now = clock()
    directory = settings.content_dir or bundled.content_dir()
    library, seen, valid = reload.load_initial(directory, settings, now.date(), library)
    state = ServiceState(
        settings, Catalog(library, settings.base_url, settings.response_cache_entries, now), clock
    )
    metrics = Metrics() if settings.metrics else None
    if metrics is not None:
        metrics.content(library)
    reloader = reload.Reloader(state, directory, metrics, seen)
    # A missing widget script is a startup error naming its path, not a 500 later.
    script = widget.load_widget(bundled.widget_script())
    routes: list[BaseRoute] = [
        *api.routes,
        *feedroutes.routes,
        *pages.routes,
        *helproutes.routes,
        *configurator.routes,
        *assets.routes,
        *widget.routes,
        Route("/healthz", healthz, name="healthz"),
        Route("/readyz", readyz, name="readyz"),
        *openapi.routes,
        *stats_routes.routes,
    ]
    if metrics is not None and not settings.metrics_port:  # else `smartmed serve` serves it
        routes.append(Route("/metrics", metrics_endpoint(metrics), name="metrics"))
    app = ServiceApp(
        state, routes,
        stats_lifespan.lifespan(reload.lifespan(reloader, metrics, valid), settings, clock),
        middleware=[Middleware(Edge, max_query_bytes=settings.max_query_bytes, metrics=metrics,
                               access_log=settings.access_log)],
        exception_handlers={
            HTTPError: _http_error,
            pages.PageError: pages.page_error,
            HTTPException: _starlette_error,
            Exception: _server_error,
        },
    )
    app.state.reloader = reloader  # its poll() is the reload, for tests and tools
    app.state.widget = script
    return app


def app_from_env() -> ServiceApp:
    """Entry point for uvicorn's --factory: settings are read when a worker starts."""
    return create_app()
