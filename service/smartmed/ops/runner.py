"""What `smartmed serve` sets up around uvicorn: state directory, metrics mode, options.

Workers are separate processes started by uvicorn: everything they must know travels
through environment variables set here before the first one starts.
"""

from __future__ import annotations

import contextlib
import copy
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from smartmed.settings import Settings

APP = "smartmed.app:app_from_env"
# Seconds in-flight requests get to finish after SIGTERM; Docker's default grace is 10 s.
GRACEFUL_SHUTDOWN = 8
WATCH_INTERVAL = 0.25  # `--watch`: the stat walk is cheap enough to run four times a second


def log_config(level: str) -> dict[str, Any]:
    from uvicorn.config import LOGGING_CONFIG

    # uvicorn's own format and stream (stderr) for the service's messages too.
    config = copy.deepcopy(LOGGING_CONFIG)
    config["loggers"]["smartmed"] = {"handlers": ["default"], "level": level.upper(),
                                     "propagate": False}
    return config


def uvicorn_options(host: str, port: int, workers: int, settings: Settings) -> dict[str, Any]:
    return {
        "app": APP, "factory": True, "host": host, "port": port, "workers": workers,
        "log_level": settings.log_level, "log_config": log_config(settings.log_level),
        "access_log": False,  # ours is JSON (accesslog.py)
        # The app reads no client address or scheme (addresses come from SMARTMED_BASE_URL,
        # logs hold none) and nginx sends none: no X-Forwarded-* rewrite per request.
        "server_header": False, "proxy_headers": False,
        "timeout_graceful_shutdown": GRACEFUL_SHUTDOWN,
    }


@contextlib.contextmanager
def prepared(settings: Settings, content: Path, workers: int, watch: bool) -> Iterator[Path]:
    """Environment for the workers; yields the state directory, removed after if made here."""
    made = settings.state_dir is None
    state = Path(tempfile.mkdtemp(prefix="smartmed-")) if made else settings.state_dir
    assert state is not None
    os.environ["SMARTMED_CONTENT_DIR"] = str(content.resolve())
    os.environ["SMARTMED_STATE_DIR"] = str(state.resolve())
    if watch:
        os.environ["SMARTMED_RELOAD_INTERVAL"] = str(WATCH_INTERVAL)
    if settings.release:  # `serve --release`: every worker, and every reload, refuses too
        os.environ["SMARTMED_RELEASE"] = "true"
    # Several processes must add their samples up: prometheus_client's multiprocess mode,
    # chosen when it is first imported — so before any worker (or this process) imports it.
    if settings.metrics and (workers > 1 or settings.metrics_port) and (
            "PROMETHEUS_MULTIPROC_DIR" not in os.environ):
        if "prometheus_client" in sys.modules:
            raise RuntimeError("prometheus_client was imported before its mode was chosen")
        metrics_dir = state / "metrics"
        shutil.rmtree(metrics_dir, ignore_errors=True)  # counts from an earlier run
        metrics_dir.mkdir(parents=True)
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(metrics_dir)
    try:
        yield state
    finally:
        if made:
            shutil.rmtree(state, ignore_errors=True)


def start_metrics_server(settings: Settings, host: str) -> Callable[[], None]:
    """`metrics_port`: /metrics on its own port, served by this (the supervising) process.

    prometheus_client's ASGI app (every worker's samples, multiprocess mode) under a uvicorn
    Server of its own in a thread: uvicorn, unlike the standard library's wsgiref server
    behind prometheus_client's start_http_server, can leave out the Server banner
    (server_header=False). Returns the function that stops it; raises OSError when the
    port cannot be bound (the socket is bound here, before the thread starts).
    """
    if not (settings.metrics and settings.metrics_port):
        return lambda: None
    import socket
    import threading

    import uvicorn
    from prometheus_client import make_asgi_app

    from smartmed.ops.metrics import scrape_registry

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.create_server((host, settings.metrics_port), family=family)
    config = uvicorn.Config(make_asgi_app(scrape_registry()), log_config=None,
                            access_log=False, server_header=False, lifespan="off",
                            log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]},
                              name="smartmed-metrics", daemon=True)
    thread.start()

    def stop() -> None:
        server.should_exit = True
        thread.join(timeout=5)
        sock.close()
    return stop
