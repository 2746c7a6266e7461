"""The day turning over: a task in the app's lifespan builds each new day's tips and feed.

A catalog is built for the day it starts on (catalog/catalog.py, ``turn``). Requests only
read it; this task calls ``turn`` again whenever the day changes, at the site's midnight
and when a new date begins anywhere on Earth (the API serves every date that is "today"
somewhere), so that no request ever does a day's work.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager
from typing import Any

from smartmed.ops.state import ServiceState

Lifespan = Callable[[Any], AbstractAsyncContextManager[None]]


async def keep_turning(state: ServiceState) -> None:
    while True:
        # Read each time: a content reload swaps in a new catalog, built for its own day.
        await asyncio.sleep(state.catalog.seconds_to_turn(state.now()))
        state.catalog.turn(state.now())


def lifespan(inner: Lifespan, state: ServiceState) -> Lifespan:
    """``inner`` runs inside; the task runs for as long as it does."""

    @contextlib.asynccontextmanager
    async def span(app: Any) -> AsyncIterator[None]:
        task = asyncio.create_task(keep_turning(state), name="smartmed-daybreak")
        try:
            async with inner(app):
                yield
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    return span
