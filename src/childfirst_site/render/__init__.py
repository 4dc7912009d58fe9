"""Render stage: routes and posts in, (output path, bytes) out, one file at a time so
that the site need never be held in memory whole. Nothing here touches disk except
reading templates and static assets, the store of posts' shares of the data files
(make_data_files), and, when the publisher asks, render workers writing pages into the
staged site."""
from __future__ import annotations

import datetime as dt
import functools
import itertools
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import jinja2

from ..cache import Cache
from ..config import SiteConfig
from ..files import is_text_name
from ..fingerprint import Fingerprinter
from ..incremental import content_digest
from ..model import Post, RelatedScores
from ..publish import Placed, write_new
from ..routes import Route, topic_listings
from ..search import BUNDLE as SEARCH_BUNDLE
from ..workers import Progress, ordered_results
from .data import DATA_FILES, DataRecords, Kept, PostData, data_files
from .outputs import check_outputs, check_static, static_paths
from .sitemap import robots_txt, sitemap_xml
from .templates import SIDEBAR_LATEST, make_environment, render_route


class Written(NamedTuple):
    """A page a render worker wrote into the staged site itself, as it left it."""

    sha256: str
    size: int
    mtime_ns: int


@dataclass
class Rendered:
    # files(write_into): (output path, bytes) of every file, made as they are taken. Given
    # a folder, render workers write pages there themselves, and a page comes back as
    # Written: a build that writes every page (a cold one) creates its files in all
    # cores, not in the build's own process alone.
    # A file may also come back as Kept: the last build's, whose inputs are unchanged.
    files: Callable[[Path | None], Iterator[tuple[str, bytes | Written | Kept | Placed]]]
    unchanged: set[str] = field(default_factory=set)        # pages whose last build's file still holds
    fingerprints: dict[str, str] = field(default_factory=dict)


# Render-worker state, set by _start_worker (before forking, or in each spawned worker).
_WORKER: tuple[jinja2.Environment, list[Route], str, Path | None] | None = None

# Render workers are replaced after this many pages (see workers.ordered_results), so that
# none ends up with a private copy of every post of a very large archive. Each fresh pair
# is forked from a build of several hundred megabytes, and copies again the pages of every
# object it touches (reference counts are writes), and renders again the parts its
# `{% cache %}` tags keep. For 10,000 posts (13,341 pages), cold builds, six alternating
# pairs on 2026-12-02: rounds of 2,000 pages, render stage 4.0-5.5 s (mean 4.9), the
# workers' page faults 205,000 and CPU 4.2-5.6 s; one round, 3.6-4.3 s (mean 3.9), 63,000
# faults, CPU 3.7-4.5 s, faster in five pairs of six. Peak memory (summed PSS) rose from
# 556 to 640 MB.
PAGES_PER_WORKER_ROUND = 20_000


def _start_worker(templates_dir: Path, config: SiteConfig, posts: list[Post], routes: list[Route],
                  bytecode_dir: Path | None, write_into: Path | None) -> None:
    global _WORKER
    env = make_environment(templates_dir, config, posts, bytecode_dir)
    _load_templates(env)   # once here, not once per worker
    _WORKER = (env, routes, templates_dir.name, write_into)


def _load_templates(env: jinja2.Environment) -> None:
    for name in env.list_templates(extensions=["html", "xml"]):
        if not is_text_name(name):
            continue   # skipped, and reported, as the build listed its inputs
        try:
            env.get_template(name)
        except jinja2.TemplateError:
            pass  # reported, with its file and line, by the page that uses it


def compile_templates(templates_dir: Path, config: SiteConfig, bytecode_dir: Path) -> None:
    """Every template compiled into `bytecode_dir`, where render workers load them from.
    A cold build runs this in a process of its own while it scores related stories,
    which at 1,000 posts keep one core busy: compiling took the build's own process
    0.07-0.13 s before it forked its render workers. (Compiled code depends on the
    config, never on the posts: see _CompiledTemplates.)"""
    _load_templates(make_environment(templates_dir, config, [], bytecode_dir))


def _render_chunk(indices: Sequence[int]) -> list[bytes | Written]:
    assert _WORKER is not None
    env, routes, label, write_into = _WORKER
    pages = [render_route(env, routes[i], label) for i in indices]
    if write_into is None:
        return pages
    root = str(write_into)
    written: list[bytes | Written] = []
    for i, page in zip(indices, pages):
        info = write_new(root, routes[i].output_path, page)
        written.append(Written(content_digest(page), info.st_size, info.st_mtime_ns))
    return written


