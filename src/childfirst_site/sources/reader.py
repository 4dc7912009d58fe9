"""One source file in, one structured post (or its errors) out: the unit of work that
worker processes share and the build cache stores. Pure: text in, result out."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from ..config import SiteConfig
from ..enrich.per_post import prepare_post
from ..errors import ContentError, Warning_
from ..model import Post
from .markdown_post import read_markdown_post
from .metadata import Metadata
from .raw_post import read_raw_post, read_sidecar


@dataclass(frozen=True)
class SourceJob:
    kind: str                       # "markdown" (posts/*.md) or "raw" (sources/*.txt|html)
    display: str                    # path as shown to people, relative to the content folder's parent
    text: str
    sidecar_display: str | None = None
    sidecar_text: str | None = None

    def key(self, salt: str) -> str:
        digest = hashlib.sha256(salt.encode())
        for part in (self.kind, self.display, self.text, self.sidecar_display or "", self.sidecar_text or ""):
            digest.update(b"\0" + part.encode("utf-8"))
        return digest.hexdigest()


@dataclass
class SourceResult:
    post: Post | None
    errors: list[ContentError] = field(default_factory=list)
    warnings: list[Warning_] = field(default_factory=list)


def read_job(job: SourceJob, config: SiteConfig) -> SourceResult:
    """Parse a source and give the post what depends on it alone: topics and key figures."""
    result = SourceResult(None)
    if job.kind == "markdown":
        result.post = read_markdown_post(job.text, job.display, config.topic_slugs, result.errors, result.warnings)
    else:
        meta = None
        if job.sidecar_text is not None and job.sidecar_display is not None:
            meta = read_sidecar(job.sidecar_text, job.sidecar_display, config.topic_slugs,
                                result.errors, result.warnings)
        try:
            result.post = read_raw_post(job.text, job.display, meta or Metadata(), result.warnings)
        except ContentError as exc:
            result.errors.append(exc)
    if result.post is not None:
        prepare_post(result.post, config)
    return result
