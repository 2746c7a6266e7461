"""Scale of content: cold start, peak RSS and article-list latency at 100 / 1k / 10k articles.

Generated content (bench/generate.py) is cached under /tmp, keyed by the number of articles
and a hash of the generator and of the files it copies, so that only the first run pays
for writing 10,000 articles.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from common import ROOT, WrkResult, serving, wrk

CACHE = Path(tempfile.gettempdir()) / "smartmed-bench-content"
TIPS = 3650
READY_SECONDS = 300
LIST = "/v1/articles?topic=sleep&limit=10"
PAGE = os.sysconf("SC_PAGE_SIZE")


def content_for(articles: int, log: callable) -> Path:
    digest = hashlib.sha256()
    for part in ("bench/generate.py", "content/site.yaml", "content/partners.yaml",
                 "content/reviewers.yaml"):
        digest.update((ROOT / part).read_bytes())
    target = CACHE / f"{articles}-{TIPS}-{digest.hexdigest()[:16]}"
    done = target / ".generated"  # written last: a half-written directory is redone
    if not done.exists():
        log(f"generating {articles} articles into {target}")
        if target.exists():
            shutil.rmtree(target)
        subprocess.run([sys.executable, str(ROOT / "bench" / "generate.py"), str(target),
                        "--articles", str(articles), "--tips", str(TIPS)], check=True)
        done.write_text("")
        # Older generations of the same size (the generator changed): not needed again.
        for stale in CACHE.glob(f"{articles}-*"):
            if stale != target:
                shutil.rmtree(stale, ignore_errors=True)
    return target


@dataclass
class Scale:
    cold: dict[int, list[dict[str, float]]] = field(default_factory=dict)
    ready_s: dict[int, float] = field(default_factory=dict)
    latency: dict[tuple[int, str], list[WrkResult]] = field(default_factory=dict)
    urls: dict[str, str] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


def _tree_rss_mib(root: int) -> float:
    """Resident memory of a process and all its descendants (a loader pool's workers are
    grandchildren through the forkserver: ru_maxrss of the children does not see them)."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry.name)] = int(fields[1])
        rss[int(entry.name)] = int(fields[21])  # pages
    tree, frontier = {root}, [root]
    while frontier:
        pid = frontier.pop()
        for child, parent in parents.items():
            if parent == pid and child not in tree:
                tree.add(child)
                frontier.append(child)
    return sum(rss.get(pid, 0) for pid in tree) * PAGE / 2**20


def cold_start(content: Path) -> dict[str, float]:
    started = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen([sys.executable, str(ROOT / "bench" / "coldstart.py"),
                                 str(content)], stdout=out, stderr=err,
                                env=serving.smartmed_env(), cwd=ROOT / "bench")
        tree_peak = 0.0
        while proc.poll() is None:  # sampled every 50 ms: a peak between samples is missed
            tree_peak = max(tree_peak, _tree_rss_mib(proc.pid))
            if time.perf_counter() - started > 600:
                proc.kill()
            time.sleep(0.05)
        wall = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if proc.returncode != 0:
        raise RuntimeError(f"cold start on {content} failed:\n{stderr[-3000:]}")
    result = json.loads(stdout.strip().splitlines()[-1])
    result["wall_s"] = wall  # with the interpreter's own start
    result["tree_rss_mib"] = tree_peak
    return result


def _serve(content: Path, logs: Path) -> tuple[serving.Proc, float]:
    """`smartmed serve` and the seconds until /readyz answers (its CLI validates the content,
    and its one worker, in the same process, serves what was validated: one load)."""
    started = time.perf_counter()
    proc = serving.serve(logs, content, env=serving.smartmed_env(), wait=False)

    def ready() -> bool:
        if proc.popen.poll() is not None:
            raise RuntimeError(f"smartmed serve exited: {proc.stderr()[-3000:]}")
        try:
            return httpx.get(proc.url + "/readyz", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False
    serving.until(ready, READY_SECONDS, f"/readyz on {content}", step=0.05)
    return proc, time.perf_counter() - started


def run(sizes: list[int], rounds: int, seconds: float, log: callable) -> Scale:
    scale = Scale()
    contents = {n: content_for(n, log) for n in sizes}
    for r in range(rounds):  # sizes in turn, round after round
        for n in sizes:
            log(f"cold start {n} articles, round {r + 1}/{rounds}")
            scale.cold.setdefault(n, []).append(cold_start(contents[n]))
    procs: dict[int, serving.Proc] = {}
    with tempfile.TemporaryDirectory(prefix="smartmed-bench-scale-") as tmp:
        try:
            for n in sizes:
                log(f"smartmed serve on {n} articles")
                procs[n], scale.ready_s[n] = _serve(contents[n], Path(tmp) / str(n))
            urls = _urls(procs[sizes[0]].url)
            scale.urls = urls
            for r in range(rounds):
                log(f"list latency round {r + 1}/{rounds}")
                for name in urls:
                    for n in sizes:
                        url = procs[n].url + _for(procs[n].url, name, urls[name])
                        # One connection: the time of one request, not of a queue.
                        result = wrk(url, seconds, 1)
                        if result.errors:
                            scale.errors.append(f"{n} articles, {name}: {result.errors} errors")
                        scale.latency.setdefault((n, name), []).append(result)
        finally:
            for proc in procs.values():
                proc.stop()
    return scale


def _urls(base: str) -> dict[str, str]:
    return {"topic": LIST, "topic + cursor": LIST + "&cursor={cursor}",
            "topic + lang": LIST + "&lang=en"}


def _for(base: str, name: str, template: str) -> str:
    """The URL for this server: a cursor is only valid in the list it came from."""
    if "{cursor}" not in template:
        return template
    first = httpx.get(base + LIST, timeout=10).json()
    return template.format(cursor=first["next_cursor"])
