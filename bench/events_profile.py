"""The events route in-process: the ASGI app called directly in a loop, without uvicorn.

    python bench/events_profile.py [--n 20000] [--profile] [--top 30]

Builds the app as `smartmed serve` does (production defaults: access log and metrics on;
the access log goes to /dev/null here), runs its lifespan, then sends the widget's
impression beacon (events_bench.BEACON, with wrk's headers) N times and prints the app's
CPU time per beacon; --profile prints cProfile's view instead (own and cumulative time).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import json
import os
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "service"))
BEACON = {"partner": "calm-clinic", "event": "impression", "kind": "articles",
          "topic": "anxiety", "lang": "en", "items": ["calm-down", "sleep-better"]}
BATCH = 1000
AGENT = b"Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0"


def scope(body: bytes) -> dict[str, object]:
    """What uvicorn (httptools) hands the app for wrk's request."""
    return {
        "type": "http", "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1", "server": ("127.0.0.1", 8000), "client": ("127.0.0.1", 50000),
        "scheme": "http", "method": "POST", "root_path": "", "path": "/v1/events",
        "raw_path": b"/v1/events", "query_string": b"",
        "headers": [(b"host", b"127.0.0.1:8000"),
                    (b"content-type", b"text/plain;charset=UTF-8"),
                    (b"user-agent", AGENT), (b"content-length", str(len(body)).encode())],
        "state": {},
    }


async def run(n: int, profile: bool, top: int, settings: dict[str, str]) -> None:
    sys.stdout = open(os.devnull, "w")  # the access log's lines  # noqa: SIM115
    from smartmed.app import create_app
    from smartmed.settings import Settings

    with tempfile.TemporaryDirectory(prefix="smartmed-evprof-") as tmp:
        app = create_app(Settings(state_dir=Path(tmp), reload_interval=0, **{
            k: v.lower() == "true" if v.lower() in ("true", "false") else v
            for k, v in settings.items()}))
        body = json.dumps(BEACON).encode()
        statuses: list[int] = []

        async def receive() -> dict[str, object]:
            return {"type": "http.request", "body": body, "more_body": False}

        async def send(message: dict[str, object]) -> None:
            if message["type"] == "http.response.start":
                statuses.append(message["status"])

        async with app.router.lifespan_context(app):
            for _ in range(2000):  # warm-up
                await app(scope(body), receive, send)
            assert set(statuses) == {202}, set(statuses)
            profiler = cProfile.Profile() if profile else None
            batches: list[float] = []  # CPU seconds per beacon, batch by batch
            started = time.perf_counter()
            if profiler:
                profiler.enable()
            for _ in range(max(1, n // BATCH)):
                cpu = time.process_time()
                for _ in range(BATCH):
                    await app(scope(body), receive, send)
                batches.append((time.process_time() - cpu) / BATCH)
            if profiler:
                profiler.disable()
            wall = (time.perf_counter() - started) / (len(batches) * BATCH)
    sys.stdout = sys.__stdout__
    # The least loaded batch is the best estimate of the app's own cost on a shared machine.
    print(f"{len(batches) * BATCH} beacons: CPU per beacon {min(batches) * 1e6:.1f} µs "
          f"(best batch of {BATCH}), {statistics.median(batches) * 1e6:.1f} µs (median); "
          f"wall {wall * 1e6:.1f} µs")
    if profiler:
        for key in ("tottime", "cumulative"):
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats(key).print_stats(top)
            print(out.getvalue())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=20000)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                        help="a setting (e.g. access_log=false), to see what it costs")
    parser.add_argument("--uvloop", action="store_true", help="run on uvloop, as served")
    args = parser.parse_args()
    settings = dict(item.split("=", 1) for item in args.set)
    if args.uvloop:
        import uvloop
        uvloop.run(run(args.n, args.profile, args.top, settings))
    else:
        asyncio.run(run(args.n, args.profile, args.top, settings))


if __name__ == "__main__":
    main()
