"""Whole-site build benchmark: cold, warm and one-edit builds of a seeded synthetic
archive, with wall time and peak memory (the build and all its workers together).

    .venv/bin/python benchmarks/bench_build.py [--posts 1000 10000] [--compare] [--seed 1]

Each build runs `build.py --no-search` in a fresh process, as an editor runs it. One-edit
builds are timed: the first after the cold build (which also makes the tree later builds
stage into), then five later ones, each to another post (their median is shown, and
their range; memory: the most any took). After each, the edit is undone and the site rebuilt;
its files must then be byte for byte the cold build's, or the benchmark fails. Every
build is timed, then run once more with its memory sampled (sampling slows it).
The outputs of earlier runs are moved aside before each cold build, for every tool, and
deleted when the benchmark ends (see set_aside). With --compare the same
corpus is also built by Pelican (installed into its own virtual environment under
.cache/bench) and by Hugo (Debian's package, if installed) in the same run, and the table
shows how many times longer their cold builds took than ours. Each run also times
Python-Markdown alone over the corpus, the issue's own measure of the machine's speed. Cold
builds are timed COLD_RUNS times, each followed by Python-Markdown alone, and the medians of
both are shown and judged: the machine's speed moves within a run, and a cold build of the
same code has taken half as long again as one minutes later.
Last, one-edit rebuilds as `build.py serve` makes them, in one process that keeps the
last build's posts and plan (bench_serve.py --json): the median of five edits after the
first; the site must then again be the cold build's.
"""
from __future__ import annotations

import argparse
import compileall
import hashlib
import json
import statistics
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from benchmarks.corpus import bench_site, make_posts  # noqa: E402
from benchmarks.targets import MARKDOWN_ALONE_REFERENCE, Verdict, judge, reference_text, table  # noqa: E402

BENCH = ROOT / ".cache" / "bench"
PELICAN = "pelican[markdown]==4.12.*"
# Edits timed after the first, each to another post; the median is shown, as one build on
# a shared machine can take a tenth of a second more or less than the next.
LATER_EDITS = 5
# Cold builds timed, each followed by Python-Markdown alone; the medians are shown and judged.
COLD_RUNS = 3


def _pss_kb(pid: int) -> int:
    """Proportional set size: a page shared by n processes (workers forked from the build)
    counts 1/n to each, so the sum over a process tree is the memory it really holds."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="utf-8") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_memory_kb(root_pid: int) -> int:
    """Memory of a process and all its descendants (sum of PSS), from /proc."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/status", encoding="utf-8") as status:
                fields = dict(line.split(":", 1) for line in status if ":" in line)
        except OSError:
            continue
        parents[int(entry)] = int(fields.get("PPid", "0").strip())
    total = 0
    for pid in parents:
        walk = pid
        while walk and walk != root_pid:
            walk = parents.get(walk, 0)
        if walk == root_pid:
            total += _pss_kb(pid)
    return total


