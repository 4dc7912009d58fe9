"""Machine-readable data files: public/data/posts.json."""
from __future__ import annotations

import csv
import io
import json
from typing import Any

from ..config import SiteConfig
from ..model import Figure, Post, RelatedScores
from .templates import absolute_url


def figure_record(figure: Figure) -> dict[str, Any]:
    """One figure as data: the key names other tools rely on."""
    return {"value": figure.value, "number": figure.number, "unit": figure.unit, "qualifier": figure.qualifier,
            "label": figure.label, "period": figure.period, "sentence": figure.sentence, "topic": figure.topic,
            "series": figure.series, "also_in": list(figure.also_in)}


def _json_document(site: str, key: str, records: list[dict[str, Any]]) -> bytes:
    """{"site": …, key: [records]} with one record per line: still readable and diffable,
    and each record goes through json's C encoder (indent= would make it all pure Python,
    several seconds for a large archive)."""
    lines = [json.dumps(record, ensure_ascii=False) for record in records]
    body = ",\n".join(lines)
    return (f'{{"site": {json.dumps(site, ensure_ascii=False)}, "{key}": [\n{body}\n]}}\n').encode()


def posts_json(posts: list[Post], config: SiteConfig, related_scores: RelatedScores) -> bytes:
    records = [{
        "slug": post.slug,
        "url": absolute_url(config, post.url),
        "title": post.title,
        "date": post.date.isoformat(),
        "date_inferred": post.date_inferred,
        "updated": post.updated.isoformat() if post.updated else None,
        "kind": post.kind.value,
        "excerpt": post.is_excerpt,
        "topics": post.topics,
        "summary": post.summary,
        "related": post.related,
        "related_scores": [related_scores.get(post.slug, {}).get(slug) for slug in post.related],
        "stats": [figure_record(f) for f in post.stats],
    } for post in posts]
    return _json_document(config.title, "posts", records)


FIGURE_COLUMNS = ["article_url", "article_title", "article_date", "value", "number", "unit", "qualifier", "label",
                  "period", "sentence", "topic", "series"]


def _figure_rows(posts: list[Post], config: SiteConfig) -> list[dict[str, Any]]:
    rows = []
    for post in posts:
        for figure in post.stats:
            url = absolute_url(config, post.url) + (f"#{figure.anchor}" if figure.anchor else "")
            rows.append({"article_url": url, "article_title": post.title, "article_date": post.date.isoformat(),
                         **{k: v for k, v in figure_record(figure).items() if k != "also_in"}})
    return rows


def figures_json(posts: list[Post], config: SiteConfig) -> bytes:
    return _json_document(config.title, "figures", _figure_rows(posts, config))


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    # A spreadsheet would run a cell that starts like a formula; a leading quote keeps it text.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def figures_csv(posts: list[Post], config: SiteConfig) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(FIGURE_COLUMNS)
    for row in _figure_rows(posts, config):
        writer.writerow([_cell(row[column]) for column in FIGURE_COLUMNS])
    return out.getvalue().encode("utf-8")
