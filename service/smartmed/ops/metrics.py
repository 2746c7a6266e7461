"""Prometheus metrics: requests, latency, content and reloads — prometheus_client only.

One code path for one process or many. With several uvicorn workers (or a metrics port
served by the supervising process), `smartmed serve` sets PROMETHEUS_MULTIPROC_DIR before
any process imports prometheus_client (runner.prepared): prometheus_client then keeps each
process's samples in files there, and a scrape adds up every process's files
(MultiProcessCollector), as its "Multiprocess Mode" documentation describes.
"""

from __future__ import annotations

import os
import threading
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)
from starlette.requests import Request
from starlette.responses import Response

from smartmed.content.model import Library

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
# Answers come from precomputed bytes: most land well under a millisecond.
BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)

# Label values are bounded, so that no client can add series: a request no route takes is
# counted under route "other", and a method outside RFC 9110's (and PATCH) under "other".
OTHER = "other"
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE",
                     "PATCH"})


def multiprocess_dir() -> str | None:
    return os.environ.get(MULTIPROC_ENV) or None


def scrape_registry() -> CollectorRegistry:
    """What a scrape of several processes reads: every process's files."""
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)
    return registry


class Metrics:
    def __init__(self) -> None:
        # A registry per app: tests build many apps in one process, each with fresh counts.
        reg = self.registry = CollectorRegistry()
        self.requests = Counter(
            "smartmed_http_requests", "HTTP requests answered, by route template and status.",
            ["route", "method", "status"], registry=reg)
        self.latency = Histogram(
            "smartmed_http_request_duration_seconds",
            "Time from request to the last byte of the answer, by route template.",
            ["route"], buckets=BUCKETS, registry=reg)
        # livemax: workers serving the same content agree; a dead worker's values vanish.
        self.items = Gauge(
            "smartmed_content_items", "Content items served, by kind.", ["kind"],
            multiprocess_mode="livemax", registry=reg)
        self.version = Gauge(
            "smartmed_content_version_info",
            "1 for the content version being served (X-Content-Version), 0 for replaced ones.",
            ["version"], multiprocess_mode="livemax", registry=reg)
        self.reloads = Counter(
            "smartmed_content_reloads",
            "Content reloads: success (new content swapped in) or failure (content rejected, "
            "the last good content keeps serving).", ["result"], registry=reg)
        self.loaded = Gauge(
            "smartmed_content_loaded_timestamp_seconds",
            "When the content being served was loaded (Unix time).",
            multiprocess_mode="livemax", registry=reg)
        self._lock = threading.Lock()
        self._served: str | None = None
        # (route, method, status) -> the two labelled children observe() updates. labels()
        # looks them up anew at each call (label checks, a lock, a dict); the children stay
        # valid as long as their metric, and the labels are bounded (route templates,
        # METHODS, statuses), so the cache is too.
        self._children: dict[tuple[str, str, int], tuple[Counter, Histogram]] = {}

    def observe(self, route: str, method: str, status: int, seconds: float) -> None:
        """One request answered (the edge middleware calls this for every request)."""
        children = self._children.get((route, method, status))
        if children is None:
            children = self._children[route, method, status] = (
                self.requests.labels(route, method, str(status)), self.latency.labels(route))
        children[0].inc()
        children[1].observe(seconds)

    def content(self, library: Library) -> None:
        """Record the library now being served (at start and after each reload)."""
        with self._lock:
            if self._served is not None and self._served != library.version:
                self.version.labels(self._served).set(0)
            self._served = library.version
            self.version.labels(library.version).set(1)
            counts = {"articles": len(library.articles), "tips": len(library.tips),
                      "partners": len(library.partners), "topics": len(library.site.topics)}
            for kind, count in counts.items():
                self.items.labels(kind).set(count)
            self.loaded.set_to_current_time()

    def reload(self, ok: bool) -> None:
        self.reloads.labels("success" if ok else "failure").inc()

    def render(self) -> bytes:
        registry = scrape_registry() if multiprocess_dir() else self.registry
        return generate_latest(registry)

    @staticmethod
    def process_exit() -> None:
        """The worker's live gauges must not outlive it in the shared directory."""
        path = multiprocess_dir()
        if path and os.path.isdir(path):
            multiprocess.mark_process_dead(os.getpid(), path)


def endpoint(metrics: Metrics) -> Any:
    async def serve_metrics(request: Request) -> Response:
        return Response(metrics.render(), media_type=CONTENT_TYPE_LATEST,
                        headers={"cache-control": "no-store"})
    return serve_metrics
