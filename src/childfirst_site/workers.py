"""Worker processes for the per-item stages (reading sources, rendering pages). Results
come back in input order, so output never depends on how many workers ran or which
finished first."""
from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Below this many items a pool costs more than it saves.
MIN_PARALLEL_ITEMS = 64


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


Progress = Callable[[int, int], None]   # (items done, items in all)


def ordered_map(function: Callable[[Sequence[T]], list[R]], items: Sequence[T], workers: int,
                initializer: Callable[..., None] | None = None, initargs: tuple[Any, ...] = (),
                progress: Progress | None = None) -> list[R]:
    """function(chunk) → results for that chunk, over all items, in order. `function`
    and `initializer` must be module-level so that worker processes can find them."""
    if workers <= 1 or len(items) < MIN_PARALLEL_ITEMS:
        if initializer is not None:
            initializer(*initargs)
        results = []
        for chunk in _chunks(items, 256):
            results.extend(function(chunk))
            if progress is not None:
                progress(len(results), len(items))
        return results
    # A few chunks per worker evens out slow and fast items without much traffic.
    size = max(8, -(-len(items) // (workers * 4)))
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    if method == "fork":
        # Forked workers share the parent's memory until they write to it; the garbage
        # collector would write to every object it scans, copying the pages they sit on.
        gc.collect()
        gc.freeze()
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(method),
                             initializer=initializer, initargs=initargs) as pool:
        results: list[R] = []
        try:
            for part in pool.map(function, _chunks(items, size)):
                results.extend(part)
                if progress is not None:
                    progress(len(results), len(items))
        finally:
            gc.unfreeze()
        return results
