"""deploy/nginx.conf, run by real nginx in front of real `smartmed serve` replicas."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import signal
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from serving import (
    NGINX,
    Proc,
    run_python,
    serve,
    smartmed_env,
    start_nginx,
    until,
    wait_ready,
    write_content,
)

pytestmark = [pytest.mark.system,
              pytest.mark.skipif(NGINX is None, reason="nginx is not installed "
                                 "(scripts/install-system-deps.sh installs it)")]

@pytest.fixture(scope="module")
def replicas(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[Proc]]:
    base = tmp_path_factory.mktemp("replicas")
    content = write_content(base / "content")
    procs = [serve(base, content, name=f"replica-{n}", wait=False) for n in range(2)]
    try:
        yield [wait_ready(p) for p in procs]
    finally:
        for p in procs:
            p.stop()


@pytest.fixture(scope="module")
def proxy(replicas: list[Proc], tmp_path_factory: pytest.TempPathFactory) -> Iterator[Proc]:
    nginx = start_nginx(tmp_path_factory.mktemp("nginx"), [r.port for r in replicas])
    try:
        yield nginx
    finally:
        nginx.stop(signal.SIGQUIT)


def test_a_second_request_is_a_cache_hit(proxy: Proc) -> None:
    first = httpx.get(proxy.url + "/v1/articles/note-1")
    second = httpx.get(proxy.url + "/v1/articles/note-1")
    assert (first.status_code, second.status_code) == (200, 200)
    assert first.headers["x-cache-status"] == "MISS"
    assert second.headers["x-cache-status"] == "HIT"
    assert second.headers["etag"] == first.headers["etag"]
    assert second.headers["x-content-version"] == first.headers["x-content-version"]
    assert second.json() == first.json()


def test_conditional_requests_get_304_through_the_proxy(proxy: Proc, replicas: list[Proc]) -> None:
    etag = httpx.get(replicas[0].url + "/v1/articles/note-2").headers["etag"]
    cold = httpx.get(proxy.url + "/v1/articles/note-2", headers={"if-none-match": etag})
    warm = httpx.get(proxy.url + "/v1/articles/note-2", headers={"if-none-match": etag})
    other = httpx.get(proxy.url + "/v1/articles/note-2", headers={"if-none-match": '"nope"'})
    assert (cold.status_code, warm.status_code, other.status_code) == (304, 304, 200)
    assert warm.headers["x-cache-status"] == "HIT"
    assert warm.headers["etag"] == etag
    assert cold.content == warm.content == b""
    assert other.json()["article"]["slug"] == "note-2"


def test_gzip_and_identity_are_cached_apart(proxy: Proc) -> None:
    url = proxy.url + "/v1/articles/note-3"
    with httpx.Client(headers={"accept-encoding": "gzip"}) as client:
        zipped = client.get(url)
        with client.stream("GET", url) as again:
            raw = b"".join(again.iter_raw())
    plain = httpx.get(url, headers={"accept-encoding": "identity"})
    assert (zipped.status_code, again.status_code, plain.status_code) == (200, 200, 200)
    assert zipped.headers["content-encoding"] == "gzip"
    assert again.headers["x-cache-status"] == "HIT"
    assert "content-encoding" not in plain.headers
    assert plain.headers["x-cache-status"] == "MISS"
    assert json.loads(gzip.decompress(raw)) == plain.json() == zipped.json()


def test_origin_variants_never_mix(proxy: Proc) -> None:
    url = proxy.url + "/v1/articles?partner=calm-clinic"
    allowed = httpx.get(url, headers={"origin": "https://calm.example.com"})
    stranger = httpx.get(url, headers={"origin": "https://elsewhere.example"})
    allowed_again = httpx.get(url, headers={"origin": "https://calm.example.com"})
    assert (allowed.status_code, stranger.status_code, allowed_again.status_code) == (
        200, 403, 200)
    assert allowed.headers["access-control-allow-origin"] == "https://calm.example.com"
    assert allowed_again.headers["x-cache-status"] == "HIT"
    assert "access-control-allow-origin" not in stranger.headers
    assert stranger.json()["error"]["code"]


def test_languages_never_share_a_cached_answer(proxy: Proc) -> None:
    """The API negotiates Accept-Language: nginx keys its answers on the language the
    header prefers, so a German reader never gets a cached answer built for another."""
    def topics(accept_language: str) -> httpx.Response:
        return httpx.get(proxy.url + "/v1/topics", headers={"accept-language": accept_language})

    german, spanish, english = topics("de"), topics("es"), topics("en-GB,en;q=0.8")
    assert [r.headers["x-cache-status"] for r in (german, spanish, english)] == [
        "MISS", "MISS", "MISS"]
    assert german.json()["lang"] == "de"
    # The site of this module has no Spanish: the default answers, in its own entry.
    assert spanish.json()["lang"] == english.json()["lang"] == "en"
    assert "Accept-Language" in german.headers["vary"]
    again, austrian = topics("de"), topics("de-AT,de;q=0.9,en;q=0.1")
    assert again.headers["x-cache-status"] == austrian.headers["x-cache-status"] == "HIT"
    assert again.json() == austrian.json() == german.json()
    # A header nginx cannot read at a glance keys on itself: still never a wrong language.
    weighted = topics("fr;q=0.9, de;q=0.8")
    assert weighted.headers["x-cache-status"] == "MISS"
    assert weighted.json()["lang"] == "de"
    # An explicit lang is in the URL, so in the key.
    explicit = httpx.get(proxy.url + "/v1/topics?lang=de", headers={"accept-language": "es"})
    assert explicit.json()["lang"] == "de"
    assert "Accept-Language" not in explicit.headers["vary"]


def test_a_burst_for_a_cold_key_reaches_the_app_once(proxy: Proc, replicas: list[Proc]) -> None:
    def app_hits() -> int:  # the replicas' access logs: one line per request they answered
        return sum('"route":"/v1/articles/{slug}"' in line and '"open-partner"' in line
                   for r in replicas for line in r.stdout().splitlines())

    barrier = threading.Barrier(8)

    def fetch(_: int) -> httpx.Response:
        barrier.wait()
        return httpx.get(proxy.url + "/v1/articles/note-4?partner=open-partner")

    with ThreadPoolExecutor(8) as pool:
        responses = list(pool.map(fetch, range(8)))
    assert [r.status_code for r in responses] == [200] * 8
    assert sorted(r.headers["x-cache-status"] for r in responses) == ["HIT"] * 7 + ["MISS"]
    assert len({r.content for r in responses}) == 1
    until(app_hits, what="the app's access log line")
    assert app_hits() == 1


def test_a_burst_beyond_the_rate_limit_gets_429_and_nothing_else_fails(
        replicas: list[Proc], tmp_path: Path) -> None:
    nginx = start_nginx(tmp_path, [r.port for r in replicas], rate="1r/s", burst=5)
    try:
        with httpx.Client() as client:
            answers = [client.get(nginx.url + "/v1/topics") for _ in range(20)]
    finally:
        nginx.stop(signal.SIGQUIT)
    codes = [a.status_code for a in answers]
    assert set(codes) == {200, 429}
    # The burst allowance (less the readiness probe, which counts too), then the limit.
    assert codes[:4] == [200] * 4
    limited = next(a for a in answers if a.status_code == 429)
    assert limited.headers["content-type"] == "application/json"
    assert limited.headers["retry-after"] == "1"
    assert limited.json()["error"]["code"] == "rate_limited"


def test_with_every_replica_down_an_expired_entry_is_served_stale(tmp_path: Path) -> None:
    # Replicas whose clock stands 3 s before midnight: today's tip is cacheable for 3 s.
    content = write_content(tmp_path / "content")
    runner = (
        "import datetime as dt, sys, uvicorn\n"
        "from smartmed.app import create_app\n"
        "from smartmed.settings import Settings\n"
        "now = dt.datetime(2026, 11, 27, 23, 59, 57, tzinfo=dt.UTC)\n"
        "app = create_app(Settings.from_env(), clock=lambda: now)\n"
        "uvicorn.run(app, host='127.0.0.1', port=int(sys.argv[1]), log_level='warning')\n"
    )
    env = smartmed_env(content_dir=str(content), access_log="false", reload_interval="0")
    procs = [run_python(tmp_path, f"frozen-{n}", runner, env) for n in range(2)]
    nginx = None
    try:
        for p in procs:
            wait_ready(p)
        nginx = start_nginx(tmp_path / "nginx", [p.port for p in procs])
        url = nginx.url + "/v1/tips/today?tz=UTC"
        fresh = httpx.get(url)
        assert fresh.status_code == 200
        assert fresh.headers["cache-control"] == "public, max-age=3"
        assert httpx.get(url).headers["x-cache-status"] == "HIT"
        for p in procs:
            p.stop(signal.SIGKILL)
        # Served from cache while fresh; once expired, nginx finds no replica to ask.
        stale = until(lambda: (r := httpx.get(url)).headers["x-cache-status"] != "HIT" and r,
                      timeout=10, what="the cached tip to expire", step=0.2)
        assert isinstance(stale, httpx.Response)
    finally:
        if nginx:
            nginx.stop(signal.SIGQUIT)
        for p in procs:
            p.stop()
    assert stale.status_code == 200
    assert stale.headers["x-cache-status"] == "STALE"
    assert stale.json()["tip"]["id"] == fresh.json()["tip"]["id"]


def test_killing_a_replica_mid_load_loses_no_request(proxy: Proc, replicas: list[Proc]) -> None:
    # Runs last in this module: it leaves one replica dead.
    days = [dt.date(2021, 1, 1) + dt.timedelta(days=n) for n in range(560)]
    urls = [f"/v1/tips/{d.isoformat()}" for d in days]
    done = 0
    lock = threading.Lock()
    halfway = threading.Event()

    def worker(chunk: list[str]) -> list[int | str]:
        nonlocal done
        codes: list[int | str] = []
        etag = ""
        with httpx.Client(base_url=proxy.url, timeout=20) as client:
            for n, url in enumerate(chunk):
                try:
                    if n % 10 == 9 and etag:  # now and then, a reader revalidating
                        response = client.get(chunk[n - 1], headers={"if-none-match": etag})
                    else:
                        response = client.get(url)
                        etag = response.headers.get("etag", "")
                    codes.append(response.status_code)
                except httpx.RemoteProtocolError as cut:
                    # The one answer nginx cannot retry: its head had reached the client.
                    codes.append(str(cut))
                with lock:
                    done += 1
                    if done >= 150:
                        halfway.set()
        return codes

    chunks = [urls[n::8] for n in range(8)]
    with ThreadPoolExecutor(8) as pool:
        futures = [pool.submit(worker, chunk) for chunk in chunks]
        halfway.wait(30)
        replicas[1].stop(signal.SIGKILL)
        with lock:
            at_kill = done
        codes = [c for f in futures for c in f.result()]
    assert at_kill < len(urls)  # the replica died with requests still to come
    assert '"route":"/v1/tips/{date}"' in replicas[1].stdout()  # it had taken its share
    assert len(codes) == len(urls) >= 500
    # uvicorn writes an answer's head and body in one event-loop step, with no await
    # between them: a SIGKILL can land between the two writes of at most one answer (the
    # replica has one worker). nginx has passed that head on and cannot retry it; every
    # other request must get its whole answer.
    cut = [c for c in codes if isinstance(c, str)]
    assert len(cut) <= 1, cut
    assert all("received 0 bytes" in c for c in cut), cut
    assert set(codes) - set(cut) <= {200, 304}, sorted(map(str, set(codes)))
    assert replicas[0].popen.poll() is None
