"""`build.py parse FILE --json`: one source's structured post, with stable key names."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from .config import SiteConfig
from .enrich.figures import extract_figures
from .enrich.topics import assign_topics
from .errors import ContentError, Warning_
from .model import Post
from .render.data import figure_record
from .sources.markdown_post import read_markdown_post
from .sources.metadata import Metadata
from .sources.raw_post import read_raw_post, read_sidecar
from .sources.text import RAW_SUFFIXES, decode_source


class _AnyTopic(set):
    """Topic check that accepts every slug, for parsing a file without a site.yaml."""

    def __contains__(self, item: object) -> bool:
        return True


def parse_file(path: Path, config: SiteConfig | None) -> tuple[Post, list[Warning_]]:
    display = str(path)
    text = decode_source(path.read_bytes(), display)
    topics = config.topic_slugs if config else _AnyTopic()
    errors: list[ContentError] = []
    warnings: list[Warning_] = []
    if path.suffix.lower() in RAW_SUFFIXES:
        meta = Metadata()
        sidecar = path.with_suffix(".yaml")
        if sidecar.is_file():
            meta = read_sidecar(decode_source(sidecar.read_bytes(), str(sidecar)), str(sidecar), topics,
                                errors, warnings)
        post = None if errors else read_raw_post(text, display, meta, warnings)
    else:
        post = read_markdown_post(text, display, topics, errors, warnings)
    if errors or post is None:
        raise errors[0] if errors else ContentError(display, "could not be read")
    if config:
        assign_topics([post], config.topics)
    post.stats = extract_figures(post)
    return post, warnings


def post_record(post: Post) -> dict[str, Any]:
    return {
        "title": post.title,
        "slug": post.slug,
        "date": post.date.isoformat(),
        "date_inferred": post.date_inferred,
        "banner": post.banner,
        "byline": post.author,
        "summary": post.summary,
        "paragraphs": post.paragraphs,
        "list_items": post.list_items,
        "quotes": [{"text": q.text, "speaker": q.speaker} for q in post.quotes],
        "related": [{"title": r.title, "date": r.date.isoformat() if r.date else None, "teaser": r.teaser}
                    for r in post.related_stories],
        "topics": post.topics,
        "word_count": post.word_count,
        "reading_minutes": post.reading_minutes,
        "stats": [figure_record(f) for f in post.stats],
    }
