"""The two figures of `make bench`, side by side in one run, and the rows behind them.

- Through the nginx cache (what readers get): deploy/nginx.conf in front of the service,
  every answer a cache HIT, against nginx serving the same bytes from disk. Goal ≥ 0.8×.
- The app path (a cache miss): `smartmed serve` itself against a bare Starlette endpoint
  returning the same response. Goal ≥ 0.65×.

Every target answers the same two requests with the same bytes:
- `smartmed serve` (one worker, production defaults: access log and metrics on);
- a bare Starlette app (bench/bare_app.py, same uvicorn options) answering the service's
  exact response (headers and body) from a constant — and once more with the body only;
- nginx serving the body as a static file;
- deploy/nginx.conf (the production topology: cache, gzip, rate limit raised) in front of
  the service.
Targets are measured in turn, round after round, so that a slow spell on this shared
machine lands on all of them and the ratios (taken within a round) stay meaningful.
"""

from __future__ import annotations

import collections
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from common import ROOT, WrkResult, serving, wrk

# py-spy frames on at least this share of the samples are the server's loop, not a request.
LOOP_SHARE = 0.8
PATHS = {"tip": "/v1/tips/{today}", "rss": "/feeds/tips.rss"}
# Response headers the bare app must not copy: Starlette and uvicorn write their own.
OWN = {"date", "content-length", "content-type", "server", "connection"}

STATIC_CONF = """daemon off;
worker_processes auto;
pid nginx.pid;
error_log stderr warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    sendfile on;
    tcp_nodelay on;
    keepalive_requests 1000000;
    server {{
        listen 127.0.0.1:{port};
        root {root};
        location /v1/ {{ default_type application/json; }}
        location /feeds/ {{ default_type "application/rss+xml; charset=utf-8"; }}
        location = /healthz {{ return 200 "ok"; }}
    }}
}}
"""


@dataclass
class Target:
    name: str
    url: str
    pids: list[int] = field(default_factory=list)


