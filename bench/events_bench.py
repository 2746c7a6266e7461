"""POST /v1/events on loopback: one `smartmed serve` worker, on SQLite and on PostgreSQL.

The goal (issue 20): per worker, at least 10,000 events/s with p99 at most 5 ms. wrk (one
thread, 16 connections) sends the widget's impression beacon with a reader's user agent;
the service runs with production defaults (access log and metrics on). After each run the
worker is stopped (SIGTERM: it writes what it holds) and the database is asked how many
events it has, which must be every 2xx that wrk got: a figure that drops events is no
figure. Writes `## Widget events` at the end of docs/benchmarks.md (bench/run.py writes
the rest first), or prints it with --print.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from common import ROOT, WrkResult, cpu_seconds, serving, wrk

sys.path.insert(0, str(ROOT / "service"))
import pgserver  # tests/pgserver.py: a PostgreSQL 15 of our own
from smartmed.ops.stats.store import open_store

DOC = ROOT / "docs" / "benchmarks.md"
SECTION = "## Widget events (POST /v1/events)"
BEACON = {"partner": "calm-clinic", "event": "impression", "kind": "articles",
          "topic": "anxiety", "lang": "en", "items": ["calm-down", "sleep-better"]}
AGENT = "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0"
GOAL_RPS, GOAL_P99_MS = 10_000, 5.0


def script(directory: Path) -> Path:
    path = directory / "beacon.lua"
    body = json.dumps(BEACON).replace("\\", "\\\\").replace('"', '\\"')
    path.write_text(f'wrk.method = "POST"\nwrk.body = "{body}"\n'
                    'wrk.headers["Content-Type"] = "text/plain;charset=UTF-8"\n'
                    f'wrk.headers["User-Agent"] = "{AGENT}"\n')
    return path


@contextmanager
def database(kind: str) -> Iterator[str]:
    if kind == "sqlite":
        yield ""
        return
    if pgserver.MISSING:
        raise SystemExit(pgserver.MISSING)
    with pgserver.postgres() as url:
        yield url


def content(root: Path) -> Path:
    """The bundled content: its partner calm-clinic and articles are what the beacon names."""
    return ROOT / "content"


def measure(kind: str, seconds: int, connections: int, rounds: int) -> dict[str, object]:
    runs: list[WrkResult] = []
    reference: list[WrkResult] = []
    stored = acknowledged = 0
    with tempfile.TemporaryDirectory(prefix="smartmed-bench-events-") as tmp, \
            database(kind) as url:
        work = Path(tmp)
        lua = script(work)
        for n in range(rounds):
            state = work / f"state-{n}"
            proc = serving.serve(work, None, name=f"{kind}-{n}", state_dir=str(state),
                                 database_url=url, base_url="http://127.0.0.1",
                                 reload_interval="0")
            try:
                warm = wrk(proc.url + "/v1/events", 1, connections, script=lua)
                acknowledged += warm.requests - warm.errors
                before = cpu_seconds(proc.popen.pid)
                result = wrk(proc.url + "/v1/events", seconds, connections, script=lua,
                             pids=[proc.popen.pid])
                result.cpu_us = (cpu_seconds(proc.popen.pid) - before) / max(
                    result.requests, 1) * 1e6
                runs.append(result)
                # The same worker's read path, measured right after, as a yardstick for
                # how busy this shared machine was.
                reference.append(wrk(proc.url + "/v1/topics", seconds, connections,
                                     headers={"user-agent": AGENT}))
            finally:
                proc.stop()
            store = open_store(url, state)
            try:
                today = dt.datetime.now(dt.UTC).date()
                stored += sum(c for *_r, c in store.daily(
                    None, today - dt.timedelta(days=1), today))
            finally:
                store.close()
            if url:
                pgserver.reset(url)
            acknowledged += sum(r.requests - r.errors for r in runs[-1:])
    best = max(runs, key=lambda r: r.rps)
    return {"kind": kind, "runs": runs, "best": best, "stored": stored,
            "acknowledged": acknowledged, "reference": reference}


def render(results: list[dict[str, object]], seconds: int, connections: int) -> str:
    lines = [SECTION, "",
             f"`bench/events_bench.py` ({dt.date.today()}): one worker, wrk `-t1 "
             f"-c{connections} -d{seconds}s` after a 1 s warm-up per run, the widget's "
             "impression beacon with two items. Goal per "
             f"worker: ≥ {GOAL_RPS:,} events/s and p99 ≤ {GOAL_P99_MS:g} ms.", "",
             "| Database | events/s (runs) | p50 | p99 | server CPU per event | errors | "
             "goal met | GET /v1/topics, same worker: req/s, p99 |",
             "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for r in results:
        runs: list[WrkResult] = r["runs"]  # type: ignore[assignment]
        best: WrkResult = r["best"]  # type: ignore[assignment]
        met = best.rps >= GOAL_RPS and best.p99_ms <= GOAL_P99_MS
        lines.append(
            f"| {r['kind']} | {', '.join(f'{x.rps:,.0f}' for x in runs)} | "
            f"{best.p50_ms:.2f} ms | {best.p99_ms:.2f} ms | {best.cpu_us:.0f} µs | "
            f"{sum(x.errors for x in runs)} | {'yes' if met else 'no'} | "
            f"{', '.join(f'{x.rps:,.0f}' for x in r['reference'])}; "  # type: ignore[attr-defined]
            f"{max(x.p99_ms for x in r['reference']):.2f} ms |")  # type: ignore[attr-defined]
    lines.append("")
    lines.append(f"Load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())} "
                 "(2 cores, shared).")
    lines.append("")
    for r in results:
        lines.append(f"- {r['kind']}: the database holds {r['stored']:,} events after the "
                     f"workers stopped, for {r['acknowledged']:,} 2xx answers (warm-ups "
                     "included).")
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--print", action="store_true", help="print, do not write the doc")
    args = parser.parse_args()
    results = [measure(kind, args.seconds, args.connections, args.rounds)
               for kind in args.databases.split(",")]
    text = render(results, args.seconds, args.connections)
    if args.print:
        print(text)
        return 0
    doc = DOC.read_text() if DOC.exists() else ""
    doc = re.split(rf"\n{re.escape(SECTION)}\n", doc)[0].rstrip("\n")
    DOC.write_text(doc + "\n\n" + text + "\n" + NOTES)
    print(f"wrote {DOC}", file=sys.stderr)
    return 0


# Where the time goes, from a profile (cProfile of the ASGI app called in-process, 20,000
# beacons, 2026-12-01); rewrite it when the request path changes.
NOTES = """### Where the time goes

