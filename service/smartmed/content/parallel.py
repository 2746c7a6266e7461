"""CPU-bound work over the machine's cores: ProcessPoolExecutor.map, in chunks.

The loader compiles articles with it (loader.py) and the catalog serializes their
documents (catalog/articlejson.py). Starting worker processes costs a few hundred
milliseconds, so small inputs stay in this process, as does everything where processes
cannot be started (a daemonic process may not have children) or when the workers fail.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")
log = logging.getLogger("smartmed")
# Below this many items, one process is faster than starting workers.
MIN_ITEMS = 400
# Items per message to a worker: a few per worker's share, so that the workers finish
# together, and each message carries enough work to be worth its pickling.
CHUNKS_PER_WORKER = 4
MAX_CHUNK = 100
# What a failing pool raises (AssertionError: daemonic processes may not have children).
POOL_FAILURES = (BrokenProcessPool, OSError, AssertionError)


# Workers are forked from a forkserver, not from this process: this may run in a thread of
# a serving worker (a content reload), and forking a threaded process can copy a held lock.
_CONTEXT = multiprocessing.get_context("forkserver")


def preload(modules: Sequence[str]) -> None:
    """Modules the forkserver imports once, before it forks any worker
    (multiprocessing's set_forkserver_preload): each worker then starts with them loaded
    instead of importing them itself. Takes effect when the forkserver starts (the first
    pool of this process)."""
    _CONTEXT.set_forkserver_preload(list(modules))


def cores() -> int:
    return min(os.cpu_count() or 1, 8)


def chunksize(items: int, workers: int) -> int:
    return max(1, min(MAX_CHUNK, -(-items // (workers * CHUNKS_PER_WORKER))))


@contextlib.contextmanager
def process_map(fn: Callable[[T], R], items: Sequence[T], *,
                min_items: int = MIN_ITEMS) -> Iterator[Callable[[], list[R]]]:
    """Starts ``fn`` over ``items`` in worker processes and yields the function that
    returns the results, in order: the caller can do other work before it asks.

    ``fn`` must be picklable (a module-level function, or a functools.partial of one).
    """
    def here() -> list[R]:
        return [fn(item) for item in items]

    if cores() < 2 or len(items) < min_items:
        yield here
        return
    try:
        pool = ProcessPoolExecutor(max_workers=cores(), mp_context=_CONTEXT)
        results = pool.map(fn, items, chunksize=chunksize(len(items), cores()))
    except POOL_FAILURES as exc:
        log.warning("working in one process: worker processes failed (%s)", exc)
        yield here
        return

    def collect() -> list[R]:
        try:
            done = list(results)
        except POOL_FAILURES as exc:
            log.warning("working in one process: worker processes failed (%s)", exc)
            return here()
        # Every result is in: the idle workers exit now, before the caller builds on the
        # results, so their memory and the caller's growth do not add up.
        pool.shutdown(wait=True)
        return done
    try:
        yield collect
    finally:
        # No waiting for idle workers to exit; work not started yet is dropped.
        pool.shutdown(wait=False, cancel_futures=True)
