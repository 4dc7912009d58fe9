"""One source file in, one structured post (or its errors) out: the unit of work that
worker processes share and the build cache stores."""
from __future__ import annotations

import hashlib
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from ..config import SiteConfig
from ..enrich.figures import edits_matching_nothing
from ..enrich.per_post import prepare_post
from ..errors import ContentError, Warning_
from ..model import Post
from .metadata import Metadata
from .text import content_text


class SourceFile(NamedTuple):   # tuples: a large archive makes tens of thousands a build
    display: str                    # path as shown to people, relative to the content folder's parent
    path: str
    digest: str                     # sha256 of its bytes, as the build last saw them
    data: bytes | None = None       # the bytes, where they have been read already

    def read(self) -> bytes:
        return self.data if self.data is not None else Path(self.path).read_bytes()

    def loaded(self) -> "SourceFile":
        """With its bytes, as they are now (the digest too: the file may have changed)."""
        data = self.read()
        return SourceFile(self.display, self.path, hashlib.sha256(data).hexdigest(), data)


class SourceJob(NamedTuple):
    kind: str                       # "markdown" (posts/*.md) or "raw" (sources/*.txt|html)
    source: SourceFile
    sidecar: SourceFile | None = None

    @property
    def display(self) -> str:
        return self.source.display

    def key(self, salt: str) -> str:
        """The same for the same bytes read by the same code and config: the cache's key."""
        sidecar = self.sidecar or _NO_SIDECAR
        return hashlib.sha256("\0".join((salt, self.kind, self.source.display, self.source.digest, sidecar.display,
                                         sidecar.digest)).encode("utf-8")).hexdigest()

    def loaded(self) -> "SourceJob":
        return SourceJob(self.kind, self.source.loaded(), self.sidecar.loaded() if self.sidecar else None)


_NO_SIDECAR = SourceFile("", "", "")


@dataclass
class SourceResult:
    post: Post | None
    errors: list[ContentError] = field(default_factory=list)
    warnings: list[Warning_] = field(default_factory=list)


def read_job(job: SourceJob, config: SiteConfig) -> SourceResult:
    """Parse a source and give the post what depends on it alone: topics and key figures.
    A bug that a source's text sets off is an error naming the source, not a traceback
    from a worker process that names no file: among thousands, which one (an untrusted
    scraped page, say) would otherwise be anyone's guess."""
    try:
        return _read(job, config)
    except OSError:
        raise   # the system's refusal (a file gone or unreadable): told as such, by the build
    except Exception as exc:  # noqa: BLE001 - any bug at all: told with the file that set it off
        return SourceResult(None, errors=[bug_met(job.display, exc)])


def bug_met(path: str, exc: BaseException) -> ContentError:
    """An error saying that reading `path` met a bug, with where in the code."""
    frames = traceback.extract_tb(exc.__traceback__)
    where = f" at {Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else ""
    return ContentError(path, f"reading this file met a bug in childfirst-site ({type(exc).__name__}{where}: {exc})",
                        hint="please report it with this file; until it is fixed, the site builds without the "
                             "file if you move it out of the content folder")


def _read(job: SourceJob, config: SiteConfig) -> SourceResult:
    result = SourceResult(None)
    try:
        text = content_text(job.source.read(), job.display, result.warnings)
        sidecar_text = None
        if job.sidecar is not None:
            sidecar_text = content_text(job.sidecar.read(), job.sidecar.display, result.warnings)
    except ContentError as exc:
        result.errors.append(exc)
        return result
    # Each reader is imported when first wanted: a build that reads only a Markdown post
    # (an edit) need not load the HTML parser, 0.05 s; one that reads nothing, neither.
    if job.kind == "markdown":
        from .markdown_post import read_markdown_post
        result.post = read_markdown_post(text, job.display, config.topic_slugs, result.errors, result.warnings)
    else:
        from .raw_post import read_raw_post, read_sidecar
        meta = None
        if job.sidecar is not None and sidecar_text is not None:
            meta = read_sidecar(sidecar_text, job.sidecar.display, config.topic_slugs, result.errors, result.warnings)
        try:
            result.post = read_raw_post(text, job.display, meta or Metadata(), result.warnings)
        except ContentError as exc:
            result.errors.append(exc)
    if result.post is not None:
        prepare_post(result.post, config)
        edits_in = job.sidecar.display if job.sidecar is not None else job.display   # where figures: is written
        result.warnings.extend(Warning_(edits_in, message) for message in edits_matching_nothing(result.post))
    return result
