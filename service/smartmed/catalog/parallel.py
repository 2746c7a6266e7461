"""Spread CPU-bound work over the machine's cores, or do it in-process when that is cheaper."""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from types import TracebackType
from typing import Generic, TypeVar

try:
    import fcntl
except ImportError:  # not on Windows
    fcntl = None  # type: ignore[assignment]

T = TypeVar("T")
R = TypeVar("R")
log = logging.getLogger("smartmed")
# Small chunks even out the load between the workers and the caller, which take them from
# opposite ends (whoever finishes first waits for at most one chunk of the other); each
# costs a message each way, a fraction of a millisecond.
CHUNK_ITEMS = 50
# The result pipe's size: Linux's default maximum for an unprivileged process.
RESULT_PIPE_BYTES = 1 << 20
# What a failing pool raises (AssertionError: daemonic processes may not have children).
POOL_FAILURES = (BrokenProcessPool, OSError, AssertionError)


def _cores() -> int:
    return min(os.cpu_count() or 1, 8)


class ChunkMap(Generic[T, R]):
    """``fn`` over chunks of ``items``, results in order; several processes for large inputs.

    The workers start at once, so the caller can do other work before it asks for the
    results. ``fn`` must be a module-level function (it is pickled). Starting worker
    processes costs a few hundred milliseconds, so small inputs stay in this process, as
    does everything when processes cannot be started here.

    A caller in the main thread takes part: one core is left to it, and while it waits it
    computes chunks itself, from the end of the list while the workers take them from the
    front. That keeps every core busy while the workers start, and what the caller
    computes is not pickled back. A caller in another thread (a content reload in a
    serving worker) only waits, so that it does not take the interpreter lock from the
    requests being served meanwhile.
    """

    def __init__(self, fn: Callable[[Sequence[T]], list[R]], items: Sequence[T], *,
                 min_items: int, chunk_items: int = CHUNK_ITEMS,
                 participate: bool | None = None) -> None:
        self._fn, self._items = fn, items
        self._pool: ProcessPoolExecutor | None = None
        self._chunks: list[Sequence[T]] = []
        self._futures: list[Future[list[R]]] = []
        self._failure: BaseException | None = None
        self._starting: threading.Thread | None = None
        if participate is None:
            participate = threading.current_thread() is threading.main_thread()
        self._participate = participate
        if _cores() < 2 or len(items) < min_items:
            return
        workers = _cores() - 1 if participate else _cores()
        size = max(1, min(chunk_items, -(-len(items) // (workers * 4))))
        self._chunks = [items[i : i + size] for i in range(0, len(items), size)]
        # Starting the first worker waits tens of milliseconds for the fork server: a
        # thread waits for it, and the caller goes on with its own work.
        self._starting = threading.Thread(target=self._start, args=(workers,),
                                          name="smartmed-pool-start", daemon=True)
        self._starting.start()

    def _start(self, workers: int) -> None:
        try:
            # forkserver, not fork: this may run in a thread of a serving worker, and forking
            # a threaded process can copy a held lock into the child.
            context = multiprocessing.get_context("forkserver")
            self._pool = ProcessPoolExecutor(max_workers=workers, mp_context=context)
            _widen_result_pipe(self._pool)
            self._futures = [self._pool.submit(self._fn, chunk) for chunk in self._chunks]
        except BaseException as exc:  # handed to the caller's thread by _started()
            self._failure = exc

    def _started(self) -> bool:
        """Whether the pool runs (once the starting thread is done)."""
        if self._starting is not None:
            self._starting.join()
            self._starting = None
            failure, self._failure = self._failure, None
            if failure is not None:
                self.close()
                if not isinstance(failure, POOL_FAILURES):
                    raise failure
                log.warning("compiling in one process: worker processes failed (%s)", failure)
        return self._pool is not None

    def results(self) -> list[R]:
        """Every result, in the order of ``items``; the pool is shut down after."""
        if not self._started():
            return self._fn(self._items)
        done: list[list[R] | None] = [None] * len(self._chunks)
        if self._participate:
            # A future the pool has not handed to a worker yet can be cancelled: this
            # process computes that chunk instead.
            for index in reversed(range(len(self._chunks))):
                if self._futures[index].cancel():
                    done[index] = self._fn(self._chunks[index])
        try:
            for index, future in enumerate(self._futures):
                if done[index] is None:
                    done[index] = future.result()
        except POOL_FAILURES as exc:
            log.warning("compiling in one process: worker processes failed (%s)", exc)
            self.close()
            done = [chunk if chunk is not None else self._fn(self._chunks[index])
                    for index, chunk in enumerate(done)]
        self.close()
        return [result for chunk in done if chunk is not None for result in chunk]

    def close(self) -> None:
        """Stop the workers; chunks not started are dropped. Safe to call more than once."""
        if self._starting is not None:
            self._started()
        if self._pool is not None:
            # No waiting for the idle workers to exit: nothing is left for them to do.
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None

    def __enter__(self) -> ChunkMap[T, R]:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()


def _widen_result_pipe(pool: ProcessPoolExecutor) -> None:
    """Let a worker write a whole chunk's results without waiting for this process.

    Results come back through a pipe, 64 KiB by default. A chunk's results are much
    larger (compiled articles: ~800 KiB), so a worker's write waits for this process to
    read each 64 KiB, and the thread that reads must take the interpreter lock from the
    caller, who is busy computing chunks: workers spent a sixth of their time blocked.
    A pipe as large as Linux allows (1 MiB unless raised) takes a chunk in one write.
    Where this cannot be done (another OS, a Python whose pool is built otherwise), the
    pipe stays as it is: only slower.
    """
    set_size = getattr(fcntl, "F_SETPIPE_SZ", None) if fcntl is not None else None
    reader = getattr(getattr(pool, "_result_queue", None), "_reader", None)
    if set_size is None or reader is None:
        return
    with contextlib.suppress(OSError, ValueError):
        fcntl.fcntl(reader.fileno(), set_size, RESULT_PIPE_BYTES)


def map_chunks(fn: Callable[[Sequence[T]], list[R]], items: Sequence[T], *,
               min_items: int) -> list[R]:
    """``fn`` over chunks of ``items``, results in order (see ChunkMap)."""
    with ChunkMap(fn, items, min_items=min_items) as job:
        return job.results()
