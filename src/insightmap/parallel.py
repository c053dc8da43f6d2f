"""Run independent CPU-bound jobs (analysis, charts, pages, pre-rendering) on several cores, forked.

The jobs are closures over the build's data (corpus, maps, Markdown converter); forked
workers inherit them as they are, so nothing is pickled but an index in and the result
out. Results come back in the jobs' order, so output does not depend on scheduling.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

#: The jobs of the running in_parallel() call, inherited by its forked workers (never pickled).
_JOBS: list[Callable[[], Any]] = []


def cores() -> int:
    """Return how many cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def in_parallel(jobs: list[Callable[[], Any]], workers: int) -> list[Any]:
    """Return the jobs' results in order, run by up to `workers` forked processes (here, if fewer than 2)."""
    import multiprocessing

    workers = min(workers, len(jobs))
    if workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return [job() for job in jobs]
    _JOBS[:] = jobs
    try:
        # Small batches: jobs of unequal cost (a map with many labels, a long page) spread evenly.
        chunk = max(1, len(jobs) // (workers * 8))
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            return pool.map(_run, range(len(jobs)), chunksize=chunk)
    finally:
        _JOBS.clear()


def _run(index: int) -> Any:
    return _JOBS[index]()
