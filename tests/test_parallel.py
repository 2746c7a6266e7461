"""ChunkMap: results in order whoever computes them; the caller helps only from the main
thread; anything that stops the workers falls back to one process."""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from smartmed.catalog import parallel
from smartmed.catalog.parallel import ChunkMap, map_chunks


def squares_with_pid(items: Sequence[int]) -> list[tuple[int, int]]:
    return [(n * n, os.getpid()) for n in items]


def squares(items: Sequence[int]) -> list[int]:
    return [n * n for n in items]


def fails_on_seven(items: Sequence[int]) -> list[int]:
    if 7 in items:
        raise ValueError("seven")
    return list(items)


needs_cores = pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="one core: no workers")


def test_small_inputs_stay_in_this_process() -> None:
    out = map_chunks(squares_with_pid, range(10), min_items=100)
    assert out == [(n * n, os.getpid()) for n in range(10)]


@needs_cores
def test_workers_compute_every_chunk_when_the_caller_only_waits() -> None:
    with ChunkMap(squares_with_pid, range(40), min_items=1, chunk_items=5,
                  participate=False) as job:
        out = job.results()
    assert [square for square, _ in out] == [n * n for n in range(40)]
    assert os.getpid() not in {pid for _, pid in out}


@needs_cores
def test_a_caller_that_helps_takes_chunks_from_the_end_and_keeps_the_order() -> None:
    with ChunkMap(squares_with_pid, range(200), min_items=1, chunk_items=10,
                  participate=True) as job:
        out = job.results()
    assert [square for square, _ in out] == [n * n for n in range(200)]
    # The pool holds back all but a couple of chunks, and it takes them from the front:
    # the last chunk is always this process's.
    assert out[-1][1] == os.getpid()


def test_only_the_main_thread_helps_by_default() -> None:
    assert ChunkMap(squares, [], min_items=1)._participate is True
    with ThreadPoolExecutor(1) as thread:
        helper = thread.submit(lambda: ChunkMap(squares, [], min_items=1)._participate)
        assert helper.result() is False
    assert threading.current_thread() is threading.main_thread()


@needs_cores
def test_an_error_in_a_chunk_is_raised_to_the_caller() -> None:
    with pytest.raises(ValueError, match="seven"), \
            ChunkMap(fails_on_seven, range(20), min_items=1, chunk_items=3) as job:
        job.results()


def test_a_pool_that_cannot_start_falls_back_to_this_process(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError("no processes here")

    monkeypatch.setattr(parallel, "ProcessPoolExecutor", refuse)
    monkeypatch.setattr(parallel, "_cores", lambda: 2)
    assert map_chunks(squares, range(30), min_items=1) == [n * n for n in range(30)]


def test_the_caller_may_work_while_the_pool_starts_and_leave_early() -> None:
    job = ChunkMap(squares, range(30), min_items=1, chunk_items=4)
    job.close()  # e.g. the caller's own work raised: nothing waits on the workers
    job.close()


@pytest.mark.skipif(not hasattr(parallel.fcntl, "F_SETPIPE_SZ"), reason="Linux only")
def test_results_come_back_through_a_pipe_that_takes_a_whole_chunk() -> None:
    from concurrent.futures import ProcessPoolExecutor

    # No worker is started: only the pipe is looked at.
    pool = ProcessPoolExecutor(max_workers=1)
    try:
        reader = pool._result_queue._reader  # type: ignore[attr-defined]
        parallel._widen_result_pipe(pool)
        size = parallel.fcntl.fcntl(reader.fileno(), parallel.fcntl.F_GETPIPE_SZ)
        assert size >= min(parallel.RESULT_PIPE_BYTES,
                           int(Path("/proc/sys/fs/pipe-max-size").read_text()))
    finally:
        pool.shutdown()


def crash_in_workers(items: Sequence[int]) -> list[tuple[int, int]]:
    if os.environ.get("SMARTMED_TEST_PARENT") != str(os.getpid()):
        os._exit(1)  # a worker dies: the pool is broken
    return squares_with_pid(items)


@needs_cores
def test_chunks_a_broken_pool_did_not_return_are_computed_here(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SMARTMED_TEST_PARENT", str(os.getpid()))
    with ChunkMap(crash_in_workers, range(40), min_items=1, chunk_items=5,
                  participate=False) as job:
        out = job.results()
    assert out == [(n * n, os.getpid()) for n in range(40)]
