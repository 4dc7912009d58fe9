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
    (see related.memory), and `salt` the code's version it must match. (The build runs
    these steps itself, some in a process of its own: see pipeline.)"""
    everything = with_teasers(posts, config, prepared)
    warnings, scores, memory = pick_related(everything, config, workers, related_memory, salt)
    let_go_of_terms(everything)
    series, series_warnings = collect_series(everything)
    return Enriched(everything, series, [*warnings, *series_warnings], scores, memory)


def with_teasers(posts: list[Post], config: SiteConfig, prepared: bool = False) -> list[Post]:
    """The posts and the teasers their pages list, newest first, each prepared."""
    teasers = make_teaser_posts(posts)
    for post in teasers if prepared else [*posts, *teasers]:
        prepare_post(post, config)
    return sorted([*posts, *teasers], key=lambda p: (-p.date.toordinal(), p.slug))


def let_go_of_terms(posts: list[Post]) -> None:
    """Once related stories are picked. Only scoring reads the term counts: for a large
    archive they are hundreds of MB that rendering, fingerprinting and the render
    workers would otherwise carry."""
    for post in posts:
        post.related_terms = (b"", b"")