@dataclass
class Runs:
    """Results by (section, path, target name), one WrkResult per round."""
    results: dict[tuple[str, str, str], list[WrkResult]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    commands: list[str] = field(default_factory=list)
    # path -> py-spy's view of the service under load: (share of samples, frame) by own
    # time, then by time including callees
    profile: dict[str, dict[str, list[tuple[float, str]]]] = field(default_factory=dict)
    load: float | None = None  # the machine's 1-minute load average when the run started

    def add(self, section: str, path: str, target: str, result: WrkResult) -> None:
        self.results.setdefault((section, path, target), []).append(result)


def _capture(base: str, path: str) -> httpx.Response:
    # wrk sends no Accept-Encoding: compare identity bytes (httpx would ask for gzip).
    response = httpx.get(base + path, headers={"accept-encoding": "identity"}, timeout=10)
    if response.status_code != 200:
        raise RuntimeError(f"{base}{path} answered {response.status_code}")
    return response


def _start_static(work: Path, bodies: dict[str, bytes], paths: dict[str, str]) -> serving.Proc:
    root = work / "static-root"
    for key, path in paths.items():
        target = root / path.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(bodies[key])
    port = serving.free_port()
    prefix = work / "static-prefix"
    prefix.mkdir()
    conf = prefix / "nginx.conf"
    conf.write_text(STATIC_CONF.format(port=port, root=root))
    command = [serving.NGINX or "nginx", "-p", f"{prefix}/", "-c", str(conf)]
    if os.geteuid() == 0:  # as tests/serving.py: root's workers would run as `nobody`
        command += ["-g", "user root;"]
    return serving.wait_ready(serving._spawn(command, work, "nginx-static", port))


def _start_bare(work: Path, name: str, responses: dict[str, httpx.Response],
                paths: dict[str, str], with_headers: bool) -> serving.Proc:
    manifest = {}
    for key, path in paths.items():
        response = responses[key]
        body = work / f"{name}-{key}.body"
        body.write_bytes(response.content)
        manifest[path] = {
            "file": str(body), "media_type": response.headers["content-type"],
            "headers": {k: v for k, v in response.headers.items() if k not in OWN}
            if with_headers else {},
        }
    (work / f"{name}.json").write_text(json.dumps(manifest))
    port = serving.free_port()
    command = [sys.executable, str(ROOT / "bench" / "bare_app.py"), str(port),
               str(work / f"{name}.json")]
    proc = serving._spawn(command, work, name, port, serving.smartmed_env(), ROOT / "bench")
    return serving.wait_ready(proc, paths["tip"])


def run(rounds: int, seconds: float, connections: int, log: callable,
        profile_seconds: float = 0) -> Runs:
    runs = Runs(load=os.getloadavg()[0])
    today = dt.datetime.now(dt.UTC).date().isoformat()
    paths = {k: v.format(today=today) for k, v in PATHS.items()}
    procs: list[serving.Proc] = []
    with tempfile.TemporaryDirectory(prefix="smartmed-bench-http-") as tmp:
        work = Path(tmp)
        try:
            service = serving.serve(work / "service", None, env=serving.smartmed_env())
            procs.append(service)
            responses = {k: _capture(service.url, p) for k, p in paths.items()}
            bare = _start_bare(work, "bare", responses, paths, with_headers=True)
            procs.append(bare)
            minimal = _start_bare(work, "bare-min", responses, paths, with_headers=False)
            procs.append(minimal)
            static = _start_static(work, {k: r.content for k, r in responses.items()}, paths)
            procs.append(static)
            proxy = serving.start_nginx(work / "proxy", [service.port], rate="1000000r/s",
                                        burst=1000000)
            procs.append(proxy)
            for path in paths.values():  # fill the proxy's cache: the section measures hits
                for _ in range(3):
                    cached = httpx.get(proxy.url + path, timeout=10,
                                       headers={"accept-encoding": "identity"})
                if cached.headers.get("x-cache-status") != "HIT" or (
                        cached.content != responses[_key(paths, path)].content):
                    runs.notes.append(f"proxy cache did not serve {path} as a HIT with the "
                                      f"service's bytes ({cached.headers.get('x-cache-status')})")
            etags = {k: r.headers["etag"] for k, r in responses.items()}
            static_etags = {k: httpx.head(static.url + p, headers={"accept-encoding": "identity"})
                            .headers.get("etag", "")
                            for k, p in paths.items()}
            direct = [Target("service", service.url, [service.popen.pid]),
                      Target("bare", bare.url, [bare.popen.pid]),
                      Target("bare-min", minimal.url, [minimal.popen.pid]),
                      Target("nginx", static.url)]
            cache = [Target("proxy", proxy.url), Target("nginx", static.url)]
            runs.commands.append(f"wrk -t1 -c{connections} -d{seconds}s --latency URL "
                                 "(no Accept-Encoding: identity bodies)")
            runs.commands.append("wrk … -H 'If-None-Match: <ETag>' URL (the 304 rows)")
            for r in range(rounds):
                log(f"http round {r + 1}/{rounds}")
                for key, path in paths.items():
                    for target in direct:
                        runs.add("direct", key, target.name,
                                 wrk(target.url + path, seconds, connections, pids=target.pids))
                    runs.add("304", key, "service", wrk(
                        service.url + path, seconds, connections,
                        {"If-None-Match": etags[key]}, pids=[service.popen.pid]))
                    runs.add("304", key, "nginx", wrk(
                        static.url + path, seconds, connections,
                        {"If-None-Match": static_etags[key]}))
                    for target in cache:
                        runs.add("cache", key, target.name,
                                 wrk(target.url + path, seconds, connections))
            runs.notes.append(f"service response headers ({paths['tip']}): " + ", ".join(
                k for k in responses["tip"].headers))
            if profile_seconds > 0:
                for key, path in paths.items():
                    log(f"py-spy on the service: {path}")
                    runs.profile[key] = _profile(service.popen.pid, service.url + path,
                                                 profile_seconds, connections, work)
        finally:
            for proc in reversed(procs):
                proc.stop()
    return runs


def _key(paths: dict[str, str], path: str) -> str:
    return next(k for k, p in paths.items() if p == path)


def _profile(pid: int, url: str, seconds: float, connections: int,
             work: Path) -> dict[str, list[tuple[float, str]]]:
    """py-spy samples of the service while wrk loads ``url``: where a request's time goes.

    py-spy leaves out idle samples (the event loop waiting in epoll) unless told otherwise:
    the shares are of the time the service was computing."""
    spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    raw = work / f"profile-{pid}-{abs(hash(url))}.txt"
    load = threading.Thread(target=wrk, args=(url, seconds + 2, connections))
    load.start()
    try:
        subprocess.run([spy, "record", "--pid", str(pid), "--duration", str(round(seconds)),
                        "--rate", "250", "--format", "raw", "--output", str(raw),
                        "--nonblocking"], capture_output=True, timeout=seconds + 60,
                       check=True)
    finally:
        load.join()
    own: collections.Counter[str] = collections.Counter()
    total: collections.Counter[str] = collections.Counter()
    samples = 0
    for line in raw.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        frames = [_frame(f) for f in stack.split(";")]
        if not frames:
            continue
        samples += int(count)
        own[frames[-1]] += int(count)
        for frame in set(frames):
            total[frame] += int(count)
    top = 14
    if not samples:
        return {"own": [], "total": []}
    # Frames on most samples are the server's loop around every request (runner, uvicorn's
    # main, asyncio): left out of "with callees", which is about what a request runs.
    return {"own": [(n / samples, f) for f, n in own.most_common(top)],
            "total": [(n / samples, f) for f, n in total.most_common()
                      if n / samples < LOOP_SHARE][:top]}


def _frame(text: str) -> str:
    """'function (path/to/module.py:line)' -> 'module.py:function'."""
    name, _, where = text.partition(" (")
    module = where.rstrip(")").rsplit(":", 1)[0]
    parts = Path(module).parts
    short = "/".join(parts[-2:]) if "site-packages" in parts or "smartmed" in parts else \
        parts[-1] if parts else module
    return f"{short}:{name}"
