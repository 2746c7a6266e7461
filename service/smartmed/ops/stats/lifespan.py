"""A worker's stats for its lifetime: the store opened (and migrated), the flush running."""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import tempfile
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import Any

from smartmed.catalog.clock import Clock
from smartmed.ops.stats.store import open_store
from smartmed.ops.stats.tally import Recorder
from smartmed.settings import Settings

Lifespan = Callable[[Any], AbstractAsyncContextManager[None]]


def lifespan(inner: Lifespan, settings: Settings, clock: Clock) -> Lifespan:
    """`inner` runs inside: at shutdown it ends first, then the last counts are written."""

    @contextlib.asynccontextmanager
    async def span(app: Any) -> AsyncIterator[None]:
        made = None
        state_dir = settings.state_dir
        if state_dir is None and not settings.database_url:
            # An app built without `smartmed serve` (tests, tools): as serve does, a fresh
            # state directory for this run.
            made = state_dir = Path(tempfile.mkdtemp(prefix="smartmed-stats-"))
        assert state_dir is not None or settings.database_url
        store = await asyncio.to_thread(open_store, settings.database_url,
                                        state_dir or Path("."))
        recorder = Recorder(store, settings.stats_retention_days, clock)
        app.state.stats = recorder
        try:
            async with recorder.running(), inner(app):
                yield
        finally:
            app.state.stats = None
            store.close()
            if made is not None:
                shutil.rmtree(made, ignore_errors=True)

    return span
