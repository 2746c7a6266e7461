"""Nothing the caller sent comes back: redirects, the partner check, error messages."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient


@pytest.mark.parametrize(("path", "location"), [
    ("/articles/", "/articles"),
    ("/v1/topics/", "/v1/topics"),
    ("/topics/sleep//", "/topics/sleep"),
    ("/articles/?utm_source=x", "/articles?utm_source=x"),
])
def test_the_trailing_slash_redirect_is_relative_whatever_the_host(
        client: TestClient, path: str, location: str) -> None:
    response = client.get(path, headers={"host": "evil.example"}, follow_redirects=False)
    assert response.status_code == 307
    assert response.headers["location"] == location


@pytest.mark.parametrize("path", ["//evil.example/", "///evil.example/", "/nothing/"])
def test_a_slash_path_with_no_route_behind_it_is_not_redirected(
        client: TestClient, path: str) -> None:
    response = client.get("http://testserver" + path, follow_redirects=False)
    assert response.status_code == 404
    assert "location" not in response.headers


def test_the_tip_redirect_is_relative(client: TestClient) -> None:
    response = client.get("/tips/today", headers={"host": "evil.example"},
                          follow_redirects=False)
    assert response.status_code == 302
    assert response.headers["location"].startswith("/tips/")


def test_an_origin_matching_the_host_header_is_not_the_services_own(
        client: TestClient) -> None:
    url = "/v1/articles?partner=calm-clinic"
    forged = client.get(url, headers={"host": "evil.example", "origin": "http://evil.example"})
    assert forged.status_code == 403
    assert "access-control-allow-origin" not in forged.headers
    own = client.get(url, headers={"host": "evil.example", "origin": "https://service.example"})
    assert own.status_code == 200  # the configured base URL's origin


@pytest.mark.parametrize("url", [
    "/v1/nothing-probe", "/feeds/probe.rss", "/feeds/topics/probe.rss", "/v1/articles/probe",
    "/static/probe.css", "/widget.probe.js", "/articles/probe", "/topics/probe",
    "/tips/probe", "/probe",
])
def test_error_messages_do_not_repeat_the_path(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 404
    assert "probe" not in response.text


def test_a_403_does_not_repeat_the_origin(client: TestClient) -> None:
    response = client.get("/v1/tips/today?partner=calm-clinic",
                          headers={"origin": "https://probe.example"})
    assert response.status_code == 403
    assert "probe" not in response.text
