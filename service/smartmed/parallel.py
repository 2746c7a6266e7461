"""Spread CPU-bound work over the machine's cores, or do it in-process when that is cheaper."""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")
log = logging.getLogger("smartmed")


def map_chunks(fn: Callable[[Sequence[T]], list[R]], items: Sequence[T], *,
               min_items: int) -> list[R]:
    """``fn`` over chunks of ``items``, results in order; several processes for large inputs.

    ``fn`` must be a module-level function (it is pickled). Starting worker processes costs
    a few hundred milliseconds, so small inputs stay in this process, as does everything
    when processes cannot be started here.
    """
    workers = min(os.cpu_count() or 1, 8)
    if workers < 2 or len(items) < min_items:
        return fn(items)
    size = -(-len(items) // (workers * 4))  # a few chunks per worker evens out the load
    chunks = [items[i : i + size] for i in range(0, len(items), size)]
    try:
        # forkserver, not fork: this may run in a thread of a serving worker, and forking a
        # threaded process can copy a held lock into the child.
        context = multiprocessing.get_context("forkserver")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            return [result for chunk in pool.map(fn, chunks) for result in chunk]
    except (BrokenProcessPool, OSError, AssertionError) as exc:
        # AssertionError: daemonic processes may not have children.
        log.warning("compiling in one process: worker processes failed (%s)", exc)
        return fn(items)