The goal is not met: a worker takes some 3,500–4,900 beacons a second with p99 of
6–7 ms, about half of the goal. The same worker answers `GET /v1/topics` (precomputed
bytes, the service's cheapest route) 1.6–2 times as fast, on two cores shared with two
other busy sessions (load average 4–6). The beacon's cost is the HTTP request and the
Python around it, not the database:

- The database is off the request path. Each worker writes once a second, in a thread,
  one transaction of a few rows (one per distinct key, not per event); SQLite and
  PostgreSQL give the same figures within the noise.
- Per beacon, the server spends some 190–220 µs of CPU (column above). Called
  in-process, without uvicorn, the ASGI app takes about 100 µs; the rest is uvicorn's
  HTTP parsing, the asyncio transport and the kernel's loopback.
- Inside the app (profile, shares of its time): the route itself 63 % — `events.parse`
  (JSON decoding and field checks) 23 %, building the `Response` 8 %, the partner and
  origin check 7 %, reading the body 7 %, adding to the tally 6 %; the edge middleware's
  access-log line and metrics 9 %; Starlette's middleware and routing layers the rest.
- Done: the bot check runs on the lower-cased agent without `re.IGNORECASE` (12 → 1.4 µs).
  Tried and dropped: answering the route as a plain ASGI app instead of a function
  endpoint; its gain was within this machine's noise.
- The database holds a few more events than wrk counted 2xx answers: the requests in
  flight when wrk stops its connections (at most 16 per run) were counted, but their
  answers never read.
- What would reach 10,000/s per worker: a less loaded machine first (the read path is
  the ceiling), then fewer layers for this one route, or beacons batched by the widget.
"""

if __name__ == "__main__":
    sys.exit(main())
