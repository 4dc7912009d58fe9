"""The build report: what became of every source, what was written, what to look at."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from .errors import Warning_
from .model import Post, SourceOutcome
from .search import SearchIndex


@dataclass
class BuildReport:
    outcomes: dict[str, SourceOutcome] = field(default_factory=dict)
    post_kinds: Counter[str] = field(default_factory=Counter)
    files_written: int = 0
    pages_written: int = 0
    warnings: list[Warning_] = field(default_factory=list)
    seconds: float = 0.0
    out_dir: str = ""
    search: SearchIndex | None = None
    search_requested: bool = True
    files_kept: int = 0
    published: bool = True
    cache: str = ""
    workers: int = 1
    stages: dict[str, float] = field(default_factory=dict)
    plan: str = ""      # in a process that builds again (`serve`): whether the last build's plan was kept

    def format(self) -> str:
        lines = []
        kinds = ", ".join(f"{n} {k}" for k, n in sorted(self.post_kinds.items())) or "none"
        lines.append(f"posts published: {kinds}")
        outcome_counts = Counter(o.outcome for o in self.outcomes.values())
        lines.append("sources: " + ", ".join(f"{n} {k}" for k, n in sorted(outcome_counts.items())))
        for outcome in sorted(self.outcomes.values(), key=lambda o: o.path):
            if outcome.outcome in ("draft", "future", "skipped", "error"):
                lines.append(f"  {outcome.path}: {outcome.outcome}" + (f" ({outcome.reason})" if outcome.reason else ""))
        if not self.published:
            lines.append(f"nothing changed: {self.out_dir} left as it was ({self.pages_written} pages)")
        else:
            lines.append(f"{self.pages_written} pages; wrote {self.files_written} files, kept {self.files_kept} "
                         f"unchanged, in {self.out_dir}")
        if self.search:
            lines.append(self.search.format())
        elif not self.search_requested:
            lines.append("search index: not built (--no-search)")
        elif not self.published:
            lines.append("search index: unchanged")
        if self.cache:
            lines.append(f"{self.cache}; {self.workers} worker process{'es' if self.workers > 1 else ''}")
        if self.plan:
            lines.append(self.plan)
        if self.warnings:
            lines.append(f"{len(self.warnings)} warning(s):")
            lines.extend(f"  warning: {w.format()}" for w in self.warnings)
        stages = ", ".join(f"{name} {seconds:.2f}" for name, seconds in self.stages.items())
        lines.append(f"done in {self.seconds:.2f} s" + (f" ({stages})" if stages else ""))
        return "\n".join(lines)


def replay_data(outcomes: dict[str, SourceOutcome], posts: list[Post], warnings: list[Warning_],
                pages: int) -> dict[str, Any]:
    """What a report says about the site, kept so that a build which finds nothing
    changed can say it again (warnings included) without reading anything."""
    return {"outcomes": [[o.path, o.outcome, o.reason] for o in outcomes.values()],
            "post_kinds": dict(Counter(p.kind.value for p in posts)),
            "warnings": [[w.path, w.message, w.line] for w in warnings], "pages": pages}


def replayed_report(data: dict[str, Any], options: Any, seconds: float, workers: int) -> BuildReport:
    return BuildReport(
        outcomes={path: SourceOutcome(path, outcome, reason) for path, outcome, reason in data["outcomes"]},
        post_kinds=Counter(data["post_kinds"]), pages_written=data["pages"], published=False,
        warnings=[Warning_(path, message, line) for path, message, line in data["warnings"]],
        seconds=seconds, out_dir=str(options.out_dir), search_requested=options.search,
        cache="cache: nothing read, no source or template changed", workers=workers)


class ProgressBar:
    """A one-line bar on a terminal, drawn only once a build has run a couple of seconds
    (short builds just print their report)."""

    def __init__(self, stream: Any, after_seconds: float = 2.0, width: int = 30) -> None:
        import time
        self._clock = time.monotonic
        self._stream, self._width = stream, width
        self._start = self._clock() + after_seconds
        self._shown = False

    def __call__(self, stage: str, done: int, total: int) -> None:
        if self._clock() < self._start or total == 0:
            return
        filled = self._width * done // total
        self._stream.write(f"\r{stage:>9} [{'#' * filled}{'.' * (self._width - filled)}] {done}/{total}")
        self._stream.flush()
        self._shown = True

    def clear(self) -> None:
        if self._shown:
            self._stream.write("\r" + " " * (self._width + 40) + "\r")
            self._stream.flush()
