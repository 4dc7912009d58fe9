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


# One encoder for every record: json.dumps with any option makes a new one per call.
_ENCODER = json.JSONEncoder(ensure_ascii=False)


def _json_document(site: str, key: str, records: list[dict[str, Any]]) -> bytes:
    """{"site": …, key: [records]} with one record per line: still readable and diffable,
    and each record goes through json's C encoder (indent= would make it all pure Python,
    several seconds for a large archive)."""
    encode = _ENCODER.encode
    body = ",\n".join([encode(record) for record in records])
    return (f'{{"site": {encode(site)}, "{key}": [\n{body}\n]}}\n').encode()


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
        if not post.stats:
            continue
        url, title, date = absolute_url(config, post.url), post.title, post.date.isoformat()
        for figure in post.stats:
            record = figure_record(figure)
            del record["also_in"]
            rows.append({"article_url": url + (f"#{figure.anchor}" if figure.anchor else ""),
                         "article_title": title, "article_date": date, **record})
    return rows


def figures_files(posts: list[Post], config: SiteConfig) -> tuple[bytes, bytes]:
    """data/figures.json and data/figures.csv: every figure with its article, one a row."""
    rows = _figure_rows(posts, config)
    return _json_document(config.title, "figures", rows), _figures_csv(rows)


# A spreadsheet would run a cell that starts like a formula; a leading quote keeps it text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _figures_csv(rows: list[dict[str, Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(FIGURE_COLUMNS)
    writer.writerows([[_cell(row[column]) for column in FIGURE_COLUMNS] for row in rows])
    return out.getvalue().encode("utf-8")
