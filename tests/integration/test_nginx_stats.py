"""Beacons through deploy/nginx.conf to real replicas sharing one database (both kinds)."""

from __future__ import annotations

import datetime as dt
import json
import signal
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from helpers import PARTNERS, REVIEWERS, SITE, tip
from serving import NGINX, Proc, serve, start_nginx, until, wait_ready
from smartmed.ops.stats.store import open_store

pytestmark = [pytest.mark.system,
              pytest.mark.skipif(NGINX is None, reason="nginx is not installed "
                                 "(scripts/install-system-deps.sh installs it)")]

BEACON = json.dumps({"partner": "open-partner", "event": "impression", "kind": "tip",
                     "topic": None, "lang": "en", "items": ["sleep-1"]}).encode()
# A reader's browser: httpx's own agent is one of the bots the service drops (204).
HEADERS = {"content-type": "text/plain;charset=UTF-8",
           "user-agent": "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Firefox/140.0"}
BURST = 600
KILL_AFTER = 150


def write_content(root: Path) -> Path:
    for rel, text in {"site.yaml": SITE, "partners.yaml": PARTNERS, "reviewers.yaml": REVIEWERS,
                      "tips/sleep.yaml": "".join(tip(f"sleep-{n}", added="2020-01-01")
                                                 for n in range(1, 4))}.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def cluster(tmp_path: Path, database_url: str) -> Iterator[tuple[list[Proc], Proc, str]]:
    content = write_content(tmp_path / "content")
    state = tmp_path / "state"  # SQLite: one file the replicas share (WAL); else PostgreSQL
    procs = [serve(tmp_path, content, name=f"replica-{n}", wait=False, state_dir=str(state),
                   database_url=database_url, access_log="false") for n in range(2)]
    nginx = None
    try:
        for p in procs:
            wait_ready(p)
        nginx = start_nginx(tmp_path / "nginx", [p.port for p in procs])
        yield procs, nginx, database_url
    finally:
        if nginx is not None:
            nginx.stop(signal.SIGQUIT)
        for p in procs:
            p.stop()


def counted(database_url: str, state: Path) -> int:
    store = open_store(database_url, state)
    today = dt.datetime.now(dt.UTC).date()
    try:
        return sum(n for *_rest, n in store.daily("open-partner", today - dt.timedelta(days=1),
                                                  today + dt.timedelta(days=1)))
    finally:
        store.close()


def test_killing_a_replica_mid_burst_loses_no_acknowledged_beacon(
        cluster: tuple[list[Proc], Proc, str], tmp_path: Path) -> None:
    procs, nginx, database_url = cluster
    sent = threading.Semaphore(0)
    answers: list[int] = []
    lock = threading.Lock()

    def one(client: httpx.Client) -> None:
        try:
            status = client.post(nginx.url + "/v1/events", content=BEACON, timeout=15,
                                 headers=HEADERS).status_code
        except httpx.HTTPError:
            status = 0
        with lock:
            answers.append(status)
        sent.release()

    with httpx.Client() as client, ThreadPoolExecutor(8) as pool:
        futures = [pool.submit(one, client) for _ in range(BURST)]
        for _ in range(KILL_AFTER):
            assert sent.acquire(timeout=30)
        procs[0].send(signal.SIGTERM)  # mid-burst: the others are still being sent
        for future in futures:
            future.result(timeout=60)
    # uvicorn re-raises SIGTERM once shut down: -15 after "Application shutdown complete".
    assert procs[0].popen.wait(30) in (0, -signal.SIGTERM)
    assert procs[1].stop() in (0, -signal.SIGTERM)
    for p in procs:
        assert "Application shutdown complete" in p.stderr(), p.stderr()[-2000:]
    assert 204 not in answers  # every one was counted, none taken for a bot
    acknowledged = sum(200 <= s < 300 for s in answers)
    assert acknowledged > KILL_AFTER  # the other replica went on answering
    # Every 2xx was written (the killed replica flushed at SIGTERM, the other at its stop).
    total = counted(database_url, tmp_path / "state")
    assert acknowledged <= total <= BURST, (acknowledged, total, sorted(set(answers)))
    # nginx's error lines name the client: none may be about a beacon, even a failed one.
    assert "/v1/events" not in nginx.stderr(), nginx.stderr()[-2000:]


def test_events_and_stats_are_never_cached_and_beacons_log_no_address(
        cluster: tuple[list[Proc], Proc, str]) -> None:
    _procs, nginx, _url = cluster
    for _ in range(2):
        beacon = httpx.post(nginx.url + "/v1/events", content=BEACON, headers=HEADERS)
        assert beacon.status_code == 202
        assert beacon.headers.get("x-cache-status") in (None, "")  # the cache is off here
        for path in ("/v1/partners/open-partner/stats", "/partners/open-partner/stats",
                     "/admin/stats", "/PARTNERS/open-partner/stats",
                     # the page in another language, and spellings of its prefix
                     "/de/partners/open-partner/stats", "/DE/Partners/open-partner/stats",
                     "/es/partners/open-partner/stats"):
            response = httpx.get(nginx.url + path)
            assert response.headers.get("x-cache-status") in (None, ""), path
            assert response.headers["cache-control"] == "no-store", path
    logged = until(lambda: [line for line in nginx.stdout().splitlines()
                            if "/v1/events" in line], 10, "nginx's log of the beacons")
    assert isinstance(logged, list)
    assert all("127.0.0.1" not in line.split("upstream=")[0] for line in logged), logged
    assert any("127.0.0.1" in line for line in nginx.stdout().splitlines()
               if "/v1/partners" in line)  # the other lines keep their address, as before
