"""The load stage's edge: walk content/, hand each source to the readers, and collect
every error and warning (all of them, not just the first)."""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..config import SiteConfig, parse_site_config
from ..errors import ContentError, Warning_
from ..model import Page, Post, SourceOutcome
from .markdown_post import read_page
from .raw_post import RAW_SUFFIXES
from .reader import SourceFile, SourceJob, SourceResult, read_job
from .text import content_text, decode_source


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


def load_config(content_dir: Path) -> SiteConfig:
    root = content_dir.parent
    path = content_dir / "site.yaml"
    display = _display(path, root)
    if not path.is_file():
        raise ContentError(display, "site.yaml not found", hint="every content folder needs a site.yaml")
    return parse_site_config(decode_source(path.read_bytes(), display), display)


ReadJobs = Callable[[list[SourceJob], SiteConfig], list[SourceResult]]


def load_content(content_dir: Path, read_jobs: ReadJobs | None = None,
                 digests: Mapping[str, str] | None = None) -> LoadedContent:
    """Read everything under content_dir. Raises ContentError only for a broken site.yaml;
    every other problem is collected in the result. Posts are read by `read_jobs` (which
    may use a cache and worker processes), or here, one by one. `digests`: the sha256 of
    files' bytes where already known, by absolute path (see incremental.inputs_digest):
    those files are read only if their post is not in the cache."""
    root = content_dir.parent
    where = content_dir.resolve()
    config = load_config(content_dir)
    loaded = LoadedContent(config=config, posts=[], pages={}, warnings=list(config.warnings))
    errors, warnings, outcomes = loaded.errors, loaded.warnings, loaded.outcomes
    known = digests or {}

    def source_file(path: Path, relative: Path) -> SourceFile:
        absolute = f"{where}/{relative.as_posix()}"
        digest = known.get(absolute)
        if digest is not None:
            return SourceFile(_display(path, root), absolute, digest)
        return SourceFile(_display(path, root), absolute, "", path.read_bytes()).loaded()

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
            jobs.append(SourceJob("markdown", source_file(path, relative)))
        elif folder == "sources" and suffix in RAW_SUFFIXES:
            sidecar = path.with_suffix(".yaml")
            jobs.append(SourceJob("raw", source_file(path, relative),
                                  source_file(sidecar, sidecar.relative_to(content_dir)) if sidecar.is_file() else None))
        elif folder == "sources" and suffix in (".yaml", ".yml"):
            if any(path.with_suffix(s).is_file() for s in RAW_SUFFIXES):
                outcomes[display] = SourceOutcome(display, "sidecar")
            else:
                errors.append(ContentError(display, "sidecar without its source: no .txt or .html file "
                                                    f"named {path.stem} beside it",
                                           hint="rename it to match its source, or delete it"))
                outcomes[display] = SourceOutcome(display, "error", "sidecar without its source")
        elif folder == "pages" and suffix in (".md", ".markdown"):
            try:
                text = content_text(path.read_bytes(), display, warnings)
            except ContentError as exc:
                errors.append(exc)
                outcomes[display] = SourceOutcome(display, "error", exc.message)
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

