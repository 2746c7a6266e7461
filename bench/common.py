"""What every benchmark needs: the machine's description, wrk, CPU time, and medians.

Processes come from tests/serving.py (free loopback ports, readiness by polling, stop):
the benchmark starts the service exactly as the integration tests do.
"""

from __future__ import annotations

import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
import serving  # noqa: E402  (tests/serving.py: the one place processes are started)

WRK = shutil.which("wrk") or "wrk"
CLK_TCK = os.sysconf("SC_CLK_TCK")


def machine() -> dict[str, str]:
    """Enough to tell whether two runs of the benchmark are comparable."""
    cpu = "unknown"
    try:
        for row in Path("/proc/cpuinfo").read_text().splitlines():
            if row.startswith("model name"):
                cpu = row.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "unknown"
    try:
        kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
        mem = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, AttributeError):
        pass

    def version(command: list[str]) -> str:
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=20)
        except (OSError, subprocess.TimeoutExpired):
            return "not found"
        text = (done.stdout + done.stderr).strip().splitlines()
        return text[0] if text else "unknown"

    import starlette
    import uvicorn
    return {
        "CPU": f"{cpu}, {os.cpu_count()} logical cores",
        "memory": mem,
        "kernel": platform.release(),
        "OS": platform.freedesktop_os_release().get("PRETTY_NAME", platform.platform())
        if hasattr(platform, "freedesktop_os_release") else platform.platform(),
        "Python": platform.python_version(),
        "uvicorn / Starlette": f"{uvicorn.__version__} / {starlette.__version__}",
        "nginx": version([serving.NGINX or "nginx", "-v"]).replace("nginx version: ", ""),
        "wrk": version([WRK, "-v"]).split(" Copyright")[0],
        "Node": version(["node", "--version"]),
        "Chromium": version(["/usr/bin/chromium", "--version"]),
        "load average at start": " ".join(os.getloadavg().__repr__().strip("()").split(", ")),
    }


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process and its reaped children (from /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(f) for f in fields[11:15]) / CLK_TCK


@dataclass
class WrkResult:
    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int  # socket errors + unexpected statuses
    cpu_us: float | None = None  # server CPU time per request, when a pid was given


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * _UNITS[unit]


def wrk(url: str, seconds: float, connections: int, headers: dict[str, str] | None = None,
        script: Path | None = None, pids: list[int] | None = None,
        allowed_statuses: str = "2xx") -> WrkResult:
    """One wrk run (one thread: the other core is the server's). Never raises on bad answers:
    counts them, so the report can say so."""
    command = [WRK, "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--latency",
               "--timeout", "5s"]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    if script is not None:
        command += ["-s", str(script)]
    before = sum(cpu_seconds(p) for p in pids) if pids else 0.0
    done = subprocess.run([*command, url], capture_output=True, text=True,
                          timeout=seconds + 30)
    after = sum(cpu_seconds(p) for p in pids) if pids else 0.0
    out = done.stdout
    if done.returncode != 0 or "Requests/sec" not in out:
        raise RuntimeError(f"wrk failed on {url}: {done.stderr or out}")
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    errors = 0
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)",
                       out)
    if socket:
        errors += sum(int(n) for n in socket.groups())
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if bad:
        errors += int(bad.group(1))
    return WrkResult(
        rps=float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        p50_ms=_ms(re.search(r"^\s+50%\s+(\S+)\s*$", out, re.M).group(1)),
        p99_ms=_ms(re.search(r"^\s+99%\s+(\S+)\s*$", out, re.M).group(1)),
        requests=requests, errors=errors,
        cpu_us=(after - before) / requests * 1e6 if pids and requests else None,
    )


@dataclass
class Spread:
    median: float
    low: float
    high: float

    @classmethod
    def of(cls, values: list[float]) -> Spread:
        return cls(statistics.median(values), min(values), max(values))

    def fmt(self, digits: int = 0, unit: str = "") -> str:
        return (f"{self.median:,.{digits}f}{unit} "
                f"<sub>({self.low:,.{digits}f}–{self.high:,.{digits}f})</sub>")


def ratio_spread(numerators: list[float], denominators: list[float]) -> Spread:
    """Ratios taken round by round (each pair measured seconds apart), then summarised."""
    return Spread.of([n / d for n, d in zip(numerators, denominators, strict=True) if d])
