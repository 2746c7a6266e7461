"""Prometheus metrics: requests, latency, content and reloads — in one process or many.

With several uvicorn workers, `smartmed serve` sets PROMETHEUS_MULTIPROC_DIR before any
worker imports prometheus_client: each worker then writes its samples to files there and
whichever process answers a scrape adds them all up.

In one process (the default), requests are added up in plain dicts and turned into
Prometheus samples only when scraped: prometheus_client's Counter and Histogram take a lock
and walk the buckets on every request, which was a tenth of a request's time. The event
loop's one thread both adds and scrapes, so nothing needs a lock.
"""

from __future__ import annotations

import os
import threading
from bisect import bisect_left
from collections.abc import Iterator
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
from prometheus_client.core import CounterMetricFamily, HistogramMetricFamily, Metric
from prometheus_client.registry import Collector
from prometheus_client.utils import floatToGoString
from starlette.requests import Request
from starlette.responses import Response

from smartmed.content.model import Library

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
# Answers come from precomputed bytes: most land well under a millisecond.
BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)
REQUESTS = ("smartmed_http_requests",
            "HTTP requests answered, by route template and status.")
LATENCY = ("smartmed_http_request_duration_seconds",
           "Time from request to the last byte of the answer, by route template.")


# Label values are bounded, so that no client can add series: a request no route takes is
# counted under route "other", and a method outside RFC 9110's (and PATCH) under "other".
OTHER = "other"
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE",
                     "PATCH"})


def multiprocess_dir() -> str | None:
    return os.environ.get(MULTIPROC_ENV) or None


def scrape_registry() -> CollectorRegistry:
    """What a scrape reads: this process's own registry, or every worker's files."""
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)
    return registry


class LocalRequests(Collector):
    """Request counts and latency of this process, as Prometheus samples when scraped."""

    def __init__(self) -> None:
        self.counts: dict[tuple[str, str, int], int] = {}
        # route -> [sum of seconds, then one count per bucket and a last one for +Inf]
        self.latency: dict[str, list[float]] = {}

    def observe(self, route: str, method: str, status: int, seconds: float) -> None:
        key = (route, method, status)
        counts = self.counts
        counts[key] = counts.get(key, 0) + 1
        row = self.latency.get(route)
        if row is None:
            row = self.latency[route] = [0.0] * (len(BUCKETS) + 2)
        row[0] += seconds
        row[1 + bisect_left(BUCKETS, seconds)] += 1  # the first bound >= seconds, as Histogram

    def collect(self) -> Iterator[Metric]:
        requests = CounterMetricFamily(*REQUESTS, labels=["route", "method", "status"])
        for (route, method, status), count in sorted(self.counts.items()):
            requests.add_metric([route, method, str(status)], count)
        latency = HistogramMetricFamily(*LATENCY, labels=["route"])
        bounds = [*map(floatToGoString, BUCKETS), "+Inf"]
        for route, row in sorted(self.latency.items()):
            total, buckets = 0.0, []
            for bound, count in zip(bounds, row[1:], strict=True):
                total += count
                buckets.append((bound, total))
            latency.add_metric([route], buckets, sum_value=row[0])
        yield requests
        yield latency


class Metrics:
    def __init__(self) -> None:
        # A registry per app: tests build many apps in one process, each with fresh counts.
        self.registry = CollectorRegistry()
        reg = self.registry
        if multiprocess_dir():
            # Other processes read these samples at any moment: each request writes them.
            self.requests = Counter(*REQUESTS, ["route", "method", "status"], registry=reg)
            self.latency = Histogram(*LATENCY, ["route"], buckets=BUCKETS, registry=reg)
            self.observe = self._observe_shared
        else:
            local = LocalRequests()
            reg.register(local)
            self.observe = local.observe
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
        # .labels() parses its arguments on every call; the request path reuses children.
        self._request_children: dict[tuple[str, str, int], tuple[Any, Any]] = {}
        self._lock = threading.Lock()
        self._served: str | None = None

    def _observe_shared(self, route: str, method: str, status: int, seconds: float) -> None:
        key = (route, method, status)
        children = self._request_children.get(key)
        if children is None:
            children = (self.requests.labels(route, method, str(status)),
                        self.latency.labels(route))
            self._request_children[key] = children
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
        # The worker's live gauges must not outlive it in the shared directory.
        path = multiprocess_dir()
        if path and os.path.isdir(path):
            multiprocess.mark_process_dead(os.getpid(), path)


def endpoint(metrics: Metrics) -> Any:
    async def serve_metrics(request: Request) -> Response:
        return Response(metrics.render(), media_type=CONTENT_TYPE_LATEST,
                        headers={"cache-control": "no-store"})
    return serve_metrics

