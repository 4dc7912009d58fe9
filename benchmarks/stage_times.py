"""Where a build's time goes, finer than the report's four stages: runs `build.py` with
the given arguments in this process, timing the named functions below, and prints their
totals, largest first (a function called inside another counts in both).

    .venv/bin/python benchmarks/stage_times.py --content .cache/bench/site-10000-1/content \
        --out .cache/bench/site-10000-1/public --no-search

Time spent in worker processes shows as the waiting of the function that started them;
a timed function that runs in a process of its own (the data files; after an edit, related
stories) is printed as it
returns there, before the rest.
"""
from __future__ import annotations

import functools
import importlib
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

# (module the caller looks the name up in, attribute path)
TIMED = [
    ("childfirst_site.pipeline", "list_inputs"), ("childfirst_site.incremental", "Manifest.load"),
    ("childfirst_site.incremental", "Manifest.save"), ("childfirst_site.cache", "Cache.open"),
    ("childfirst_site.cache", "Cache.save"), ("childfirst_site.sources.loader", "load_content"),
    ("childfirst_site.sources.batch", "read_all"), ("childfirst_site.enrich.related", "pick_related"),
    ("childfirst_site.enrich.related", "score_related"), ("childfirst_site.apart", "with_picks"),
    ("childfirst_site.enrich.related", "text_matrix"), ("childfirst_site.enrich.related", "rescore"),
    ("childfirst_site.enrich", "make_teaser_posts"), ("childfirst_site.enrich", "collect_series"),
    ("childfirst_site.pipeline", "check_unique"), ("childfirst_site.routes", "plan_routes"),
    ("childfirst_site.fingerprint", "Fingerprinter.route"), ("childfirst_site.render", "render_site"),
    ("childfirst_site.render", "make_data_files"), ("childfirst_site.render", "data_files"),
    ("childfirst_site.render.feeds", "feed_pair"),
    ("childfirst_site.render", "sitemap_xml"), ("childfirst_site.render", "render_route"),
    ("childfirst_site.publish", "Staging.__init__"),
    ("childfirst_site.publish", "Staging.write"), ("childfirst_site.publish", "Staging.finish"),
    ("childfirst_site.pipeline", "publish_changes"), ("childfirst_site.workers", "Background.result"),
    ("childfirst_site.enrich.related", "RelatedMemory.load"), ("childfirst_site.enrich.related", "RelatedMemory.save"),
    ("childfirst_site.enrich", "with_teasers"),
    ("childfirst_site.page_inputs", "frame_outline"), ("childfirst_site.page_inputs", "PageInputs.settled"),
    ("childfirst_site.page_inputs", "PageInputs.made"),
]


# Timed functions a build may run in a process of its own, once.
_OWN_PROCESS = {"make_data_files", "data_files", "RelatedMemory.save", "score_related", "text_matrix", "rescore"}


def timed(totals: dict[str, float], name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    parent = os.getpid()

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            seconds = time.perf_counter() - started
            if os.getpid() == parent:
                totals[name] = totals.get(name, 0.0) + seconds
            elif name in _OWN_PROCESS:   # its totals never reach this one (render workers' calls are not shown)
                print(f"{seconds:8.3f} s  {name}", flush=True)
    return wrapper


def main() -> int:
    from childfirst_site.cli import main as build_main
    totals: dict[str, float] = {}
    for module_name, attribute in TIMED:
        owner: Any = importlib.import_module(module_name)
        *path, name = attribute.split(".")
        for part in path:
            owner = getattr(owner, part)
        setattr(owner, name, timed(totals, attribute, getattr(owner, name)))
    code = build_main(sys.argv[1:], process_ends=True)   # as build.py runs it
    for name, seconds in sorted(totals.items(), key=lambda item: -item[1]):
        print(f"{seconds:8.3f} s  {name}")
    return code


if __name__ == "__main__":
    sys.exit(main())
