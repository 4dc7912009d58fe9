"""The load stage's edge: walk content/, hand each source to the readers, and collect
every error and warning (all of them, not just the first)."""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..config import SiteConfig, parse_site_config
from ..errors import ContentError, Warning_
from ..files import files_under
from ..model import Page, Post, SourceOutcome
from .markdown_post import read_page
from .reader import SourceFile, SourceJob, SourceResult, read_job
from .text import RAW_SUFFIXES, content_text, decode_source


@dataclass
class LoadedContent:
    config: SiteConfig
    posts: list[Post]
    pages: dict[str, Page]
    warnings: list[Warning_] = field(default_factory=list)
    errors: list[ContentError] = field(default_factory=list)
    outcomes: dict[str, SourceOutcome] = field(default_factory=dict)
    jobs: list[SourceJob] = field(default_factory=list)   # every source handed to the readers, in order
    keys: list[str] = field(default_factory=list)   # each post's read digest in hex, where known (plan.py)


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


def skipped_under(folder: Path, skipped: Mapping[str, str] | None = None) -> dict[str, str]:
    """Why each entry under `folder` that is neither a file nor a folder is not read, by
    path relative to it (see files.files_under): from `skipped`, by absolute path, as a
    build listed them (incremental.InputFiles.skipped), or looked for now."""
    if skipped is None:
        found: dict[str, str] = {}
        files_under(folder, skipped=found)
        return found
    prefix = f"{folder.resolve()}/"
    return {path[len(prefix):]: reason for path, reason in skipped.items() if path.startswith(prefix)}


def skipped_warnings(folder: Path, skipped: Mapping[str, str] | None = None) -> list[Warning_]:
    """A warning for each entry under `folder` that is not read (see skipped_under)."""
    shown = _display(folder, folder.parent)
    return [Warning_(f"{shown}/{relative}", f"skipped: {reason}")
            for relative, reason in sorted(skipped_under(folder, skipped).items())]


def load_content(content_dir: Path, read_jobs: ReadJobs | None = None,
                 digests: Mapping[str, str] | None = None, skipped: Mapping[str, str] | None = None
                 ) -> LoadedContent:
    """Read everything under content_dir. Raises ContentError only for a broken site.yaml;
    every other problem is collected in the result. Posts are read by `read_jobs` (which
    may use a cache and worker processes), or here, one by one. `digests`: every file
    under content_dir with the sha256 of its bytes, by absolute path, as the build listed
    and digested them (see incremental.list_inputs; "" where left for the readers to
    digest): those files are read, and their bytes only where their post is not in the
    cache. `skipped`: what the same listing found neither a file nor a folder (see
    skipped_under), each reported as skipped."""
    root = content_dir.parent
    where = content_dir.resolve()
    config = load_config(content_dir)
    loaded = LoadedContent(config=config, posts=[], pages={}, warnings=list(config.warnings))
    errors, warnings, outcomes = loaded.errors, loaded.warnings, loaded.outcomes
    known = digests or {}

    shown = _display(content_dir, root)

    def source_file(relative: str) -> SourceFile:
        absolute = f"{where}/{relative}"
        digest = known.get(absolute)
        if digest is not None:
            return SourceFile(f"{shown}/{relative}", absolute, digest)
        return SourceFile(f"{shown}/{relative}", absolute, "", (content_dir / relative).read_bytes()).loaded()

    not_read: dict[str, str] = {}
    if digests is None:
        listed = [relative for relative, _ in files_under(content_dir, skipped=not_read)]
    else:   # listed already, in the same order: not listed twice (10,000 files and more)
        prefix = f"{where}/"
        listed = [path[len(prefix):] for path in digests if path.startswith(prefix)]
        not_read = skipped_under(content_dir, skipped or {})
    present = set(listed)
    jobs: list[SourceJob] = []
    for relative in listed:
        name = relative.rpartition("/")[2]
        if name.startswith("."):
            continue
        display = f"{shown}/{relative}"
        folder = relative.partition("/")[0] if "/" in relative else ""
        stem, dot, extension = name.rpartition(".")
        suffix = f".{extension.lower()}" if dot and stem else ""
        without_suffix = relative[: len(relative) - len(suffix)]
        if relative == "site.yaml":
            outcomes[display] = SourceOutcome(display, "config")
        elif folder == "posts" and suffix in (".md", ".markdown"):
            jobs.append(SourceJob("markdown", source_file(relative)))
        elif folder == "sources" and suffix in RAW_SUFFIXES:
            sidecar = f"{without_suffix}.yaml"
            jobs.append(SourceJob("raw", source_file(relative), source_file(sidecar) if sidecar in present else None))
        elif folder == "sources" and suffix in (".yaml", ".yml"):
            path = content_dir / relative
            if any(f"{without_suffix}{s}" in present for s in RAW_SUFFIXES):
                outcomes[display] = SourceOutcome(display, "sidecar")
            else:
                errors.append(ContentError(display, "sidecar without its source: no .txt or .html file "
                                                    f"named {path.stem} beside it",
                                           hint="rename it to match its source, or delete it"))
                outcomes[display] = SourceOutcome(display, "error", "sidecar without its source")
        elif folder == "pages" and suffix in (".md", ".markdown"):
            try:
                text = content_text((content_dir / relative).read_bytes(), display, warnings)
            except ContentError as exc:
                errors.append(exc)
                outcomes[display] = SourceOutcome(display, "error", exc.message)
                continue
            page = read_page(text, display, errors, warnings)
            other = loaded.pages.get(page.slug) if page else None
            if other is not None:
                errors.append(ContentError(display, f"slug '{other.slug}' is already used by {other.source}", line=1,
                                           hint="give one of them a slug of its own in its front matter"))
                outcomes[display] = SourceOutcome(display, "error", "slug already used")
            elif page:
                loaded.pages[page.slug] = page
                outcomes[display] = SourceOutcome(display, "page")
        else:
            reason = "not a content file this site reads (posts/*.md, sources/*.txt|html + .yaml, pages/*.md)"
            warnings.append(Warning_(display, f"skipped: {reason}"))
            outcomes[display] = SourceOutcome(display, "skipped", reason)
    for relative, reason in sorted(not_read.items()):
        display = f"{shown}/{relative}"
        warnings.append(Warning_(display, f"skipped: {reason}"))
        outcomes[display] = SourceOutcome(display, "skipped", reason)
    loaded.jobs = jobs
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

