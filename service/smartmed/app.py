"""The application factory: settings in, a Starlette app out."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.routing import BaseRoute, Route

from smartmed.catalog.catalog import Catalog
from smartmed.catalog.clock import Clock, system_clock
from smartmed.content import bundled, parallel
from smartmed.content.loader import Fingerprint
from smartmed.content.model import Library
from smartmed.errors import HTTPError
from smartmed.http.edge import Edge
from smartmed.ops import accesslog, daybreak, reload
from smartmed.ops.metrics import Metrics
from smartmed.ops.metrics import endpoint as metrics_endpoint
from smartmed.ops.state import ServiceState
from smartmed.ops.stats import lifespan as stats_lifespan
from smartmed.settings import Settings
from smartmed.web import (
    api,
    assets,
    configurator,
    feedroutes,
    health,
    helproutes,
    openapi,
    pages,
    widget,
)
from smartmed.web import stats as stats_routes
from smartmed.web.beacons import FastBeacons, beacon_routes
from smartmed.web.errors import handle_crash, handle_error


def create_app(settings: Settings | None = None, *, clock: Clock = system_clock,
               library: Library | None = None, seen: Fingerprint | None = None
               ) -> Starlette:
    """The app. ``library``: content already loaded (by `smartmed serve`'s check, or a
    test) instead of loading ``settings.content_dir``; ``seen``: that directory's
    fingerprint from before it was loaded (content/loader.fingerprint)."""
    settings = settings or Settings.from_env()
    # What the loader's and the catalog's worker processes run (content/parallel.py).
    parallel.preload(["smartmed.content.loader"])
    now = clock()
    directory = settings.content_dir or bundled.content_dir()
    library, seen, valid = reload.load_initial(directory, settings, now.date(), library, seen)
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
        # First: the router tries routes in order, and beacons are most of the requests a
        # worker answers (the nginx cache answers most reads). Only this route takes its path.
        *beacon_routes,
        *api.routes,
        *feedroutes.routes,
        *pages.routes,
        *helproutes.routes,
        *configurator.routes,
        *assets.routes,
        *widget.routes,
        *health.routes,
        *openapi.routes,
        *stats_routes.routes,
    ]
    if metrics is not None and not settings.metrics_port:  # else `smartmed serve` serves it
        routes.append(Route("/metrics", metrics_endpoint(metrics), name="metrics"))
    log = accesslog.AccessLog(settings.access_log_beacons) if settings.access_log else None
    middleware = [Middleware(Edge, max_query_bytes=settings.max_query_bytes, metrics=metrics,
                             access_log=log)]
    if settings.beacon_fast_path:  # web/beacons.py: outside the edge, whose work it does
        middleware.insert(0, Middleware(FastBeacons, max_query_bytes=settings.max_query_bytes,
                                        metrics=metrics, access_log=log))
    app = Starlette(
        routes=routes,
        lifespan=accesslog.lifespan(stats_lifespan.lifespan(
            daybreak.lifespan(reload.lifespan(reloader, metrics, valid), state), settings,
            clock), log),
        middleware=middleware,
        exception_handlers={HTTPError: handle_error, HTTPException: handle_error,
                            Exception: handle_crash},
    )
    # Router(redirect_slashes=...) is Starlette's own option, which Starlette() does not
    # pass on: its redirect is an absolute URL built from the client's Host header. The
    # 404 handler (web/errors.py) redirects with a relative one instead.
    app.router.redirect_slashes = False
    app.state.service = state
    app.state.reloader = reloader  # its poll() is the reload, for tests and tools
    app.state.widget = script
    return app


def app_from_env() -> Starlette:
    """Entry point for uvicorn's --factory: settings are read when a worker starts."""
    return create_app()
