"""Worker processes for the per-item stages (reading sources, rendering pages). Results
come back in input order, so output never depends on how many workers ran or which
finished first."""
from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

if TYPE_CHECKING:
    from .helper import Helper

T = TypeVar("T")
R = TypeVar("R")

# Below this many items a pool costs more than it saves.
MIN_PARALLEL_ITEMS = 64

# Reading 10,000 posts in chunks of a quarter of each worker's share (1,250 posts, about
# 3 s of work each) left one of two workers idle for 0.85 s at the end; in chunks of 256,
# 0.4 s; of 128, 0.02-0.22 s in three runs (each chunk timed in its worker).
MAX_CHUNK = 128


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _tapering(items: Sequence[T], workers: int, largest: int) -> Iterator[Sequence[T]]:
    """Chunks of a share of what is left, at most `largest` items, so that chunks get
    smaller towards the end and the workers finish close together."""
    start = 0
    while start < len(items):
        size = max(8, min(largest, -(-(len(items) - start) // (workers * 4))))
        yield items[start:start + size]
        start += size


Progress = Callable[[int, int], None]   # (items done, items in all)


def ordered_map(function: Callable[[Sequence[T]], list[R]], items: Sequence[T], workers: int,
                initializer: Callable[..., None] | None = None, initargs: tuple[Any, ...] = (),
                progress: Progress | None = None, fresh_workers_every: int | None = None,
                min_items: int | None = None, forked: Callable[[], None] | None = None) -> list[R]:
    """ordered_results, as a list."""
    return list(ordered_results(function, items, workers, initializer, initargs, progress, fresh_workers_every,
                                min_items, forked))


def ordered_results(function: Callable[[Sequence[T]], list[R]], items: Sequence[T], workers: int,
                    initializer: Callable[..., None] | None = None, initargs: tuple[Any, ...] = (),
                    progress: Progress | None = None, fresh_workers_every: int | None = None,
                    min_items: int | None = None, forked: Callable[[], None] | None = None) -> Iterator[R]:
    """function(chunk) → results for that chunk, over all items, in order, each as soon
    as it and all before it are done, so the caller need not hold them all. `function`
    and `initializer` must be module-level so that worker processes can find them.

    Forked workers share the parent's memory until they touch it; each object a worker
    reads gets its page copied (reference counts are writes). `fresh_workers_every`
    replaces the workers after that many items, so no worker ends up holding a copy
    of everything the parent has. The next set starts as soon as the last has done its
    items, while the caller may still be taking them in (at most two sets' results are
    held). Where processes are forked, `initializer` runs once,
    in the parent, and the workers inherit what it set up. Below `min_items` items
    (MIN_PARALLEL_ITEMS unless given) everything runs in this process. `forked()` is
    called once the last set of workers has been forked, if any is: from then on this
    process only waits for results, and may start a thread of its own (see read_all)."""
    if workers <= 1 or len(items) < (MIN_PARALLEL_ITEMS if min_items is None else min_items):
        if initializer is not None:
            initializer(*initargs)
        done = 0
        for chunk in _chunks(items, 256):
            yield from function(chunk)
            done += len(chunk)
            if progress is not None:
                progress(done, len(items))
        return
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    if method == "fork" and initializer is not None:
        initializer(*initargs)
        initializer, initargs = None, ()
    rounds = list(_chunks(items, fresh_workers_every or len(items)))
    # A few chunks per worker evens out slow and fast items without much traffic; no chunk
    # of more than MAX_CHUNK items, and smaller ones towards the end (_tapering), as the
    # last to finish keeps every other worker waiting.
    size = max(8, min(MAX_CHUNK, -(-len(rounds[0]) // (workers * 4))))
    if method == "fork":
        # The garbage collector would write to every object it scans, copying the pages
        # they sit on: objects made so far are left out of its scans. (No collection
        # first: it took a third of a second each time, and whatever garbage is frozen
        # here is collectable again after unfreeze.)
        gc.freeze()

    started = 0

    def start_next() -> _Round[R] | None:
        """Fresh workers for the next round, with its chunks handed out; None after the last."""
        nonlocal started
        if started == len(rounds):
            return None
        # A forked worker collects garbage whether or not the build's own process does
        # (see collector.py): it reads or renders many sources, each leaving some behind.
        pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(method),
                                   initializer=initializer or gc.enable, initargs=initargs)
        futures = [pool.submit(function, chunk) for chunk in _tapering(rounds[started], workers, size)]
        started += 1
        if started == len(rounds) and forked is not None and method == "fork":
            forked()   # the pool forks its workers on the first submit
        return _Round(pool, futures)

    done = 0
    current = start_next()
    following: _Round[R] | None = None
    try:
        while current is not None:
            for future in current.futures:
                part = future.result()
                # Once a round's workers have done all of it, they go and the next round
                # starts: it need not wait while the caller takes in what is left of this one.
                if following is None and started < len(rounds) and current.all_done():
                    current.pool.shutdown()
                    following = start_next()
                yield from part
                done += len(part)
                if progress is not None:
                    progress(done, len(items))
            current.pool.shutdown()
            current, following = following or start_next(), None
    finally:
        for live in (current, following):
            if live is not None:
                live.pool.shutdown(cancel_futures=True)
        if method == "fork":
            gc.unfreeze()


@dataclass
class _Round(Generic[R]):
    """One set of workers, and the chunks given to them, in order."""

    pool: ProcessPoolExecutor
    futures: list[Future[list[R]]]

    def all_done(self) -> bool:
        return all(future.done() for future in self.futures)



@dataclass
class Then(Generic[R]):
    """What a Background function returns when it has work left once its result is
    sent: `value` is sent, then `after()` runs, in the same process."""

    value: R
    after: Callable[[], None]


def _send(connection: Any, other_end: Any, function: Callable[..., Any], args: tuple[Any, ...],
          collect: bool) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)   # Ctrl-C is the build's to handle: it ends this
    other_end.close()   # the build's: once the build closes it, sending fails rather than waits
    if collect:
        gc.enable()   # as in pool workers
    else:
        gc.disable()
    after = None
    try:
        result = function(*args)
        if isinstance(result, Then):
            result, after = result.value, result.after
        connection.send(result)
    except Exception:  # noqa: BLE001 - the build runs it again itself, and reports what fails there
        pass
    finally:
        connection.close()
    if after is not None:
        try:
            after()
        except Exception:  # noqa: BLE001 - what is left (saving what speeds up the next build) is not the build's
            pass


def _here(function: Callable[..., R | Then[R]], args: tuple[Any, ...]) -> R:
    result = function(*args)
    if isinstance(result, Then):
        result.after()
        return result.value
    return result


class Background(Generic[R]):
    """function(*args) started in a forked process, for work the build would otherwise
    wait for (listing the published site, and making the tree it stages into, while posts
    load; after an edit, related stories while pages are planned; the data files while
    pages are fingerprinted). Where processes cannot be forked, only one worker is
    wanted, or other threads run (the preview server's: a child forked while one of them
    holds a lock can wait for it for ever), it runs when its result is asked for. A bare
    process and a pipe, not a pool: a pool keeps a thread of its own, and the build forks
    its workers while this runs.

    `collect=False`: no garbage collection in the process, for work over the build's own
    objects, which would otherwise be walked (and their pages copied) by every full pass.
    `helper`: where given (`serve`: see helper.py), the work is handed to that process
    rather than to one forked now; `function` must then return a plain value.
    `finish=True`: when closed, the process is let finish what it is doing (before its
    result is taken, if the build failed or was stopped; after, what it does once its
    result is sent: see Then), for up to FINISH_WITHIN seconds, rather than stopped:
    stopped half-way through writing a file, it would leave it behind."""

    FINISH_WITHIN = 10.0

    def __init__(self, workers: int, function: Callable[..., R | Then[R]], *args: Any, collect: bool = True,
                 finish: bool = False, helper: Helper | None = None) -> None:
        self._run = lambda: _here(function, args)
        self._finish = finish
        self._process: Any = None
        self._helper, self._job = None, None
        if helper is not None and workers > 1:
            self._job = helper.submit(function, *args)
            self._helper = helper if self._job is not None else None
        if self._helper is None and self.forks(workers):
            context = multiprocessing.get_context("fork")
            self._receive, send = context.Pipe(duplex=False)
            self._process = context.Process(target=_send, args=(send, self._receive, function, args, collect),
                                            daemon=True)
            self._process.start()
            send.close()

    @staticmethod
    def forks(workers: int) -> bool:
        """Whether work given to Background now runs in a process of its own."""
        return workers > 1 and "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1

    def result(self) -> R:
        if self._helper is not None and self._job is not None:
            done, value = self._helper.answer(self._job)
            self._helper = None
            return value if done else self._run()
        if self._process is None:
            return self._run()
        try:
            value: R = self._receive.recv()
        except EOFError:   # the process died without a result: do the work here
            value = self._run()
        if self._finish:
            self._receive.close()   # the process may have work left (see Then): let finish when closed
        else:
            self.close()
        return value

    def close(self) -> None:
        if self._helper is not None and self._job is not None:
            self._helper.drop(self._job)
            self._helper = None
        if self._process is not None:
            # Closed first: a process done with its work but still sending its result
            # then stops sending (its send fails), instead of waiting for a reader.
            self._receive.close()
            if self._finish:
                self._process.join(self.FINISH_WITHIN)
            if self._process.is_alive():
                self._process.terminate()   # not asked for, or done and on its way out
            self._process.join()
            self._process = None
