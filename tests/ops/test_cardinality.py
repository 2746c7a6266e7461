"""The metrics' label sets are bounded: no request adds a series beyond a fixed set."""

from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families
from starlette.testclient import TestClient

from routewalk import ROUTES, examples
from routewalk import url as route_url
from smartmed.ops.metrics import METHODS, OTHER

STANDARD = ["GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE", "CONNECT"]


def _series(client: TestClient) -> set[tuple[str, tuple[tuple[str, str], ...]]]:
    text = client.get("/metrics").text
    return {(s.name, tuple(sorted(s.labels.items())))
            for family in text_string_to_metric_families(text)
            if family.name.startswith("smartmed_http_") for s in family.samples}


def _every_method_to_every_route(client: TestClient, methods: list[str],
                                 probes: list[str]) -> None:
    urls = [route_url(t, p, q) for t, (p, q, _) in examples(client).items()] + probes
    for method in methods:
        for url in urls:
            client.request(method, url, follow_redirects=False)


def test_every_method_to_every_route_leaves_the_series_count_fixed(client: TestClient) -> None:
    _every_method_to_every_route(client, [*STANDARD, "FOO", "PROPFIND"],
                                 ["/probe-1", "/v1/probe", "/metrics/", "/feeds/probe.xml"])
    first = _series(client)
    _every_method_to_every_route(client, [*STANDARD, "BAR", "MKCOL", "X-ANYTHING"],
                                 ["/probe-2", "/v1/other-probe", "/METRICS", "/x/y/z"])
    second = _series(client)
    assert second == first
    labels = {dict(labels).get("method") for _, labels in second} - {None}
    assert labels <= METHODS | {OTHER}
    assert OTHER in labels
    routes = {dict(labels).get("route") for _, labels in second}
    assert routes <= set(ROUTES) | {OTHER}
    assert OTHER in routes