def timed(command: list[str], cwd: Path, sample: bool = False) -> tuple[float, int, str]:
    """(seconds, peak MB of the process tree or 0, output) of one command. Sampling the
    memory of a process tree costs CPU and holds the kernel's memory locks, which slows
    what it measures: runs that are timed are not sampled, and runs that are sampled
    are not timed."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    peak = 0
    done = threading.Event()

    def sample_memory() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_memory_kb(process.pid))
            done.wait(0.05)

    sampler = threading.Thread(target=sample_memory)
    if sample:
        sampler.start()
    output, _ = process.communicate()
    seconds = time.perf_counter() - started
    done.set()
    if sample:
        sampler.join()
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{output}")
    return seconds, peak // 1024, output


def digest(folder: Path) -> str:
    total = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            total.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return total.hexdigest()


TRASH = BENCH / ".trash"
# How long after many inodes are freed ext4 takes to make new ones as fast as before. Making
# 1,000 folders after 10,000 were deleted: 210-380 µs of system time a folder for the first
# 91 s, 56-80 µs from 121 s on, 35-112 µs with nothing deleted (2026-12-02). (An earlier
# wait of 35 s, after dirty_expire_centisecs, was too short.)
INODE_REUSE_SECONDS = 120


def set_aside(*paths: Path) -> None:
    """Moves what a cold build must not find out of the way, into a folder deleted when the
    benchmark ends (see clear_trash). Deleting tens of thousands of files just before a
    build that creates as many would time the file system more than the build: for a while
    after an inode is freed, ext4 looks past it each time it makes a file (perf: up to a
    third of a cold build's time, with 24,000 files and folders deleted a moment before)."""
    trash = TRASH / f"{time.monotonic_ns()}"
    trash.mkdir(parents=True)
    for number, path in enumerate(paths):
        if path.exists():
            os.replace(path, trash / str(number))


def clear_trash() -> None:
    """Deletes what was set aside, and waits until ext4 would reuse those inodes: a
    benchmark run straight after this one is timed as this one was."""
    if TRASH.exists():
        shutil.rmtree(TRASH, ignore_errors=True)
        time.sleep(INODE_REUSE_SECONDS)


def inodes(folder: Path) -> dict[str, tuple[int, int]]:
    return {p.relative_to(folder).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in folder.rglob("*") if p.is_file()}


def site(posts: int, seed: int) -> Path:
    return bench_site(ROOT, "site", posts, seed)


def bench_ours(folder: Path) -> tuple[dict[str, str], dict[str, float], dict[str, int], list[float]]:
    """Cold builds, each followed by Python-Markdown alone (COLD_RUNS of each), then a warm
    build and one-edit builds, timed; then a cold, a warm and the edits again, for memory.
    The table's cells, the seconds and megabytes they show, and Python-Markdown alone's
    times."""
    command = [sys.executable, str(ROOT / "build.py"), "--content", "content", "--out", "public",
               "--templates", str(ROOT / "templates"), "--static", str(ROOT / "static"), "--no-search"]
    sources = sorted((folder / "content" / "posts").glob("*.md"))
    seconds: dict[str, float] = {}
    megabytes: dict[str, int] = {}
    written: dict[str, str] = {}
    spread: dict[str, str] = {}
    markdown: list[float] = []
    cold_digest = ""
    for sample in (False, True):
        measured = megabytes if sample else seconds
        colds: list[float] = []
        for _ in range(1 if sample else COLD_RUNS):
            set_aside(*(folder / leftover for leftover in (".cache", "public", ".public.prev")))
            cold, cold_mb, output = timed(command, folder, sample)
            cold_digest = cold_digest or digest(folder / "public")
            assert digest(folder / "public") == cold_digest, "two cold builds gave different files"
            colds.append(cold_mb if sample else cold)
            if not sample:
                markdown.append(markdown_alone(folder))
        measured["cold"] = statistics.median(colds)
        if len(colds) > 1:
            spread["cold"] = f"median of {len(colds)} cold builds, {min(colds):.2f}–{max(colds):.2f} s"
        before = inodes(folder / "public")
        warm, warm_mb, output = timed(command, folder, sample)
        assert "nothing changed" in output, output
        assert inodes(folder / "public") == before, "the warm build wrote files"
        measured["warm"] = warm_mb if sample else warm
        # The first edit after a cold build also builds the tree later builds stage into
        # (.public.prev); every edit after it finds that tree there.
        later = [sources[(len(before) // 5 + 997 * k) % len(sources)] for k in range(LATER_EDITS)]
        for name, edited in (("one edit (first after cold)", [sources[len(before) // 3 % 997]]),
                             ("one edit (later)", later)):
            runs = [edit_and_undo(command, folder, post, cold_digest, sample) for post in edited]
            times = sorted(run[0] for run in runs)
            measured[name] = max(run[1] for run in runs) if sample else times[len(times) // 2]
            written[name] = runs[0][2]
            if not sample and len(runs) > 1:
                spread[name] = f"median of {len(runs)} edits, {times[0]:.2f}–{times[-1]:.2f} s"
    preview = json.loads(subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench_serve.py"), "--site", str(folder), "--rounds", "1",
         "--edits", str(LATER_EDITS + 1), "--json"], check=True, capture_output=True, text=True).stdout)
    assert digest(folder / "public") == cold_digest, "undoing the preview's edits did not give the cold build's files"
    later_times = sorted(preview["later"])
    seconds[PREVIEW] = statistics.median(later_times)
    spread[PREVIEW] = (f"median of {len(later_times)} edits, {later_times[0]:.2f}–{later_times[-1]:.2f} s, the plan "
                       f"kept in {preview['kept']}; first {preview['first']:.2f} s")
    return ({name: duration(seconds[name]) + (f" ({megabytes[name]} MB)" if name in megabytes else "")
             + "".join(f"; {note[name]}" for note in (spread, written) if name in note) for name in seconds},
            seconds, megabytes, markdown)


# Rebuilds in `serve`, as bench_serve.py times them (memory not sampled).
PREVIEW = "one edit (preview)"


def duration(seconds: float) -> str:
    return f"{seconds:.2f} s" if seconds < 10 else f"{seconds:.1f} s"


def edit_and_undo(command: list[str], folder: Path, edited: Path, cold_digest: str,
                  sample: bool) -> tuple[float, int, str]:
    """(seconds, peak MB, files written) of a build after one sentence is added to one
    post; the edit is then undone and the site rebuilt, which must give the cold
    build's exact bytes."""
    original = edited.read_text(encoding="utf-8")
    edited.write_text(original.replace("\n\n", "\n\nAn editor added this sentence about Ofsted.\n\n", 1),
                      encoding="utf-8")
    try:
        seconds, mb, output = timed(command, folder, sample)
        written = next(line for line in output.splitlines() if "wrote" in line)
    finally:
        edited.write_text(original, encoding="utf-8")
    timed(command, folder)
    assert digest(folder / "public") == cold_digest, "undoing the edit did not give the cold build's files"
    return seconds, mb, written.split(";", 1)[1].split(",")[0].strip()


def pelican_corpus(folder: Path, posts: int, seed: int) -> Path:
    target = folder / "pelican"
    if not (target / "content").is_dir():
        (target / "content").mkdir(parents=True)
        for post in make_posts(posts, seed):
            source = (folder / "content" / "posts" / f"{post.slug}.md").read_text(encoding="utf-8")
            body = source.split("---\n", 2)[2]
            (target / "content" / f"{post.slug}.md").write_text(
                f"Title: {post.title}\nDate: {post.date.isoformat()}\nSlug: {post.slug}\n"
                f"Tags: {', '.join(post.topics)}\n\n{body}", encoding="utf-8")
        (target / "pelicanconf.py").write_text(
            "SITENAME = 'Bench'\nSITEURL = ''\nTIMEZONE = 'Europe/London'\nDEFAULT_LANG = 'en'\n"
            "FEED_ALL_ATOM = 'feeds/all.atom.xml'\nFEED_ALL_RSS = 'feeds/all.rss.xml'\n"
            "TAG_FEED_ATOM = 'feeds/{slug}.atom.xml'\nDEFAULT_PAGINATION = 10\n", encoding="utf-8")
    return target


def bench_pelican(folder: Path, posts: int, seed: int) -> str:
    venv = BENCH / "pelican-venv"
    if not (venv / "bin" / "pelican").exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "--quiet", PELICAN], check=True)
    target = pelican_corpus(folder, posts, seed)
    set_aside(target / "output")
    seconds, _, _ = timed([str(venv / "bin" / "pelican"), "content", "-o", "output", "-s", "pelicanconf.py",
                           "--delete-output-directory", "-q"], target)
    return duration(seconds)


HUGO_LAYOUTS = {
    "_default/baseof.html": "<!doctype html><html><head><title>{{ .Title }}</title></head><body>{{ block \"main\" . }}"
                            "{{ end }}<aside>{{ range first 3 .Site.RegularPages }}<a href=\"{{ .RelPermalink }}\">"
                            "{{ .Title }}</a>{{ end }}</aside></body></html>",
    "_default/single.html": "{{ define \"main\" }}<h1>{{ .Title }}</h1>{{ .Content }}<ul>{{ range "
                            "(.Site.RegularPages.Related . | first 4) }}<li>{{ .Title }}</li>{{ end }}</ul>{{ end }}",
    "_default/list.html": "{{ define \"main\" }}{{ range .Paginator.Pages }}<h2>{{ .Title }}</h2>{{ .Summary }}"
                          "{{ end }}{{ end }}",
}


def bench_hugo(folder: Path, posts: int, seed: int) -> str:
    hugo = shutil.which("hugo")
    if hugo is None:
        return "not installed (apt-get install hugo)"
    target = folder / "hugo"
    if not (target / "content" / "posts").is_dir():
        (target / "content" / "posts").mkdir(parents=True)
        for post in make_posts(posts, seed):
            body = (folder / "content" / "posts" / f"{post.slug}.md").read_text(encoding="utf-8").split("---\n", 2)[2]
            (target / "content" / "posts" / f"{post.slug}.md").write_text(
                f"---\ntitle: \"{post.title}\"\ndate: {post.date.isoformat()}\ntags: [{', '.join(post.topics)}]\n---\n"
                f"{body}", encoding="utf-8")
        for name, text in HUGO_LAYOUTS.items():
            (target / "layouts" / name).parent.mkdir(parents=True, exist_ok=True)
            (target / "layouts" / name).write_text(text, encoding="utf-8")
        (target / "config.toml").write_text('baseURL = "https://example.org/"\ntitle = "Bench"\npaginate = 10\n',
                                            encoding="utf-8")
    set_aside(target / "public")
    seconds, _, _ = timed([hugo, "--quiet", "--ignoreCache"], target)
    return duration(seconds)


# The issue's own reference measure of the machine: Python-Markdown over every post's body
# in one process (see targets.py). Timed on each run, beside the builds, it says how fast
# the machine was that time: the development machine is shared, and its speed has varied
# threefold from one hour to the next.
MARKDOWN_ALONE = """
import sys, time, markdown
from pathlib import Path
bodies = [path.read_text(encoding="utf-8").split("---\\n", 2)[2] for path in sorted(Path(sys.argv[1]).glob("*.md"))]
started = time.perf_counter()
for body in bodies:
    markdown.markdown(body)
print(time.perf_counter() - started)
"""


def markdown_alone(folder: Path) -> float:
    """Seconds of Python-Markdown over the corpus's bodies, in a process of its own (reading
    the files not timed)."""
    result = subprocess.run([sys.executable, "-c", MARKDOWN_ALONE, str(folder / "content" / "posts")],
                            capture_output=True, text=True, check=True)
    return float(result.stdout)


def ratio(theirs: str, ours: str) -> str:
    """How many times longer the other tool's cold build took ("2.0×": ours took half)."""
    try:
        return f"{float(theirs.split(' s')[0]) / float(ours.split(' s')[0]):.1f}×"
    except ValueError:  # not installed, or failed
        return "–"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, nargs="+", default=[1000, 10_000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--compare", action="store_true", help="also build with Pelican and Hugo")
    args = parser.parse_args()
    # As Python runs by default, the builds load the package from its bytecode cache, compiled
    # once; an environment that turns the cache off (PYTHONDONTWRITEBYTECODE, as some sandboxes
    # and CI images do) would otherwise have each build compile every module again.
    compileall.compile_dir(ROOT / "src", quiet=1)
    clear_trash()   # left by a run that was interrupted
    rows = []
    verdicts: list[Verdict] = []
    speed: dict[int, float] = {}   # Python-Markdown alone on this run, by posts
    for posts in args.posts:
        folder = site(posts, args.seed)
        cells, seconds, megabytes, markdown = bench_ours(folder)
        speed[posts] = statistics.median(markdown)
        verdicts += judge(posts, seconds, megabytes, speed[posts])
        row = {"posts": f"{posts:,}", **cells, "Python-Markdown alone": duration(speed[posts])}
        if posts in MARKDOWN_ALONE_REFERENCE:
            row["Python-Markdown alone"] += f" (issue: {reference_text(posts)})"
        if len(markdown) > 1:
            row["Python-Markdown alone"] += f"; median of {len(markdown)}, {min(markdown):.2f}–{max(markdown):.2f} s"
        if args.compare:
            row["Pelican 4.12"] = bench_pelican(folder, posts, args.seed)
            row["Hugo"] = bench_hugo(folder, posts, args.seed)
            for other in ("Pelican 4.12", "Hugo"):
                row[f"{other} ÷ ours, cold"] = ratio(row[other], row["cold"])
        rows.append(row)
        print(row, flush=True)
    columns = list(rows[0])
    print(f"\n{os.cpu_count()} cores; each cell of ours: wall time (peak memory of the build and its workers, "
          "summed PSS, in a second run, as sampling memory slows what it samples; not sampled for the preview's "
          "rebuilds, made in one process); Pelican and Hugo: wall time; "
          "Python-Markdown alone: the issue's measure of the machine, on this run (timed after each cold build) and "
          "(in brackets) when the targets were set\n")
    print("| " + " | ".join(columns) + " |")
    print("|" + "---|" * len(columns))
    for row in rows:
        print("| " + " | ".join(row[c] for c in columns) + " |")
    if verdicts:
        print("\n" + table(verdicts, speed))
    clear_trash()
    return 0


if __name__ == "__main__":
    sys.exit(main())
