"""Render stage: routes and posts in, (output path, bytes) out, one file at a time so
that the site need never be held in memory whole. Nothing here touches disk except
reading templates and static assets."""
from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from ..cache import Cache
from ..config import SiteConfig
from ..fingerprint import Fingerprinter
from ..model import Post, RelatedScores
from ..routes import Route, topic_listings
from ..workers import Progress, ordered_results
from .data import data_files
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
    files: Iterator[tuple[str, bytes]]                      # (output path, bytes), made as they are taken
    unchanged: set[str] = field(default_factory=set)        # pages whose last build's file still holds
    fingerprints: dict[str, str] = field(default_factory=dict)


# Render-worker state, set by _start_worker (before forking, or in each spawned worker).
_WORKER: tuple[jinja2.Environment, list[Route], str] | None = None

# Render workers are replaced after this many pages: see workers.ordered_results.
PAGES_PER_WORKER_ROUND = 500


def _start_worker(templates_dir: Path, config: SiteConfig, posts: list[Post], routes: list[Route],
                  bytecode_dir: Path | None) -> None:
    global _WORKER
    env = make_environment(templates_dir, config, posts, bytecode_dir)
    for name in env.list_templates(extensions=["html", "xml"]):
        try:
            env.get_template(name)  # compiled once here, not once per worker
        except jinja2.TemplateError:
            pass  # reported, with its file and line, by the page that uses it
    _WORKER = (env, routes, templates_dir.name)


def _render_chunk(indices: Sequence[int]) -> list[bytes]:
    assert _WORKER is not None
    env, routes, label = _WORKER
    return [render_route(env, routes[i], label) for i in indices]


def render_site(routes: list[Route], posts: list[Post], related_scores: RelatedScores, config: SiteConfig,
                templates_dir: Path, static_dir: Path, workers: int = 1, fingerprinter: Fingerprinter | None = None,
                previous: dict[str, str] | None = None, progress: Progress | None = None,
                bytecode_dir: Path | None = None, data_memo: Callable[[], Cache] | None = None) -> Rendered:
    """Every file of the site. With a fingerprinter and the last build's fingerprints,
    pages whose inputs are unchanged are not rendered but listed in `unchanged`.
    `bytecode_dir`: where compiled templates are kept between builds. `data_memo` opens
    the store of each post's share of the data files (after the render workers are
    done: for a large archive it is tens of megabytes)."""
    check_outputs(routes)
    unchanged: set[str] = set()
    fingerprints: dict[str, str] = {}
    todo: list[int] = []
    articles = [p for p in posts if not p.is_excerpt]
    shown_everywhere = {"config": config, "latest": articles[:SIDEBAR_LATEST + 1]}  # the templates' globals
    for index, route in enumerate(routes):
        if fingerprinter is not None:
            mark = fingerprinter.route(route.url, route.template,
                                       {**route.context, **shown_everywhere, "in_sitemap": route.in_sitemap})
            fingerprints[route.output_path] = mark
            if previous is not None and previous.get(route.output_path) == mark:
                unchanged.add(route.output_path)
                continue
        todo.append(index)
    return Rendered(_files(routes, todo, posts, articles, related_scores, config, templates_dir, static_dir,
                           workers, progress, bytecode_dir, data_memo), unchanged, fingerprints)


def _files(routes: list[Route], todo: list[int], posts: list[Post], articles: list[Post],
           related_scores: RelatedScores, config: SiteConfig, templates_dir: Path, static_dir: Path, workers: int,
           progress: Progress | None, bytecode_dir: Path | None,
           data_memo: Callable[[], Cache] | None) -> Iterator[tuple[str, bytes]]:
    yield from read_static(static_dir).items()
    global _WORKER
    try:
        pages = ordered_results(_render_chunk, todo, workers, _start_worker,
                                (templates_dir, config, posts, routes, bytecode_dir),
                                progress, fresh_workers_every=PAGES_PER_WORKER_ROUND)
        # strict: zip then asks for one more page, which lets the pool shut down now.
        for index, page in zip(todo, pages, strict=True):
            yield routes[index].output_path, page
    finally:
        _WORKER = None
    rss, atom = feed_pair(articles, config, "", "/", config.title, config.tagline)
    yield "feed.xml", rss
    yield "atom.xml", atom
    for listing in topic_listings(posts, config):
        base = listing.url
        rss, atom = feed_pair([p for p in listing.posts if not p.is_excerpt], config, base, base,
                              f"{config.title}: {listing.topic.name}", listing.topic.description)
        yield f"{base.lstrip('/')}feed.xml", rss
        yield f"{base.lstrip('/')}atom.xml", atom
    yield "sitemap.xml", sitemap_xml(routes, posts, config)
    yield "robots.txt", robots_txt(config)
    memo = data_memo() if data_memo is not None else None
    yield from data_files(posts, config, related_scores, memo)
    if memo is not None:
        memo.save()
