"""The issue's performance targets, judged against a benchmark run at the speed the machine
had during that run. The targets were set on a machine on which Python-Markdown alone, over
every body of the corpus in one process, took 2.5 s for 1,000 posts and 24–28 s for 10,000;
each run times the same, and a time is compared with its target scaled by how much faster or
slower the machine was (the shared development machine's speed has varied threefold within
a day). Memory is not scaled."""
from __future__ import annotations

from typing import NamedTuple

# Python-Markdown alone when the targets were set: (fastest, slowest) seconds, by posts.
MARKDOWN_ALONE_REFERENCE: dict[int, tuple[float, float]] = {1000: (2.5, 2.5), 10_000: (24.0, 28.0)}

# (posts, what is measured, as bench_build names it) → seconds at the reference speed.
TIME_TARGETS: dict[tuple[int, str], float] = {
    (1000, "cold"): 3.0,
    (10_000, "cold"): 20.0,
    (10_000, "warm"): 3.0,
    (10_000, "one edit (first after cold)"): 1.5,
    (10_000, "one edit (later)"): 1.5,
    (10_000, "one edit (preview)"): 1.5,
}
MEMORY_TARGETS_MB: dict[int, int] = {10_000: 1024}


class Verdict(NamedTuple):
    posts: int
    measure: str
    measured: str     # as it was measured, on this run's machine
    target: str       # the issue's, and what it comes to at this run's speed
    verdict: str      # "met", "not met", or "within the machine's uncertainty"


def judge(posts: int, seconds: dict[str, float], megabytes: dict[str, int],
          markdown_alone: float) -> list[Verdict]:
    """Each target for this many posts against this run's times and peak memory.
    `markdown_alone`: Python-Markdown alone over the same corpus in this run."""
    verdicts: list[Verdict] = []
    reference = MARKDOWN_ALONE_REFERENCE.get(posts)
    if reference is not None and markdown_alone > 0:
        for (size, measure), target in TIME_TARGETS.items():
            if size != posts or measure not in seconds:
                continue
            # A slower machine (Markdown alone took longer than the reference) is allowed
            # proportionally more; the reference itself is a range.
            lenient, strict = (target * markdown_alone / then for then in reference)
            took = seconds[measure]
            verdict = "met" if took <= strict else "not met" if took > lenient else "within the machine's uncertainty"
            scaled = f"{strict:.2f}" if strict == lenient else f"{strict:.2f}–{lenient:.2f}"
            verdicts.append(Verdict(posts, measure, f"{took:.2f} s",
                                    f"{target:g} s ({scaled} s at this run's speed)", verdict))
    limit = MEMORY_TARGETS_MB.get(posts)
    if limit is not None and megabytes:
        peak = max(megabytes.values())
        verdicts.append(Verdict(posts, "peak memory", f"{peak} MB", f"{limit} MB",
                                "met" if peak <= limit else "not met"))
    return verdicts


def reference_text(posts: int) -> str:
    """Python-Markdown alone when the targets were set, as the issue gives it ("24–28 s")."""
    return "–".join(f"{seconds:g}" for seconds in sorted(set(MARKDOWN_ALONE_REFERENCE[posts]))) + " s"


def table(verdicts: list[Verdict], markdown_alone: dict[int, float]) -> str:
    """A Markdown table of verdicts, after a line saying how fast the machine was."""
    speed = "; ".join(f"{posts:,} posts {seconds:.2f} s against the reference's {reference_text(posts)}"
                      for posts, seconds in markdown_alone.items() if posts in MARKDOWN_ALONE_REFERENCE)
    lines = [f"Against the issue's targets (Python-Markdown alone on this run: {speed}):", "",
             "| posts | measure | this run | target (at this run's speed) | verdict |", "|---|---|---|---|---|"]
    lines += [f"| {v.posts:,} | {v.measure} | {v.measured} | {v.target} | {v.verdict} |" for v in verdicts]
    return "\n".join(lines)
