"""Enrich stage: pure functions of the complete set of posts and the config.

Runs only after every source is loaded, so that teasers, topics and related links see
the whole archive."""
from __future__ import annotations

from typing import NamedTuple

from ..config import SiteConfig
from ..errors import Warning_
from ..model import Post, RelatedScores, Series
from .figures.series import collect_series
from .per_post import prepare_post
from .related import RelatedMemory, pick_related
from .teasers import make_teaser_posts


class Enriched(NamedTuple):
    posts: list[Post]               # newest first, teasers included
    series: list[Series]
    warnings: list[Warning_]
    related_scores: RelatedScores
    related_memory: RelatedMemory     # for the next build: see related.memory


def enrich(posts: list[Post], config: SiteConfig, prepared: bool = False, workers: int = 1,
           related_memory: RelatedMemory | None = None, salt: str = "") -> Enriched:
    """All posts (teasers added), with topics, key figures and related slugs filled in.
    `prepared`: the posts have had prepare_post already (the build does it as it reads).
    `workers`: processes for related-story scoring. `related_memory`: the last build's
    (see related.memory), and `salt` the code's version it must match."""
    teasers = make_teaser_posts(posts)
    for post in teasers if prepared else [*posts, *teasers]:
        prepare_post(post, config)
    everything = sorted([*posts, *teasers], key=lambda p: (-p.date.toordinal(), p.slug))
    warnings, scores, memory = pick_related(everything, config, workers, related_memory, salt)
    for post in everything:
        # Only scoring reads the term counts: for a large archive they are hundreds of MB
        # that rendering, fingerprinting and the render workers would otherwise carry.
        post.related_terms = (b"", b"")
    series, series_warnings = collect_series(everything)
    return Enriched(everything, series, [*warnings, *series_warnings], scores, memory)
