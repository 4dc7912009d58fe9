"""Errors for people: content mistakes carry the file, line and what to fix."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class ContentError(Exception):
    """A mistake in content, config or templates that an editor can fix."""

    def __init__(self, path: str | Path, message: str, line: int | None = None,
                 hint: str | None = None, column: int | None = None) -> None:
        self.path = str(path)
        self.line = line
        self.column = column
        self.message = message
        self.hint = hint
        super().__init__(self.format())

    def __reduce__(self):  # type: ignore[no-untyped-def]
        # Errors travel between worker processes and into the build cache.
        return (ContentError, (self.path, self.message, self.line, self.hint, self.column))

    def format(self) -> str:
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        text = f"{where}: {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text


class BuildFailed(Exception):
    """Raised when one or more content errors stop the build before anything is written."""

    def __init__(self, errors: list[ContentError]) -> None:
        self.errors = errors
        super().__init__(f"{len(errors)} content error(s)")


@dataclass(frozen=True)
class Warning_:
    """A problem that does not stop the build; `--strict` turns it into an error."""

    path: str
    message: str
    line: int | None = None

    def format(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.message}"