def shared_parts(fingerprinter: Fingerprinter, posts: list[Post], config: SiteConfig) -> dict[bool, bytes]:
    """The fingerprint parts of what every page is given besides its context (the
    templates' globals; no context has those keys), for pages out of the sitemap and in it."""
    latest = list(itertools.islice((p for p in posts if not p.is_excerpt), SIDEBAR_LATEST + 1))   # posts: newest first
    shown_everywhere = {"config": config, "latest": latest}
    return {flag: fingerprinter.context_part({**shown_everywhere, "in_sitemap": flag}) for flag in (False, True)}


def render_site(routes: list[Route], posts: list[Post], config: SiteConfig,
                templates_dir: Path, static_dir: Path, workers: int = 1, fingerprinter: Fingerprinter | None = None,
                previous: dict[str, str] | None = None, progress: Progress | None = None,
                bytecode_dir: Path | None = None, *, site_files: Callable[[], SiteFiles],
                settled: Collection[int] = (), frame: bytes = b"") -> Rendered:
    """Every file of the site. With a fingerprinter and the last build's fingerprints,
    pages and feeds whose inputs are unchanged are not made but listed in `unchanged`.
    `bytecode_dir`: where compiled templates are kept between builds. `site_files`: the
    data files (see make_data_files), asked for once the pages are fingerprinted.
    `settled`: routes (by index) whose last fingerprint, in `previous`, is known to
    stand (see page_inputs): not worked out again. The routes are then known to be the
    last build's, and are not checked again. `frame`: the site's frame (see
    page_inputs.FrameOutline), which the sitemap's fingerprint is made from."""
    if not settled:
        check_outputs(routes)
    unchanged: set[str] = set()
    fingerprints: dict[str, str] = {}
    todo: list[int] = []
    articles = [p for p in posts if not p.is_excerpt]
    shared = shared_parts(fingerprinter, posts, config) if fingerprinter is not None else {}
    for index, route in enumerate(routes):
        if index in settled and previous is not None:
            fingerprints[route.output_path] = previous[route.output_path]
            unchanged.add(route.output_path)
            continue
        if fingerprinter is not None:
            mark = fingerprinter.route(route.url, route.template, route.context, shared[route.in_sitemap])
            fingerprints[route.output_path] = mark
            if previous is not None and previous.get(route.output_path) == mark:
                unchanged.add(route.output_path)
                continue
        todo.append(index)
    feeds: list[Feed] = []
    every_feed = _feeds(articles, posts, config)
    static = static_paths(static_dir)
    check_static(static_dir, static, [*(route.output_path for route in routes),
                                      *(path for feed in every_feed for path in (feed.rss, feed.atom)),
                                      *DATA_FILES, "sitemap.xml", "robots.txt"], [SEARCH_BUNDLE])
    for feed in every_feed:
        if fingerprinter is not None:
            # Fingerprinted as a page is: what the feed shows (its newest posts, whole, and its
            # date, the newest of all its posts'), beside what every page is given.
            mark = fingerprinter.route(feed.rss, "feed", {
                "shown": feed.posts[:config.feeds.items], "newest": feed.newest, "folder": feed.folder,
                "page": feed.page_url, "title": feed.title, "description": feed.description}, shared[False])
            fingerprints[feed.rss] = fingerprints[feed.atom] = mark
            if previous is not None and previous.get(feed.rss) == mark == previous.get(feed.atom):
                unchanged.update((feed.rss, feed.atom))
                continue
        feeds.append(feed)

    # The sitemap lists the pages, with their posts' dates: all in the frame.
    sitemap = True
    if fingerprinter is not None and frame:
        fingerprints["sitemap.xml"] = mark = fingerprinter.route("sitemap.xml", "sitemap", {"frame": frame})
        if previous is not None and previous.get("sitemap.xml") == mark:
            unchanged.add("sitemap.xml")
            sitemap = False

    def made_apart() -> list[tuple[str, bytes | Kept | Placed]]:
        files, marks = site_files()
        fingerprints.update(marks)
        if sitemap:
            files.append(("sitemap.xml", sitemap_xml(routes, posts, config)))
        return [*files, ("robots.txt", robots_txt(config))]

    return Rendered(functools.partial(_files, routes, todo, feeds, posts, config, templates_dir, static_dir, static,
                                      workers, progress, bytecode_dir, made_apart),
                    unchanged, fingerprints)


# The data files (made, kept, or left beside the site to be moved in: see
# publish.Placed), and the fingerprints of those that have one.
SiteFiles = tuple[list[tuple[str, bytes | Kept | Placed]], dict[str, str]]


