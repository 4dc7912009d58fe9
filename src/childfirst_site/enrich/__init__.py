"""Enrich stage: pure functions of the complete set of posts and the config.

Runs only after every source is loaded, so that teasers, topics and related links see
the whole archive."""
from __future__ import annotations

from ..config import SiteConfig
from ..errors import Warning_
from ..model import Post, Series
from .figures import extract_figures
from .figures.series import collect_series
from .related import pick_related
from .teasers import make_teaser_posts
from .topics import assign_topics


def enrich(posts: list[Post], config: SiteConfig) -> tuple[list[Post], list[Series], list[Warning_]]:
    """All posts (teasers added), with topics, key figures and related slugs filled in."""
    teasers = make_teaser_posts(posts)
    everything = sorted([*posts, *teasers], key=lambda p: (-p.date.toordinal(), p.slug))
    assign_topics(everything, config.topics)
    for post in everything:
        post.stats = extract_figures(post)  # after topics: each figure carries its post's topic
    warnings = pick_related(everything, config)
    series, series_warnings = collect_series(everything)
    return everything, series, [*warnings, *series_warnings]
