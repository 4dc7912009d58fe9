"""Related-story selection at archive scale: time and peak memory on one core.

    .venv/bin/python benchmarks/bench_related.py [--posts 10000] [--seed 1]
"""
from __future__ import annotations

import argparse
import os
import resource
import sys
import time
import tracemalloc
from pathlib import Path

# One core, as the target says; BLAS and OpenMP threads too.
for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[variable] = "1"
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from benchmarks.corpus import make_posts  # noqa: E402
from childfirst_site.enrich.related import pick_related  # noqa: E402
from childfirst_site.sources.loader import load_config  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    config = load_config(ROOT / "content")
    posts = make_posts(args.posts, args.seed)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    pick_related(posts, config)
    seconds = time.perf_counter() - started
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # A second run under tracemalloc counts what selection itself allocates (it slows
    # Python down several times over, so it is not the timed run).
    tracemalloc.start()
    pick_related(posts, config)
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    linked = sum(1 for p in posts if p.related)
    print(f"related selection, {args.posts} posts, one core: {seconds:.2f} s; "
          f"allocated by selection at its peak {traced_peak / 1024 / 1024:.0f} MB; "
          f"process peak RSS {rss_after:.0f} MB, of which the corpus {rss_before:.0f} MB; "
          f"{linked} posts with related links")
    return 0


if __name__ == "__main__":
    sys.exit(main())