def make_data_files(posts: list[Post], related_scores: RelatedScores, config: SiteConfig,
                    fingerprinter: Fingerprinter | None, previous: dict[str, str] | None,
                    data_memo: Callable[[], Cache] | None = None, made: dict[str, bytes] | None = None) -> SiteFiles:
    """The data files (those whose inputs are unchanged since the last build, by the
    `previous` fingerprints, as Kept), with the fingerprints of those that have one. A
    pure function of its arguments, which a build runs in a process of its own while it
    plans and fingerprints the pages (see pipeline). `data_memo` opens the store of each
    post's share of the data files; `made`: the shares made as posts were read (see
    data.data_files)."""
    marks: dict[str, str] = {}
    memo = data_memo() if data_memo is not None else None
    files = data_files(posts, config, related_scores, memo, _unchanged_data(fingerprinter, previous, marks), made)
    if memo is not None:
        memo.save()
    return files, marks


def data_files_again(records: DataRecords, posts: list[Post], changed: Mapping[int, PostData | None],
                     related_scores: RelatedScores, config: SiteConfig, fingerprinter: Fingerprinter,
                     previous: dict[str, str] | None) -> SiteFiles | None:
    """make_data_files' result where the plan was kept and only the posts at the places in
    `changed` changed (see DataRecords.again): made in this process, in a few hundredths
    of a second. None where it cannot be made so."""
    marks: dict[str, str] = {}
    files = records.again(posts, changed, config, related_scores, _unchanged_data(fingerprinter, previous, marks))
    return None if files is None else (list(files), marks)   # a list of the wider type SiteFiles holds


def _unchanged_data(fingerprinter: Fingerprinter | None, previous: dict[str, str] | None,
                    marks: dict[str, str]) -> Callable[[list[str], bytes], bool]:
    def unchanged(paths: list[str], digest: bytes) -> bool:
        """Fingerprinted as pages are, by a digest of what they are made from."""
        if fingerprinter is None:
            return False
        mark = fingerprinter.route(paths[0], "data", {"digest": digest})
        marks.update(dict.fromkeys(paths, mark))
        return previous is not None and all(previous.get(path) == mark for path in paths)
    return unchanged


class Feed(NamedTuple):
    """The RSS and Atom feeds of the site, or of a topic."""

    rss: str             # output paths
    atom: str
    posts: list[Post]    # newest first
    folder: str          # "" for the site's, a topic's URL for a topic's
    page_url: str
    title: str
    description: str

    @property
    def newest(self) -> dt.date | None:
        return max((p.updated or p.date for p in self.posts), default=None)


def _feeds(articles: list[Post], posts: list[Post], config: SiteConfig) -> list[Feed]:
    feeds = [Feed("feed.xml", "atom.xml", articles, "", "/", config.title, config.tagline)]
    for listing in topic_listings(posts, config):
        base = listing.url
        feeds.append(Feed(f"{base.lstrip('/')}feed.xml", f"{base.lstrip('/')}atom.xml",
                          [p for p in listing.posts if not p.is_excerpt], base, base,
                          f"{config.title}: {listing.topic.name}", listing.topic.description))
    return feeds


def _files(routes: list[Route], todo: list[int], feeds: list[Feed], posts: list[Post], config: SiteConfig,
           templates_dir: Path, static_dir: Path, static: list[str], workers: int, progress: Progress | None,
           bytecode_dir: Path | None, made_apart: Callable[[], list[tuple[str, bytes | Kept | Placed]]],
           write_into: Path | None) -> Iterator[tuple[str, bytes | Written | Kept | Placed]]:
    for path in static:   # as listed when the site's files were checked against them
        yield path, (static_dir / path).read_bytes()
    # The data files and sitemap first, and let go of: the render workers are forked from
    # this process, which should not then hold tens of megabytes more.
    apart = made_apart()
    while apart:
        yield apart.pop(0)
    global _WORKER
    try:
        pages = ordered_results(_render_chunk, todo, workers, _start_worker,
                                (templates_dir, config, posts, routes, bytecode_dir, write_into),
                                progress, fresh_workers_every=PAGES_PER_WORKER_ROUND)
        # strict: zip then asks for one more page, which lets the pool shut down now.
        for index, page in zip(todo, pages, strict=True):
            yield routes[index].output_path, page
    finally:
        _WORKER = None
    if feeds:
        # Only here: feedgen and lxml take 0.04 s to import, which a build whose feeds are
        # all as they were (an edit to an older post) need not pay.
        from .feeds import feed_pair
        for feed in feeds:
            rss, atom = feed_pair(feed.posts, config, feed.folder, feed.page_url, feed.title, feed.description)
            yield feed.rss, rss
            yield feed.atom, atom
