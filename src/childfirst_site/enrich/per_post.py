"""Enrichment that depends on one post alone (and the config), so it can run in a
worker process and be cached with the parsed post."""
from __future__ import annotations

from ..config import SiteConfig
from ..model import Post
from .figures import extract_figures
from .related import add_related_features
from .topics import assign_topics


def prepare_post(post: Post, config: SiteConfig) -> None:
    assign_topics([post], config.topics)
    post.stats = extract_figures(post)  # after topics: each figure carries its post's topic
    add_related_features(post, config)
