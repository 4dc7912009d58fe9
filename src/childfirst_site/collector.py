"""How often Python's cyclic garbage collector runs during a build."""
from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

# Full passes wait for this many passes over the middle generation (Python's default: 10).
FULL_PASS_EVERY = 1000


@contextmanager
def fewer_full_collections(none_at_all: bool = False) -> Iterator[None]:
    """A build keeps millions of objects alive until it ends: posts, routes, fingerprints.
    Each full pass of the collector walks all of them, and with Python's defaults a
    10,000-post build made a dozen such passes, about 2 s of its time. Younger
    generations are still collected as usual, and the thresholds are restored after,
    for `serve`, which builds again and again in one process.

    `none_at_all`: the process ends with the build (build.py), so nothing is collected
    in it: what the build makes lives until its end anyway, and the little cyclic
    garbage it leaves goes with the process (passes over young objects took 0.07 s of
    a one-edit build of 10,000 posts). Worker processes collect as usual (workers.py)."""
    thresholds, enabled = gc.get_threshold(), gc.isenabled()
    gc.set_threshold(thresholds[0], thresholds[1], FULL_PASS_EVERY)
    if none_at_all:
        gc.disable()
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        if none_at_all:
            # Otherwise the first collection after would walk everything the build made
            # (0.15 s for 10,000 posts): all of it is left out of collections from now on.
            gc.freeze()
        if enabled:
            gc.enable()
