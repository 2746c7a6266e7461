"""GET /metrics: Prometheus text, one process or several, on the main port or its own."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from helpers import fixed_clock
from serving import free_port, metric, serve, smartmed_env
from smartmed.app import create_app
from smartmed.settings import Settings


def app_with(content_dir: Path, **settings: object) -> Starlette:
    return create_app(Settings(content_dir=content_dir, access_log=False,
                               reload_interval=0, **settings), clock=fixed_clock())


def test_metrics_count_requests_by_route_template_and_status(content_dir: Path) -> None:
    with TestClient(app_with(content_dir)) as client:
        client.get("/v1/tips/2026-11-26")
        client.get("/v1/tips/2026-11-27")
        client.get("/v1/tips/1999-01-01?lang=xx")
        client.get("/no/such/path")
        response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=")
    assert response.headers["cache-control"] == "no-store"
    text = response.text
    tips = {"route": "/v1/tips/{date}", "method": "GET"}
    assert metric(text, "smartmed_http_requests_total", status="200", **tips) == 2
    assert metric(text, "smartmed_http_requests_total", status="400", **tips) == 1
    assert metric(text, "smartmed_http_requests_total", route="other", status="404") == 1
    assert "2026-11-26" not in text  # paths never become labels
    assert metric(text, "smartmed_http_request_duration_seconds_count",
                  route="/v1/tips/{date}") == 3


def test_metrics_describe_the_content_being_served(content_dir: Path) -> None:
    app = app_with(content_dir)
    with TestClient(app) as client:
        text = client.get("/metrics").text
    version = app.state.service.library.version
    assert metric(text, "smartmed_content_version_info", version=version) == 1
    assert metric(text, "smartmed_content_items", kind="articles") == 2
    assert metric(text, "smartmed_content_items", kind="tips") == 8
    assert metric(text, "smartmed_content_items", kind="partners") == 2
    assert metric(text, "smartmed_content_reloads_total", result="failure") == 0
    assert metric(text, "smartmed_content_loaded_timestamp_seconds") > 0


def test_metrics_can_be_turned_off(content_dir: Path) -> None:
    with TestClient(app_with(content_dir, metrics=False)) as client:
        response = client.get("/metrics")
    assert response.status_code == 404
    assert response.json()["error"]["message"].startswith("path:")


def test_a_metrics_port_moves_metrics_off_the_main_port(content_dir: Path,
                                                        tmp_path: Path) -> None:
    port = free_port()
    server = serve(tmp_path / "logs", content_dir,
                   env=smartmed_env(metrics_port=str(port), reload_interval="0"))
    try:
        httpx.get(server.url + "/v1/topics")
        main = httpx.get(server.url + "/metrics")
        side = httpx.get(f"http://127.0.0.1:{port}/metrics")
    finally:
        server.stop()
    assert main.status_code == 404
    assert side.status_code == 200
    assert "server" not in side.headers  # no version banner on the side port either
    assert metric(side.text, "smartmed_http_requests_total", route="/v1/topics") == 1


def test_several_workers_add_up_their_counts(content_dir: Path, tmp_path: Path) -> None:
    server = serve(tmp_path / "logs", content_dir, "--workers", "2",
                   env=smartmed_env(reload_interval="0", access_log="false"))
    try:
        for _ in range(40):  # new connections: the kernel spreads them over both workers
            assert httpx.get(server.url + "/v1/topics").status_code == 200
        text = httpx.get(server.url + "/metrics").text
    finally:
        server.stop()
    assert metric(text, "smartmed_http_requests_total", route="/v1/topics") == 40
    assert metric(text, "smartmed_content_items", kind="articles") == 2


@pytest.mark.parametrize("value", ["-1", "http"])
def test_a_bad_metrics_port_stops_the_start(value: str, content_dir: Path,
                                            tmp_path: Path) -> None:
    server = serve(tmp_path / "logs", content_dir, wait=False,
                   env=smartmed_env(metrics_port=value))
    assert server.popen.wait(30) == 2
    assert f"SMARTMED_METRICS_PORT='{value}'" in server.stderr()
