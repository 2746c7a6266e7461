"""Security headers on every response, refused request shapes, partner origins and CORS."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from helpers import fixed_clock
from serving import Proc, serve
from smartmed.app import create_app
from smartmed.http.limits import MAX_HEADER_BYTES, MAX_HEADERS
from smartmed.http.security import DATA_CSP, PAGE_CSP
from smartmed.settings import Settings

CALM = "https://calm.example.com"
OWN = "https://service.example"


def assert_secured(response, *, cross: bool, html: bool = False) -> None:
    headers = response.headers
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert headers["cross-origin-resource-policy"] == ("cross-origin" if cross else "same-site")
    assert headers["content-security-policy"] == (PAGE_CSP if html else DATA_CSP)
    assert "server" not in headers
    # Each header once: a route's own value is never doubled by the middleware.
    for name in ("x-content-type-options", "content-security-policy",
                 "cross-origin-resource-policy"):
        assert len(headers.get_list(name)) == 1, name


class TestHeaders:
    @pytest.mark.parametrize(("url", "status", "cross", "html"), [
        ("/v1/topics", 200, True, False),
        ("/v1/tips/2026-11-27", 200, True, False),
        ("/v1/articles/nope", 404, True, False),
        ("/v1/articles?limit=0", 400, True, False),
        ("/feeds/articles.rss", 200, True, False),
        ("/feeds/tips.json", 200, True, False),
        ("/widget.js", 200, True, False),
        ("/widget.json", 200, True, False),
        ("/openapi.json", 200, False, False),
        ("/healthz", 200, False, False),
        ("/configurator/code", 200, False, False),
        ("/", 200, False, True),
        ("/articles/sleep-better", 200, False, True),
        ("/articles/nope", 404, False, True),
        ("/tips/today", 302, False, True),
        ("/nothing-here", 404, False, False),
    ])
    def test_every_kind_of_response_carries_them(self, client: TestClient, url: str,
                                                 status: int, cross: bool, html: bool) -> None:
        response = client.get(url, follow_redirects=False)
        assert response.status_code == status
        if url == "/tips/today":
            html = True  # the redirect carries the pages' own headers
        assert_secured(response, cross=cross, html=html)

    def test_a_static_asset_and_a_304_carry_them(self, client: TestClient) -> None:
        page = client.get("/")
        css = next(part.split('"')[0] for part in page.text.split('href="')
                   if part.startswith("/static/"))
        assert_secured(client.get(css), cross=False)
        etag = client.get("/v1/topics").headers["etag"]
        again = client.get("/v1/topics", headers={"If-None-Match": etag})
        assert again.status_code == 304
        assert_secured(again, cross=True)

    def test_a_server_error_carries_them_and_no_detail(self, content_dir: Path) -> None:
        app = create_app(Settings(content_dir=content_dir, access_log=False),
                         clock=fixed_clock())
        with TestClient(app, raise_server_exceptions=False) as client:
            app.state.widget = None  # the widget route now fails inside the handler
            response = client.get("/widget.js")
        assert response.status_code == 500
        assert_secured(response, cross=True)
        assert response.json()["error"]["code"] == "internal_error"
        assert "Traceback" not in response.text


class TestRefusals:
    def test_a_get_with_a_body_is_refused_naming_the_body(self, client: TestClient) -> None:
        response = client.request("GET", "/v1/topics", content=b"{}")
        assert response.status_code == 400
        assert response.headers["content-type"] == "application/json"
        assert response.headers["connection"] == "close"
        assert_secured(response, cross=True)
        assert response.json()["error"]["message"].startswith("body: a GET request takes no body")

    def test_a_head_with_a_body_and_chunked_transfer_are_refused(self, client: TestClient) -> None:
        head = client.request("HEAD", "/", content=b"x")
        assert head.status_code == 400
        chunked = client.get("/v1/topics", headers={"Transfer-Encoding": "chunked"})
        assert chunked.status_code == 400
        assert chunked.json()["error"]["message"].startswith("body:")

    def test_an_empty_content_length_is_not_a_body(self, client: TestClient) -> None:
        assert client.get("/v1/topics", headers={"Content-Length": "0"}).status_code == 200

    def test_headers_past_the_limit_get_431(self, client: TestClient) -> None:
        big = client.get("/v1/topics", headers={"X-Padding": "a" * MAX_HEADER_BYTES})
        assert big.status_code == 431
        assert_secured(big, cross=True)
        assert big.json()["error"] == {
            "code": "headers_too_large",
            "message": big.json()["error"]["message"]}
        assert big.json()["error"]["message"].startswith("headers: ")
        many = client.get("/", headers={f"X-H{n}": "v" for n in range(MAX_HEADERS + 1)})
        assert many.status_code == 431
        assert client.get("/v1/topics", headers={"X-Padding": "a" * 4000}).status_code == 200

    def test_long_paths_and_queries_get_414(self, client: TestClient) -> None:
        path = client.get("/articles/" + "a" * 3000)
        assert path.status_code == 414
        assert path.json()["error"]["message"] == "path: longer than 2048 bytes"
        query = client.get("/feeds/tips.rss?x=" + "b" * 3000)
        assert query.status_code == 414
        assert_secured(query, cross=True)


def _raw(port: int, head: bytes) -> bytes:
    """One request written by hand: clients refuse to send most of what is tested here."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(head)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    return data


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Proc]:
    proc = serve(tmp_path_factory.mktemp("logs"), None, access_log="false",
                 reload_interval="0", metrics="false")
    yield proc
    proc.stop()


