"""A raw scraped page (text or HTML) plus its optional sidecar becomes a Post."""
from __future__ import annotations

from pathlib import PurePath

from ..errors import ContentError, Warning_
from ..model import Post, PostKind
from ..slugs import slugify
from ..yamltext import load_yaml
from .blocks_html import blocks_to_html
from .dates import infer_page_date
from .html_page import html_to_text
from .metadata import SIDECAR_KEYS, Metadata, read_metadata
from .raw_page import RawArticle, parse_raw_page
from .text import HTML_SUFFIXES


def read_sidecar(text: str, path: str, topic_slugs: set[str],
                 errors: list[ContentError], warnings: list[Warning_]) -> Metadata:
    try:
        doc = load_yaml(text, path)
    except ContentError as exc:
        errors.append(exc)
        return Metadata()
    return read_metadata(doc, SIDECAR_KEYS, topic_slugs, errors, warnings)


def parse_raw_source(text: str, path: str, warnings: list[Warning_] | None = None) -> RawArticle:
    if PurePath(path).suffix.lower() in HTML_SUFFIXES:
        notes: list[str] = []
        text = html_to_text(text, notes)
        if warnings is not None:
            warnings.extend(Warning_(path, note) for note in notes)
    return parse_raw_page(text, path)


def read_raw_post(text: str, path: str, meta: Metadata | None,
                  warnings: list[Warning_]) -> Post:
    """Raises ContentError when the page holds no article."""
    article = parse_raw_source(text, path, warnings)
    meta = meta or Metadata()
    date = meta.date
    inferred = False
    if date is None:
        found = infer_page_date(article)
        if found is None:
            raise ContentError(path, "no date: the sidecar gives none and the page names none", line=1,
                               hint=f"add 'date: YYYY-MM-DD' to {PurePath(path).with_suffix('.yaml').name}")
        date, evidence = found
        inferred = True
        warnings.append(Warning_(path, f"no date in a sidecar; using {date.isoformat()} from {evidence} "
                                       f"(add {PurePath(path).with_suffix('.yaml').name} with 'date:' to fix)"))
    paragraphs = [line for block in article.blocks if block.kind in ("paragraph", "quote") for line in block.lines]
    return Post(
        source=path, kind=PostKind.AGGREGATED, title=article.title,
        slug=meta.slug or slugify(article.title), date=date, date_inferred=inferred, updated=meta.updated,
        author=meta.author or article.byline, banner=article.banner,
        summary=meta.summary or (paragraphs[0] if paragraphs else ""),
        blocks=article.blocks, body_html=blocks_to_html(article.blocks), quotes=article.quotes,
        related_stories=article.related, topics=meta.topics,
        source_organisations=meta.source_organisations, draft=meta.draft, pinned_related=meta.related,
        not_related=meta.not_related, figure_edits=meta.figures,
    )
