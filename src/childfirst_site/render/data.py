"""Machine-readable data files: public/data/posts.json."""
from __future__ import annotations

import json
from typing import Any

from ..config import SiteConfig
from ..model import Figure, Post
from .templates import absolute_url


def figure_record(figure: Figure) -> dict[str, Any]:
    """One figure as data: the key names other tools rely on."""
    return {"value": figure.value, "number": figure.number, "unit": figure.unit, "qualifier": figure.qualifier,
            "label": figure.label, "period": figure.period, "sentence": figure.sentence, "topic": figure.topic,
            "series": figure.series, "also_in": list(figure.also_in)}


def posts_json(posts: list[Post], config: SiteConfig) -> bytes:
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
        "stats": [figure_record(f) for f in post.stats],
    } for post in posts]
    return (json.dumps({"site": config.title, "posts": records}, ensure_ascii=False, indent=2) + "\n").encode()
