"""The load stage's edge: walk content/, read bytes, hand text to the readers, and
collect every error and warning (all of them, not just the first)."""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..config import SiteConfig, parse_site_config
from ..errors import ContentError, Warning_
from ..model import Page, Post, SourceOutcome
from .markdown_post import read_page
from .raw_post import RAW_SUFFIXES
from .reader import SourceJob, SourceResult, read_job

MAX_SOURCE_BYTES = 5 * 1024 * 1024
# C0 and C1 controls other than tab and newlines: invisible, and not allowed in XML feeds.
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


@dataclass
class LoadedContent:
    config: SiteConfig
    posts: list[Post]
    pages: dict[str, Page]
    warnings: list[Warning_] = field(default_factory=list)
    errors: list[ContentError] = field(default_factory=list)
    outcomes: dict[str, SourceOutcome] = field(default_factory=dict)


def _display(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def decode_source(data: bytes, display: str) -> str:
    if b"\x00" in data[:8192]:
        raise ContentError(display, "this is a binary file, not text", hint="remove it from content/")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ContentError(display, f"not UTF-8 text: byte 0x{data[exc.start]:02x} at byte offset {exc.start}",
                           line=line, hint="save the file as UTF-8") from None
    return text.removeprefix("\ufeff")


def load_config(content_dir: Path) -> SiteConfig:
    root = content_dir.parent
    path = content_dir / "site.yaml"
    display = _display(path, root)
    if not path.is_file():
        raise ContentError(display, "site.yaml not found", hint="every content folder needs a site.yaml")
    return parse_site_config(decode_source(path.read_bytes(), display), display)


ReadJobs = Callable[[list[SourceJob], SiteConfig], list[SourceResult]]


def load_content(content_dir: Path, read_jobs: ReadJobs | None = None) -> LoadedContent:
    """Read everything under content_dir. Raises ContentError only for a broken site.yaml;
    every other problem is collected in the result. Posts are read by `read_jobs` (which
    may use a cache and worker processes), or here, one by one."""
    root = content_dir.parent
    config = load_config(content_dir)
    loaded = LoadedContent(config=config, posts=[], pages={}, warnings=list(config.warnings))
    errors, warnings, outcomes = loaded.errors, loaded.warnings, loaded.outcomes

    def read_text(path: Path) -> str | None:
        display = _display(path, root)
        try:
            data = path.read_bytes()
            if len(data) > MAX_SOURCE_BYTES:
                raise ContentError(display, f"file is {len(data) // 1024 // 1024} MB, over the "
                                            f"{MAX_SOURCE_BYTES // 1024 // 1024} MB limit for one source",
                                   hint="split it, or remove it if it is not an article")
            if not data.strip():
                raise ContentError(display, "file is empty", hint="write the article or delete the file")
            text = decode_source(data, display)
            cleaned, removed = _CONTROLS.subn("", text)
            if removed:
                warnings.append(Warning_(display, f"removed {removed} invisible control character(s)"))
            return cleaned
        except ContentError as exc:
            errors.append(exc)
            outcomes[display] = SourceOutcome(display, "error", exc.message)
            return None

    jobs: list[SourceJob] = []
    for path in sorted(content_dir.rglob("*")):
        if not path.is_file() or path.name.startswith("."):
            continue
        display = _display(path, root)
        relative = path.relative_to(content_dir)
        folder = relative.parts[0] if len(relative.parts) > 1 else ""
        suffix = path.suffix.lower()
        if relative.as_posix() == "site.yaml":
            outcomes[display] = SourceOutcome(display, "config")
        elif folder == "posts" and suffix in (".md", ".markdown"):
            text = read_text(path)
            if text is not None:
                jobs.append(SourceJob("markdown", display, text))
        elif folder == "sources" and suffix in RAW_SUFFIXES:
            text = read_text(path)
            if text is None:
                continue
            sidecar = path.with_suffix(".yaml")
            sidecar_text = read_text(sidecar) if sidecar.is_file() else None
            jobs.append(SourceJob("raw", display, text, _display(sidecar, root) if sidecar_text is not None else None,
                                  sidecar_text))
        elif folder == "sources" and suffix in (".yaml", ".yml"):
            if any(path.with_suffix(s).is_file() for s in RAW_SUFFIXES):
                outcomes[display] = SourceOutcome(display, "sidecar")
            else:
                errors.append(ContentError(display, "sidecar without its source: no .txt or .html file "
                                                    f"named {path.stem} beside it",
                                           hint="rename it to match its source, or delete it"))
                outcomes[display] = SourceOutcome(display, "error", "sidecar without its source")
        elif folder == "pages" and suffix in (".md", ".markdown"):
            text = read_text(path)
            if text is None:
                continue
            page = read_page(text, display, errors, warnings)
            if page:
                loaded.pages[page.slug] = page
                outcomes[display] = SourceOutcome(display, "page")
        else:
            reason = "not a content file this site reads (posts/*.md, sources/*.txt|html + .yaml, pages/*.md)"
            warnings.append(Warning_(display, f"skipped: {reason}"))
            outcomes[display] = SourceOutcome(display, "skipped", reason)
    results = read_jobs(jobs, config) if read_jobs else [read_job(job, config) for job in jobs]
    for job, result in zip(jobs, results):
        errors.extend(result.errors)
        warnings.extend(result.warnings)
        if result.post is not None:
            loaded.posts.append(result.post)
        else:
            outcomes[job.display] = SourceOutcome(job.display, "error", result.errors[0].message if result.errors
                                                  else "could not be read")
    return loaded

