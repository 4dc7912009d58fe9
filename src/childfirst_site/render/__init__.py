"""Render stage: routes and posts in, {output path: bytes} out. Nothing here touches disk
except reading templates and static assets."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from ..config import SiteConfig
from ..fingerprint import Fingerprinter
from ..model import Post
from ..routes import Route, topic_listings
from ..workers import Progress, ordered_map
from .data import figures_csv, figures_json, posts_json
from .feeds import feed_pair
from .sitemap import robots_txt, sitemap_xml
from .templates import SIDEBAR_LATEST, check_outputs, make_environment, render_route


def read_static(static_dir: Path) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    if static_dir.is_dir():
        for path in sorted(static_dir.rglob("*")):
            if path.is_file() and not path.name.startswith("."):
                files[path.relative_to(static_dir).as_posix()] = path.read_bytes()
    return files


@dataclass
class Rendered:
    files: dict[str, bytes] = field(default_factory=dict)   # output path → bytes, newly made
    unchanged: set[str] = field(default_factory=set)        # pages whose last build's file still holds
    fingerprints: dict[str, str] = field(default_factory=dict)


# Worker-process state, set once per worker by _start_worker.
_WORKER: tuple[jinja2.Environment, list[Route], str] | None = None


def _start_worker(templates_dir: Path, config: SiteConfig, posts: list[Post], routes: list[Route]) -> None:
    global _WORKER
    _WORKER = (make_environment(templates_dir, config, posts), routes, templates_dir.name)


def _render_chunk(indices: Sequence[int]) -> list[bytes]:
    assert _WORKER is not None
    env, routes, label = _WORKER
    return [render_route(env, routes[i], label) for i in indices]


def render_site(routes: list[Route], posts: list[Post], config: SiteConfig, templates_dir: Path,
                static_dir: Path, workers: int = 1, fingerprinter: Fingerprinter | None = None,
                previous: dict[str, str] | None = None, progress: Progress | None = None) -> Rendered:
    """Every file of the site. With a fingerprinter and the last build's fingerprints,
    pages whose inputs are unchanged are not rendered but listed in `unchanged`."""
    check_outputs(routes)
    rendered = Rendered(files=read_static(static_dir))
    files = rendered.files
    todo: list[int] = []
    articles = [p for p in posts if not p.is_excerpt]
    shown_everywhere = {"config": config, "latest": articles[:SIDEBAR_LATEST + 1]}  # the templates' globals
    for index, route in enumerate(routes):
        if fingerprinter is not None:
            mark = fingerprinter.route(route.url, route.template,
                                       {**route.context, **shown_everywhere, "in_sitemap": route.in_sitemap})
            rendered.fingerprints[route.output_path] = mark
            if previous is not None and previous.get(route.output_path) == mark:
                rendered.unchanged.add(route.output_path)
                continue
        todo.append(index)
    pages = ordered_map(_render_chunk, todo, workers, _start_worker, (templates_dir, config, posts, routes), progress)
    for index, page in zip(todo, pages):
        files[routes[index].output_path] = page
    files["feed.xml"], files["atom.xml"] = feed_pair(articles, config, "", "/", config.title, config.tagline)
    for listing in topic_listings(posts, config):
        feed_posts = [p for p in listing.posts if not p.is_excerpt]
        base = listing.url
        files[f"{base.lstrip('/')}feed.xml"], files[f"{base.lstrip('/')}atom.xml"] = feed_pair(
            feed_posts, config, base, base, f"{config.title}: {listing.topic.name}", listing.topic.description)
    files["sitemap.xml"] = sitemap_xml(routes, posts, config)
    files["robots.txt"] = robots_txt(config)
    files["data/posts.json"] = posts_json(posts, config)
    files["data/figures.json"] = figures_json(posts, config)
    files["data/figures.csv"] = figures_csv(posts, config)
    return rendered