class TestRealServer:
    """What uvicorn itself does, in a real `smartmed serve` process."""

    def test_no_server_banner(self, server: Proc) -> None:
        answer = _raw(server.port, b"GET /v1/topics HTTP/1.1\r\nHost: x\r\n"
                                   b"Connection: close\r\n\r\n")
        head = answer.split(b"\r\n\r\n")[0].lower()
        assert head.startswith(b"http/1.1 200")
        assert b"\r\nserver:" not in head
        assert b"uvicorn" not in head and b"python" not in head

    @pytest.mark.parametrize("size", [MAX_HEADER_BYTES + 1000, 64 * 1024, 1024 * 1024])
    def test_huge_headers_get_a_json_431_not_a_crash(self, server: Proc, size: int) -> None:
        answer = _raw(server.port, b"GET /v1/topics HTTP/1.1\r\nHost: x\r\nX-Big: "
                      + b"a" * size + b"\r\n\r\n")
        head, _, body = answer.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 431")
        assert b'"code": "headers_too_large"' in body
        again = _raw(server.port, b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        assert again.startswith(b"HTTP/1.1 200"), "the server still answers"

    def test_a_get_with_a_body_gets_400_and_the_connection_closes(self, server: Proc) -> None:
        answer = _raw(server.port, b"GET /v1/topics HTTP/1.1\r\nHost: x\r\nContent-Length: 5"
                                   b"\r\n\r\nhello")
        head, _, body = answer.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 400")
        assert b"connection: close" in head.lower()
        assert b'"message": "body: a GET request takes no body' in body
        assert answer.count(b"HTTP/1.1") == 1, "the body was not read as a second request"


# Every endpoint that takes `partner`, with a URL that answers 200 for calm-clinic.
PARTNER_URLS = [
    "/v1/tips/today?partner=calm-clinic",
    "/v1/tips/2026-11-27?partner=calm-clinic",
    "/v1/articles?partner=calm-clinic",
    "/v1/articles/calm-down?partner=calm-clinic",
]
FOREIGN_ORIGINS = [
    "https://evil.example",  # spoofed
    "null",  # sandboxed frames, file: pages, some redirects
    "https://calm.example.com.evil.example",  # shares the allowed origin as a prefix
    "https://evilcalm.example.com",  # shares it as a suffix
    "https://www.calm.example.com",  # a subdomain is another origin
    "http://calm.example.com",  # another scheme
    "https://calm.example.com:8443",  # another port
    "https://calm.example.com/",  # not an origin at all
    "HTTPS://CALM.EXAMPLE.COM",  # browsers send origins lowercased
    "https://open.example.org",  # allowed, but for another partner
]


class TestPartnerOrigins:
    @pytest.mark.parametrize("url", PARTNER_URLS)
    @pytest.mark.parametrize("origin", FOREIGN_ORIGINS)
    def test_a_foreign_origin_gets_403_without_cors(self, client: TestClient, url: str,
                                                    origin: str) -> None:
        response = client.get(url, headers={"Origin": origin})
        assert response.status_code == 403
        assert response.headers["content-type"] == "application/json"
        assert "access-control-allow-origin" not in response.headers
        assert "Origin" in response.headers["vary"]
        assert response.json()["error"]["code"] == "forbidden"

    @pytest.mark.parametrize("url", PARTNER_URLS)
    def test_an_allowed_origin_is_echoed_exactly(self, client: TestClient, url: str) -> None:
        response = client.get(url, headers={"Origin": CALM})
        assert response.status_code == 200
        assert response.headers["access-control-allow-origin"] == CALM
        assert "Origin" in response.headers["vary"]
        revalidated = client.get(url, headers={"Origin": CALM,
                                               "If-None-Match": response.headers["etag"]})
        assert revalidated.status_code == 304
        assert revalidated.headers["access-control-allow-origin"] == CALM

    @pytest.mark.parametrize("url", PARTNER_URLS)
    def test_the_services_own_origin_is_served(self, client: TestClient, url: str) -> None:
        response = client.get(url, headers={"Origin": OWN})
        assert response.status_code == 200
        assert response.headers.get("access-control-allow-origin") in (None, OWN)

    @pytest.mark.parametrize("url", PARTNER_URLS)
    def test_no_origin_is_served_without_a_star(self, client: TestClient, url: str) -> None:
        # No Origin means a same-origin page or a non-browser client.
        response = client.get(url)
        assert response.status_code == 200
        assert "access-control-allow-origin" not in response.headers
        assert "Origin" in response.headers["vary"]

    @pytest.mark.parametrize("url", [u.replace("calm-clinic", "stranger") for u in PARTNER_URLS])
    @pytest.mark.parametrize("origin", [None, CALM, "https://evil.example"])
    def test_an_unknown_partner_gets_404_without_cors(self, client: TestClient, url: str,
                                                      origin: str | None) -> None:
        response = client.get(url, headers={"Origin": origin} if origin else {})
        assert response.status_code == 404
        assert "access-control-allow-origin" not in response.headers
        assert "Origin" in response.headers["vary"]
        assert response.json()["error"]["message"] == "partner: no partner 'stranger'"

    def test_a_partners_bad_request_carries_no_star(self, client: TestClient) -> None:
        response = client.get("/v1/articles?partner=calm-clinic&limit=0",
                              headers={"Origin": CALM})
        assert response.status_code == 400
        assert response.headers.get("access-control-allow-origin") != "*"

    def test_public_data_says_star_and_varies_on_origin(self, client: TestClient) -> None:
        for url in ["/v1/topics", "/v1/articles", "/feeds/articles.atom"]:
            response = client.get(url, headers={"Origin": "https://anyone.example"})
            assert response.status_code == 200
            assert response.headers["access-control-allow-origin"] == "*"
            assert "Origin" in response.headers["vary"]
