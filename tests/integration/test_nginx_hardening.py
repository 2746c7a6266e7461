"""deploy/nginx.conf and `smartmed serve` as production runs them, probed as an attacker would:
weights in Accept-Encoding, /metrics in every spelling, slow headers, the Server header.

One replica, with metrics on their own port as in docker-compose.yml, behind real nginx.
"""

from __future__ import annotations

import http.client
import select
import signal
import socket
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from helpers import CASES
from serving import NGINX, Proc, free_port, serve, start_nginx, write_content

pytestmark = pytest.mark.skipif(NGINX is None, reason="nginx is not installed "
                                "(scripts/install-system-deps.sh installs it)")

METRICS_SPELLINGS = ["/metrics", "/metrics/", "/METRICS", "/Metrics", "/metrics%0A",
                     "/metrics%0D", "/metrics%09", "/metrics%00", "//metrics", "/./metrics",
                     "/v1/../metrics", "/metrics?format=text", "/%6Detrics", "/metrics.txt",
                     "/metrics;x"]
SLOW_CLIENTS = 10
TRICKLE_LINES = 40  # at most 40 header lines, one every half second: 20 s at most


@pytest.fixture(scope="module")
def replica(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Proc]:
    base = tmp_path_factory.mktemp("hardened")
    metrics_port = free_port()
    proc = serve(base, write_content(base / "content"), name="replica",
                 metrics_port=str(metrics_port))
    proc.metrics_port = metrics_port
    try:
        yield proc
    finally:
        proc.stop()


@pytest.fixture(scope="module")
def proxy(replica: Proc, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Proc]:
    nginx = start_nginx(tmp_path_factory.mktemp("nginx-hardened"), [replica.port])
    try:
        yield nginx
    finally:
        nginx.stop(signal.SIGQUIT)


def raw_status(port: int, target: str) -> int:
    """The status of GET with exactly this request target: no client-side normalizing."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", target)
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


@pytest.mark.parametrize(("accept", "gzipped"), CASES)
def test_nginx_honours_weights_and_caches_each_answer_apart(
        proxy: Proc, accept: str, gzipped: bool) -> None:
    for path in ["/v1/articles/note-5", "/feeds/articles.rss"]:
        answers = []
        for _ in range(2):  # the second is a cache hit: the key must not mix the variants
            with httpx.stream("GET", proxy.url + path,
                              headers={"accept-encoding": accept.encode()}) as response:
                response.read()
                answers.append(response)
        assert [a.status_code for a in answers] == [200, 200]
        assert answers[1].headers["x-cache-status"] == "HIT"
        for answer in answers:
            assert (answer.headers.get("content-encoding") == "gzip") is gzipped, (accept, path)


@pytest.mark.parametrize("target", METRICS_SPELLINGS)
def test_metrics_in_any_spelling_is_404_on_the_public_ports(
        proxy: Proc, replica: Proc, target: str) -> None:
    assert raw_status(proxy.port, target) in (400, 404), "through nginx"
    assert raw_status(replica.port, target) in (400, 404), "on the replica's own port"


def test_metrics_are_served_on_the_metrics_port(replica: Proc) -> None:
    port = replica.metrics_port
    response = httpx.get(f"http://127.0.0.1:{port}/metrics")
    assert response.status_code == 200
    assert "smartmed_content_items" in response.text


def test_nginx_sends_its_name_without_a_version_and_the_app_none(
        proxy: Proc, replica: Proc) -> None:
    # What the README says remains: stock nginx cannot drop its Server header.
    assert httpx.get(proxy.url + "/healthz").headers.get_list("server") == ["nginx"]
    assert "server" not in httpx.get(replica.url + "/healthz").headers


def _slow_client(port: int, first: bytes = b"") -> str:
    """Send a request head a line at a time, never finishing it (after ``first``, whole
    requests whose answers are read). "closed" when the server hangs up first, "finished"
    when every line went out with the connection still open."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        if first:
            sock.sendall(first)
            answer = b""
            while b'"ok"}' not in answer:  # /healthz's whole body
                chunk = sock.recv(4096)
                assert chunk, "the connection closed before the first answer"
                answer += chunk
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        for n in range(TRICKLE_LINES):
            readable, _, _ = select.select([sock], [], [], 0.5)
            try:
                if readable and not sock.recv(4096):
                    return "closed"
                sock.sendall(f"X-Slow-{n}: 1\r\n".encode())
            except OSError:  # reset: closed as well
                return "closed"
            if readable:  # an answer (nginx's 408) is also the server ending it
                return "closed"
    return "finished"


