"""process_map: ProcessPoolExecutor.map in chunks, results in order; small inputs, and
anything that stops the workers, fall back to this process."""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ThreadPoolExecutor

import pytest

from smartmed.content.parallel import chunksize, process_map


def square_with_pid(n: int) -> tuple[int, int]:
    return n * n, os.getpid()


def fails_on_seven(n: int) -> int:
    if n == 7:
        raise ValueError("seven")
    return n


def crash_in_workers(n: int) -> tuple[int, int]:
    if os.environ.get("SMARTMED_TEST_PARENT") != str(os.getpid()):
        os._exit(1)  # a worker dies: the pool is broken
    return square_with_pid(n)


needs_cores = pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="one core: no workers")


def test_small_inputs_stay_in_this_process() -> None:
    with process_map(square_with_pid, range(10), min_items=100) as results:
        assert results() == [(n * n, os.getpid()) for n in range(10)]


@needs_cores
def test_workers_compute_every_item_in_order() -> None:
    with process_map(square_with_pid, range(200), min_items=1) as results:
        out = results()
    assert [square for square, _ in out] == [n * n for n in range(200)]
    assert os.getpid() not in {pid for _, pid in out}


@needs_cores
def test_a_thread_that_is_not_the_main_one_gets_the_same_results() -> None:
    def run() -> list[tuple[int, int]]:
        with process_map(square_with_pid, range(50), min_items=1) as results:
            return results()
    with ThreadPoolExecutor(1) as thread:  # as a content reload in a serving worker
        out = thread.submit(run).result()
    assert [square for square, _ in out] == [n * n for n in range(50)]


@needs_cores
def test_an_error_in_an_item_is_raised_to_the_caller() -> None:
    with pytest.raises(ValueError, match="seven"), \
            process_map(fails_on_seven, range(20), min_items=1) as results:
        results()


@needs_cores
def test_a_broken_pool_falls_back_to_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SMARTMED_TEST_PARENT", str(os.getpid()))
    with process_map(crash_in_workers, range(40), min_items=1) as results:
        assert results() == [(n * n, os.getpid()) for n in range(40)]


def in_a_daemon(queue: multiprocessing.Queue[list[tuple[int, int]]]) -> None:
    with process_map(square_with_pid, range(30), min_items=1) as results:
        queue.put(results())


@needs_cores
def test_a_process_that_may_not_have_children_works_alone() -> None:
    context = multiprocessing.get_context("forkserver")
    queue = context.Queue()
    daemon = context.Process(target=in_a_daemon, args=(queue,), daemon=True)
    daemon.start()
    out = queue.get(timeout=60)
    daemon.join(timeout=30)
    assert [square for square, _ in out] == [n * n for n in range(30)]
    assert {pid for _, pid in out} == {daemon.pid}


def test_the_caller_may_leave_without_asking_for_the_results() -> None:
    with process_map(square_with_pid, range(30), min_items=1):
        pass  # e.g. the caller's own work raised: nothing waits on the workers


def test_chunks_spread_the_items_over_the_workers() -> None:
    assert chunksize(10_000, 2) == 100
    assert chunksize(400, 2) == 50
    assert chunksize(3, 8) == 1
