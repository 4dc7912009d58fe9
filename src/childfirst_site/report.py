"""The build report: what became of every source, what was written, what to look at."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .errors import Warning_
from .sources.loader import SourceOutcome


@dataclass
class BuildReport:
    outcomes: dict[str, SourceOutcome] = field(default_factory=dict)
    post_kinds: Counter[str] = field(default_factory=Counter)
    files_written: int = 0
    pages_written: int = 0
    warnings: list[Warning_] = field(default_factory=list)
    seconds: float = 0.0
    out_dir: str = ""

    def format(self) -> str:
        lines = []
        kinds = ", ".join(f"{n} {k}" for k, n in sorted(self.post_kinds.items())) or "none"
        lines.append(f"posts published: {kinds}")
        outcome_counts = Counter(o.outcome for o in self.outcomes.values())
        lines.append("sources: " + ", ".join(f"{n} {k}" for k, n in sorted(outcome_counts.items())))
        for outcome in sorted(self.outcomes.values(), key=lambda o: o.path):
            if outcome.outcome in ("draft", "future", "skipped", "error"):
                lines.append(f"  {outcome.path}: {outcome.outcome}" + (f" ({outcome.reason})" if outcome.reason else ""))
        lines.append(f"wrote {self.pages_written} pages, {self.files_written} files in all, to {self.out_dir}")
        if self.warnings:
            lines.append(f"{len(self.warnings)} warning(s):")
            lines.extend(f"  warning: {w.format()}" for w in self.warnings)
        lines.append(f"done in {self.seconds:.2f} s")
        return "\n".join(lines)
