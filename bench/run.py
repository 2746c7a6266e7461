"""`make bench`: measure everything in one run and rewrite docs/benchmarks.md.

    python bench/run.py [--rounds 3] [--seconds 3] [--sizes 100,1000,10000] [--quick]
                        [--http-only] [--profile-seconds 5]

Loopback only; each step is bounded in time (wrk durations, startup timeouts), and every
process started is stopped. --quick is for trying the harness (1 round, short runs).
--http-only measures the two figures alone (a few minutes) and rewrites only their part of
docs/benchmarks.md, between report.HTTP_START and report.HTTP_END.
"""

from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from common import ROOT, machine, serving

sys.path.insert(0, str(ROOT / "bench"))
import http_bench
import report
import scale_bench

DOC = ROOT / "docs" / "benchmarks.md"
STARTED = time.monotonic()


def log(message: str) -> None:
    print(f"[bench {time.monotonic() - STARTED:6.1f}s] {message}", flush=True)


def widget(rounds: int) -> dict:
    """Sizes of the served script, then the browser figures from bench/widget_bench.mjs."""
    import brotli

    with tempfile.TemporaryDirectory(prefix="smartmed-bench-widget-") as tmp:
        proc = serving.serve(Path(tmp), None, env=serving.smartmed_env(
            access_log="false", reload_interval="0"))
        try:
            plain = httpx.get(proc.url + "/widget.js",
                              headers={"accept-encoding": "identity"}).content
            with httpx.stream("GET", proc.url + "/widget.js",
                              headers={"accept-encoding": "gzip"}) as served:
                served_gzip = b"".join(served.iter_raw())
                encoding = served.headers.get("content-encoding")
            log("widget in Chromium")
            done = subprocess.run(["node", str(ROOT / "bench" / "widget_bench.mjs"), proc.url,
                                   str(rounds)], capture_output=True, text=True, timeout=300,
                                  cwd=ROOT)
        finally:
            proc.stop()
    if done.returncode != 0:
        raise RuntimeError(f"widget_bench.mjs failed:\n{done.stderr[-3000:]}")
    return {
        "bytes": len(plain),
        "gzip_served": len(served_gzip) if encoding == "gzip" else None,
        "gzip_9": len(gzip.compress(plain, 9)),
        "brotli_11": len(brotli.compress(plain, quality=11)),
        "browser": json.loads(done.stdout.strip().splitlines()[-1]),
    }


def replace_http_block(doc: str, block: list[str]) -> str:
    """``doc`` with its HTTP part replaced by ``block``: between the markers, or, in a
    document written before there were markers, its sections 1 and 2."""
    text = "\n".join(block)
    if report.HTTP_START in doc and report.HTTP_END in doc:
        head, rest = doc.split(report.HTTP_START, 1)
        return head + text.removesuffix("\n") + rest.split(report.HTTP_END, 1)[1]
    start, end = doc.index("## 1. The API path"), doc.index("## 3. Scale of content")
    return doc[:start] + text + "\n" + doc[end:]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=3, help="per wrk run")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--quick", action="store_true", help="1 round, 1 s runs")
    parser.add_argument("--output", type=Path, default=DOC)
    parser.add_argument("--http-only", action="store_true",
                        help="only the two HTTP figures; rewrite only their part of --output")
    parser.add_argument("--profile-seconds", type=float, default=5,
                        help="py-spy on the service per path after the rounds (0: none)")
    args = parser.parse_args()
    if args.quick:
        args.rounds, args.seconds = 1, 1
    sizes = [int(n) for n in args.sizes.split(",")]
    command = "make bench" if not args.quick else "python bench/run.py --quick"
    host = machine()
    log("API and feed paths against bare Starlette and static nginx")
    if args.http_only:
        command = "python bench/run.py --http-only" + (" --quick" if args.quick else "")
    http = http_bench.run(args.rounds, args.seconds, args.connections, log,
                          args.profile_seconds)
    if args.http_only:
        args.output.write_text(replace_http_block(args.output.read_text(),
                                                  report.http_block(http, command)))
        log(f"rewrote the two figures in {args.output}")
        return 0
    log("scale of content")
    scale = scale_bench.run(sizes, args.rounds, min(args.seconds, 2), log)
    log("widget")
    widget_figures = widget(args.rounds)
    elapsed = time.monotonic() - STARTED
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(report.render(
        host=host, command=command, args=vars(args), http=http, scale=scale,
        widget=widget_figures, elapsed=elapsed))
    log(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
