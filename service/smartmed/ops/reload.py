"""Live content reload: notice a change cheaply, validate it fully, swap it in atomically.

Each worker polls on its own (nothing is shared between workers but the directory), so it
works the same with one worker, with several, and with several replicas. The check is a
walk of file sizes and mtimes; only when that changes is the directory read, validated
exactly as `smartmed check` does, and — when valid — compiled and swapped in with one
assignment (`ServiceState.swap`). Invalid content is logged and counted; the last good
content keeps serving, and is kept on disk (snapshot.py) for workers started later.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import signal
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import Any

from smartmed.content import loader
from smartmed.content.loader import Fingerprint, fingerprint
from smartmed.content.model import Library
from smartmed.content.problems import ContentError, Problem
from smartmed.ops import snapshot
from smartmed.ops.metrics import Metrics
from smartmed.ops.state import ServiceState
from smartmed.settings import Settings

log = logging.getLogger("smartmed.reload")


def _check(directory: Path, settings: Settings,
           today: dt.date) -> tuple[Library | None, list[Problem]]:
    library, report = loader.check(directory, today=today,
                                   max_file_bytes=settings.max_file_bytes,
                                   snippet_chars=settings.snippet_chars,
                                   release=settings.release)
    return library, report.problems


def load_initial(directory: Path, settings: Settings, today: dt.date,
                 given: Library | None = None, given_seen: Fingerprint | None = None
                 ) -> tuple[Library, Fingerprint, bool]:
    """The library a worker starts with: the directory's, else the last good copy; or
    ``given``, already loaded from the directory (``given_seen``: the directory's
    fingerprint taken before it was read, so that a change made meanwhile is reloaded).

    Returns (library, fingerprint of the directory as read, whether the directory was valid).
    Raises ContentError when the directory is invalid and there is no good copy to fall back on.
    """
    seen = fingerprint(directory) if given_seen is None else given_seen
    if given is not None:
        return given, seen, True
    library, problems = _check(directory, settings, today)
    if library is not None:
        snapshot.save(directory, library.version, settings.state_dir)
        return library, seen, True
    fallback = snapshot.current(settings.state_dir)
    if fallback is None:
        raise ContentError(problems)
    for problem in problems:
        log.error("content rejected: %s", problem)
    good, _ = _check(fallback, settings, today)
    if good is None:
        raise ContentError(problems)
    log.error("%s is not valid; serving the last good content, version %s",
              directory, good.version)
    return good, seen, False


class Reloader:
    def __init__(self, state: ServiceState, directory: Path, metrics: Metrics | None,
                 seen: Fingerprint) -> None:
        self.state, self.directory, self.metrics = state, directory, metrics
        self.settings = state.settings
        self._seen = seen
        self._wake: asyncio.Event | None = None

    def poll(self, force: bool = False) -> str:
        """One check; returns "unchanged", "reloaded" or "rejected". Runs in a thread."""
        seen = fingerprint(self.directory)
        if seen == self._seen and not force:
            return "unchanged"
        self._seen = seen
        serving = self.state.library.version
        try:
            library, problems = _check(self.directory, self.settings, self.state.now().date())
        except Exception as exc:  # e.g. a file vanishing mid-read: reject, keep serving
            library, problems = None, [Problem(str(self.directory), 0, "content", str(exc))]
        if library is None:
            for problem in problems:
                log.error("content reload rejected: %s", problem)
            log.error("content reload rejected: %s has %d error(s); still serving version %s",
                      self.directory, sum(not getattr(p, "warning", False) for p in problems),
                      serving)
            if self.metrics:
                self.metrics.reload(False)
            return "rejected"
        if library.version == serving:
            return "unchanged"
        self.state.swap(library)  # compiles the new catalog here, in the thread
        if self.metrics:
            self.metrics.content(library)
            self.metrics.reload(True)
        snapshot.save(self.directory, library.version, self.settings.state_dir)
        log.info("content reloaded: version %s -> %s", serving, library.version)
        return "reloaded"

    def wake(self) -> None:
        """Check now, changed or not (SIGHUP)."""
        if self._wake is not None:
            self._wake.set()

    async def _run(self) -> None:
        assert self._wake is not None
        interval = self.settings.reload_interval or None
        while True:
            force = False
            try:
                await asyncio.wait_for(self._wake.wait(), interval)
                force = True
            except TimeoutError:
                pass
            self._wake.clear()
            try:
                await asyncio.to_thread(self.poll, force)
            except Exception:  # a bug here must not end reloading for the worker's life
                log.exception("content reload check failed")

    @contextlib.asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        """Poll in the background while the app serves (the app's lifespan)."""
        self._wake = asyncio.Event()
        loop = asyncio.get_running_loop()
        task = loop.create_task(self._run(), name="smartmed-content-reload")
        hup = _on_sighup(loop, self.wake)
        try:
            yield
        finally:
            if hup:
                loop.remove_signal_handler(signal.SIGHUP)
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task


def _on_sighup(loop: asyncio.AbstractEventLoop, callback: Callable[[], object]) -> bool:
    # Only a process's main thread can take signals: under uvicorn a worker can, an app
    # under a test client (served from another thread) cannot and needs not.
    try:
        loop.add_signal_handler(signal.SIGHUP, callback)
    except (ValueError, RuntimeError, NotImplementedError, AttributeError):
        return False
    return True


def lifespan(reloader: Reloader, metrics: Metrics | None,
             started_valid: bool) -> Callable[[Any], AbstractAsyncContextManager[None]]:
    @contextlib.asynccontextmanager
    async def span(app: Any) -> AsyncIterator[None]:
        if metrics is not None and not started_valid:
            metrics.reload(False)  # this worker came up on the last good copy
        try:
            async with reloader.running():
                yield
        finally:
            if metrics is not None:
                metrics.process_exit()
    return span