# Slow clients are nginx's to cut off (client_header_timeout): replicas are reached only
# through it (deploy/nginx.conf), and uvicorn has no header deadline of its own.
def test_slow_headers_are_cut_off_and_others_are_still_served(proxy: Proc) -> None:
    server = proxy
    with ThreadPoolExecutor(SLOW_CLIENTS) as pool:
        slow = [pool.submit(_slow_client, server.port) for _ in range(SLOW_CLIENTS)]
        served = httpx.get(server.url + "/healthz", timeout=10)
        results = [f.result() for f in slow]
    assert served.status_code == 200
    assert results == ["closed"] * SLOW_CLIENTS


def test_a_slow_second_request_on_a_kept_alive_connection_is_cut_off(proxy: Proc) -> None:
    first = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    assert _slow_client(proxy.port, first) == "closed"


def test_a_request_head_sent_in_small_pieces_in_time_is_served(replica: Proc) -> None:
    head = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    with socket.create_connection(("127.0.0.1", replica.port), timeout=10) as sock:
        for start in range(0, len(head), 3):  # "\r\n\r\n" arrives split across writes
            sock.sendall(head[start:start + 3])
        answer = b""
        while chunk := sock.recv(4096):
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 200")


def test_every_path_is_rate_limited(replica: Proc, tmp_path: Path) -> None:
    nginx = start_nginx(tmp_path, [replica.port], rate="1r/s", burst=3)
    try:
        with httpx.Client() as client:
            for path in ["/", "/articles", "/feeds/tips.rss", "/widget.js", "/healthz",
                         "/v1/topics", "/nothing-here"]:
                answers = [client.get(nginx.url + path) for _ in range(8)]
                limited = [a for a in answers if a.status_code == 429]
                assert limited, path
                assert limited[0].json()["error"]["code"] == "rate_limited", path
    finally:
        nginx.stop(signal.SIGQUIT)


def test_a_query_a_page_ignores_is_no_new_cache_entry(proxy: Proc) -> None:
    css = httpx.get(proxy.url + "/topics").text.split('rel="stylesheet" href="', 1)[1]
    for path in ["/articles", "/topics/sleep", css.split('"', 1)[0], "/widget.js",
                 "/favicon.ico"]:
        first = httpx.get(proxy.url + path)
        again = [httpx.get(f"{proxy.url}{path}?junk={n}&utm_source=x") for n in range(3)]
        assert first.status_code == 200, path
        assert [a.headers["x-cache-status"] for a in again] == ["HIT"] * 3, path
        assert {a.content for a in again} == {first.content}, path


def test_the_api_and_feeds_refuse_a_query_they_do_not_take_and_cache_nothing(
        proxy: Proc) -> None:
    for path in ["/v1/topics?junk=1", "/feeds/tips.rss?junk=1"]:
        answers = [httpx.get(proxy.url + path) for _ in range(2)]
        assert [a.status_code for a in answers] == [400, 400], path
        assert [a.headers["x-cache-status"] for a in answers] == ["MISS", "MISS"], path


def test_the_tip_redirect_keeps_its_own_query_through_the_cache(proxy: Proc) -> None:
    for source in ["a", "b", "a"]:
        response = httpx.get(f"{proxy.url}/tips/today?utm_source={source}")
        assert response.status_code == 302
        assert response.headers["location"].endswith(f"?utm_source={source}")
