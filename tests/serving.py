"""Real processes for integration tests: `smartmed serve`, nginx. Loopback, free ports, stopped."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import httpx

from helpers import PARTNERS, REVIEWERS, SITE, article, tip

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx")
                                   else None)
STARTUP_SECONDS = 30


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def until(condition: Callable[[], object], timeout: float = 15, what: str = "condition",
          step: float = 0.05) -> object:
    """Wait for a condition (never a fixed sleep); fail naming what did not happen."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(step)


@dataclass
class Proc:
    popen: subprocess.Popen[bytes]
    port: int
    out: Path
    err: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stdout(self) -> str:
        return self.out.read_text(errors="replace")

    def stderr(self) -> str:
        return self.err.read_text(errors="replace")

    def send(self, sig: int) -> None:
        self.popen.send_signal(sig)

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 15) -> int:
        if self.popen.poll() is None:
            self.popen.send_signal(sig)
            try:
                self.popen.wait(timeout)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait(5)
        return int(self.popen.returncode)


def _spawn(args: list[str], logs: Path, name: str, port: int,
           env: Mapping[str, str] | None = None, cwd: Path | None = None) -> Proc:
    logs.mkdir(parents=True, exist_ok=True)
    out, err = logs / f"{name}.out", logs / f"{name}.err"
    with out.open("wb") as o, err.open("wb") as e:
        popen = subprocess.Popen(args, stdout=o, stderr=e, env=dict(env or os.environ),
                                 cwd=cwd, stdin=subprocess.DEVNULL)
    return Proc(popen, port, out, err)


def wait_ready(proc: Proc, path: str = "/healthz") -> Proc:
    def answered() -> bool:
        if proc.popen.poll() is not None:
            raise AssertionError(f"process exited with {proc.popen.returncode}:\n"
                                 f"{proc.stderr()[-3000:]}")
        try:
            return httpx.get(proc.url + path, timeout=1).status_code == 200
        except httpx.HTTPError:
            return False
    until(answered, STARTUP_SECONDS, f"{proc.popen.args} to answer {path}", step=0.1)
    return proc


def smartmed_env(**settings: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("SMARTMED_") and k != "PROMETHEUS_MULTIPROC_DIR"}
    env.update({f"SMARTMED_{k.upper()}": v for k, v in settings.items()})
    return env


def serve(logs: Path, content: Path | None, *args: str, name: str = "smartmed",
          executable: list[str] | None = None, env: Mapping[str, str] | None = None,
          wait: bool = True, cwd: Path | None = None, **settings: str) -> Proc:
    """`smartmed serve` on a free loopback port."""
    port = free_port()
    command = [*(executable or [sys.executable, "-m", "smartmed"]), "serve",
               "--host", "127.0.0.1", "--port", str(port), *args]
    if content is not None:
        command += ["--content", str(content)]
    proc = _spawn(command, logs, name, port, env or smartmed_env(**settings), cwd)
    return wait_ready(proc) if wait else proc


def run_python(logs: Path, name: str, code: str, env: Mapping[str, str]) -> Proc:
    """A Python program given as text; it gets a free port as its first argument."""
    port = free_port()
    return _spawn([sys.executable, "-c", code, str(port)], logs, name, port, env)


def nginx_conf(workdir: Path, upstreams: list[int], rate: str, burst: int) -> tuple[Path, int]:
    """deploy/nginx.conf verbatim, with its three includes filled in for this machine."""
    conf = workdir / "conf"
    conf.mkdir(parents=True)
    shutil.copy(DEPLOY / "nginx.conf", conf / "nginx.conf")
    template = (DEPLOY / "upstream.conf").read_text()
    server = re.search(r"^server app:8000 (.*);$", template, re.M)
    assert server, "deploy/upstream.conf: expected a `server app:8000 …;` line"
    (conf / "upstream.conf").write_text("".join(
        f"server 127.0.0.1:{p} {server.group(1)};\n" for p in upstreams))
    limits = (DEPLOY / "limits.conf").read_text()
    limits, n_rate = re.subn(r"rate=\S+;", f"rate={rate};", limits)
    limits, n_burst = re.subn(r"burst=\d+", f"burst={burst}", limits)
    assert n_rate == n_burst == 1, "deploy/limits.conf: expected one rate= and one burst="
    (conf / "limits.conf").write_text(limits)
    port = free_port()
    (conf / "listen.conf").write_text(f"listen 127.0.0.1:{port};\n")
    return conf / "nginx.conf", port


def start_nginx(workdir: Path, upstreams: list[int], *, rate: str = "10000r/s",
                burst: int = 10000) -> Proc:
    assert NGINX is not None
    conf, port = nginx_conf(workdir, upstreams, rate, burst)
    prefix = workdir / "prefix"
    prefix.mkdir()
    command = [NGINX, "-p", f"{prefix}/", "-c", str(conf)]
    if os.geteuid() == 0:
        # Root's nginx would hand its workers to `nobody`, who cannot enter pytest's tmp.
        command += ["-g", "user root;"]
    proc = _spawn(command, workdir, "nginx", port)
    return wait_ready(proc)


def write_atomically(path: Path, text: str, staging: Path) -> None:
    """As editors and git do: the reader sees the old file or the new, never half of one."""
    staging.mkdir(parents=True, exist_ok=True)
    tmp = staging / path.name
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def metric(text: str, name: str, **labels: str) -> float:
    """The sum of a metric's samples matching the labels, from Prometheus text format."""
    from prometheus_client.parser import text_string_to_metric_families

    return sum(float(s.value) for family in text_string_to_metric_families(text)
               for s in family.samples
               if s.name == name and all(s.labels.get(k) == v for k, v in labels.items()))


# The content the nginx tests' replicas serve.
SLUGS = [f"note-{n}" for n in range(12)]


def write_content(root: Path) -> Path:
    files = {
        "site.yaml": SITE,
        "partners.yaml": PARTNERS,
        "reviewers.yaml": REVIEWERS,
        "tips/sleep.yaml": "".join(tip(f"sleep-{n}", added="2020-01-01") for n in range(9)),
        **{f"articles/{slug}.md": article(f"Note {slug}", published=f"2026-10-{n + 1:02d}",
                                          body="A long enough body. " * 60)
           for n, slug in enumerate(SLUGS)},
    }
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return root
