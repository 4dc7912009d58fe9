"""Preview rebuilds: one post edited, the site built again in the same process, as
`build.py serve` does on every save, with what the last build left kept in memory
(rebuilds.Memory: the posts it read, its plan, ...) and without, in alternating rounds.

    .venv/bin/python benchmarks/bench_serve.py [--posts 10000] [--rounds 3] [--edits 4]

Each round builds once, as `serve` starts (nothing changed: with the memory, the site is
then planned all the same, as `serve` does, the posts taken from the cache), then times
`--edits` edits to one post, each a build. With the memory, edits keep the plan (see
plan.py), which the output counts. The first edits are shown apart, the medians are of
the later ones. The edited post is restored at the end of each round. With --json, one
round with the memory only, as one line of JSON (for bench_build's table).
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from benchmarks.corpus import bench_site  # noqa: E402
from childfirst_site.pipeline import BuildOptions, build  # noqa: E402
from childfirst_site.helper import Helper  # noqa: E402
from childfirst_site.rebuilds import Memory, plan_ahead, settle  # noqa: E402


def edit_round(folder: Path, remember: bool, edits: int) -> list[tuple[float, float, bool]]:
    """(seconds, seconds reading, whether the last build's plan was kept) of each edit
    build of one round, in one process."""
    options = BuildOptions(content_dir=folder / "content", out_dir=folder / "public",
                           templates_dir=ROOT / "templates", static_dir=ROOT / "static", search=False,
                           cache_dir=folder / ".cache" / "build", memo=Memory(settles=True, helper=Helper()) if remember else None)
    posts = sorted((folder / "content" / "posts").glob("*.md"))
    post = posts[len(posts) // 2]
    original = post.read_text(encoding="utf-8")
    timings = []
    try:
        if options.memo is not None:
            options.memo.watched.started()   # as serve's watcher, started before its first build
        build(options)
        settle(options)
        plan_ahead(options)   # as serve does once it serves, where that build found nothing changed
        for number in range(edits):
            post.write_text(f"{original}\nThe Local Government Association said more was needed ({number}).\n",
                            encoding="utf-8")
            if options.memo is not None:
                options.memo.watched.saw([str(post)])   # as serve's watcher reports it
            started = time.perf_counter()
            report = build(options)
            timings.append((time.perf_counter() - started, report.stages["read"], report.plan.startswith(KEPT)))
            settle(options)   # as serve does once a rebuild is reported, while the page reloads
    finally:
        post.write_text(original, encoding="utf-8")
        build(options)
        if options.memo is not None and options.memo.helper is not None:
            options.memo.helper.close()
    return timings


KEPT = "plan: the last build's, kept"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--edits", type=int, default=4)
    parser.add_argument("--site", type=Path, help="a site folder (content/ inside) instead of the benchmark corpus")
    parser.add_argument("--json", action="store_true", help="one round, with the memory, as a line of JSON")
    args = parser.parse_args(argv)
    folder = args.site or bench_site(ROOT, "site", args.posts)
    if args.json:
        timings = edit_round(folder, True, args.edits)
        print(json.dumps({"first": timings[0][0], "later": [total for total, _, _ in timings[1:]],
                          "kept": sum(kept for _, _, kept in timings[1:])}))
        return 0
    later: dict[bool, list[tuple[float, float, bool]]] = {True: [], False: []}
    first: dict[bool, list[float]] = {True: [], False: []}
    for round_number in range(args.rounds):
        for remember in (True, False):
            timings = edit_round(folder, remember, args.edits)
            later[remember] += timings[1:]
            first[remember] += [total for total, _, _ in timings[:1]]
            shown = " ".join(f"{total:.2f}/{reading:.2f}" for total, reading, _ in timings)
            print(f"round {round_number + 1}, {'kept in memory' if remember else 'from the cache '}: {shown}",
                  flush=True)
    for remember, label in ((True, "kept in memory"), (False, "from the cache")):
        runs = later[remember]
        if runs:
            totals, readings = [t for t, _, _ in runs], [r for _, r, _ in runs]
            print(f"{label}: median {statistics.median(totals):.2f} s a rebuild ({min(totals):.2f}–{max(totals):.2f}), "
                  f"reading {min(readings):.2f}–{max(readings):.2f} s, over {len(runs)} edits "
                  f"(the plan kept in {sum(kept for _, _, kept in runs)}); "
                  f"first edits {', '.join(f'{seconds:.2f}' for seconds in first[remember])} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
