"""Route stage: which pages exist, at which URL, with which template and objects."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Collection, ItemsView, Iterator, Mapping, ValuesView
from dataclasses import dataclass, field
from typing import Any, NamedTuple, TypeVar
from urllib.parse import urlsplit

from .config import SiteConfig
from .errors import Warning_
from .enrich.titles import title_key
from .model import Page, Post, PostFigure, Series, Topic


@dataclass(frozen=True)
class Pagination:
    number: int
    total: int
    base_url: str   # URL of page 1; page N is base_url + "page/N/"

    def url_of(self, number: int) -> str:
        return self.base_url if number == 1 else f"{self.base_url}page/{number}/"

    @property
    def previous_url(self) -> str | None:
        return self.url_of(self.number - 1) if self.number > 1 else None

    @property
    def next_url(self) -> str | None:
        return self.url_of(self.number + 1) if self.number < self.total else None


@dataclass(slots=True)   # not frozen: a frozen dataclass is made at twice the cost, 13,000 times a build
class Route:
    url: str
    template: str
    context: Mapping[str, Any] = field(default_factory=dict)
    in_sitemap: bool = True
    # Asked for several times for each of thousands of pages: worked out once, as the
    # route is made (a cached property costs more, with its lock, than working it out).
    output_path: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        url = self.url
        self.output_path = f"{url.lstrip('/')}index.html" if url.endswith("/") else url.lstrip("/")


class StoryLink(NamedTuple):
    """What a year's archive shows of each story. Given no more, a year's page (thousands
    of stories) is not made again when something it does not show changes, such as the
    related stories of one of them."""

    url: str
    title: str
    date: dt.date
    is_excerpt: bool


@dataclass(frozen=True)
class YearArchive:
    year: int
    posts: list[StoryLink]

    @property
    def url(self) -> str:
        return f"/archive/{self.year}/"


@dataclass(frozen=True)
class TopicListing:
    topic: Topic
    posts: list[Post]

    @property
    def url(self) -> str:
        return topic_url(self.topic.slug)


def topic_url(slug: str) -> str:
    return f"/topics/{slug}/"


# A topic's figures are listed in pages of this many; the figures index shows the
# newest few of each topic. A large archive's figures are tens of thousands: all on one
# page would be megabytes.
FIGURES_PER_PAGE = 100
FIGURES_ON_INDEX = 20


@dataclass(frozen=True)
class FigureGroup:
    """A topic's figures (or some of them), newest article first."""

    topic: Topic | None
    entries: list[PostFigure]
    total: int = -1     # figures in the whole group, where `entries` are some of them

    @property
    def count(self) -> int:
        return self.total if self.total >= 0 else len(self.entries)

    @property
    def name(self) -> str:
        return self.topic.name if self.topic else "Other figures"

    @property
    def slug(self) -> str:
        return self.topic.slug if self.topic else "other"

    @property
    def url(self) -> str:
        return f"/figures/{self.slug}/"


def figure_groups(posts: list[Post], config: SiteConfig) -> list[FigureGroup]:
    """Figures by topic in site.yaml order (each figure under its post's first topic)."""
    by_topic: dict[str | None, list[PostFigure]] = defaultdict(list)
    known = config.topic_slugs
    for post in posts:  # newest first already
        for place, figure in enumerate(post.stats):
            by_topic[figure.topic if figure.topic in known else None].append(PostFigure(post, figure, place))
    groups = [FigureGroup(topic, by_topic[topic.slug]) for topic in config.topics if by_topic.get(topic.slug)]
    if by_topic.get(None):
        groups.append(FigureGroup(None, by_topic[None]))
    return groups


def listed_slugs(post: Post, by_title: dict[str, str]) -> list[str]:
    """Slugs of the stories the post's source page listed in its own related block, in page
    order. They are the publisher's latest news at capture time, not a judgement of
    relevance, so they are shown apart from the related posts."""
    slugs = (by_title.get(title_key(story.title)) for story in post.related_stories)
    return [slug for slug in slugs if slug and slug != post.slug]


T = TypeVar("T")


def paginate(items: list[T], per_page: int, base_url: str) -> list[tuple[list[T], Pagination]]:
    chunks = [items[i:i + per_page] for i in range(0, len(items), per_page)] or [[]]
    return [(chunk, Pagination(n, len(chunks), base_url)) for n, chunk in enumerate(chunks, start=1)]


def topic_listings(posts: list[Post], config: SiteConfig) -> list[TopicListing]:
    by_topic: dict[str, list[Post]] = defaultdict(list)
    for post in posts:
        for slug in post.topics:
            by_topic[slug].append(post)
    return [TopicListing(topic, by_topic.get(topic.slug, [])) for topic in config.topics]


def year_archives(posts: list[Post]) -> list[YearArchive]:
    by_year: dict[int, list[StoryLink]] = defaultdict(list)
    for post in posts:
        by_year[post.year].append(StoryLink(post.url, post.title, post.date, post.is_excerpt))
    return [YearArchive(year, by_year[year]) for year in sorted(by_year, reverse=True)]


class _Later(Mapping[str, Any]):
    """A page's context, worked out when first looked at: after an edit most article
    pages keep their last fingerprint (page_inputs) and their contexts are never needed."""

    __slots__ = ("_make", "_of", "_made")

    def __init__(self, make: Callable[[Post], dict[str, Any]], of: Post) -> None:
        self._make, self._of, self._made = make, of, None

    def _context(self) -> dict[str, Any]:
        made = self._made
        if made is None:
            made = self._made = self._make(self._of)
        return made

    def __getitem__(self, key: str) -> Any:
        return self._context()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._context())

    def __len__(self) -> int:
        return len(self._context())

    def items(self) -> ItemsView[str, Any]:
        return self._context().items()

    def values(self) -> ValuesView[Any]:
        return self._context().values()

    def __reduce__(self) -> tuple[type[dict[str, Any]], tuple[dict[str, Any]]]:
        # Where workers are started afresh rather than forked, routes are pickled: as the context itself.
        return dict, (self._context(),)


def reset_contexts(routes: list[Route]) -> None:
    """Let every article page's context be worked out again when next looked at: for a
    plan kept for another build (see plan.py), whose posts' related stories may change."""
    for route in routes:
        context = route.context
        if type(context) is _Later:
            context._made = None


def plan_routes(posts: list[Post], series: list[Series], pages: dict[str, Page], config: SiteConfig) -> list[Route]:
    """Every HTML page of the site. `posts` are the published ones, newest first."""
    articles = [p for p in posts if not p.is_excerpt]
    routes: list[Route] = []
    for chunk, pagination in paginate(articles, config.posts_per_page, "/"):
        routes.append(Route(pagination.url_of(pagination.number), "home.html",
                            {"posts": chunk, "pagination": pagination,
                             "lead": chunk[0] if pagination.number == 1 and chunk else None}))
    by_slug = {p.slug: p for p in posts}
    charted: dict[int, list[Series]] = defaultdict(list)   # post (by id) → the series it is a point of, in order
    for chart in series:
        for shown in dict.fromkeys(id(point.post) for point in chart.points):   # once each, however many points
            charted[shown].append(chart)
    by_title: dict[str, str] = {}

    def article(post: Post) -> dict[str, Any]:
        if post.related_stories and not by_title:
            by_title.update((title_key(p.title), p.slug) for p in posts)
        return {"post": post, "related": [by_slug[slug] for slug in post.related if slug in by_slug],
                "listed": [by_slug[slug] for slug in listed_slugs(post, by_title)] if post.related_stories else [],
                "listed_by": by_slug.get(post.listed_by or ""), "charts": charted.get(id(post), [])}

    routes += [Route(post.url, "article.html", _Later(article, post)) for post in posts]
    listings = topic_listings(posts, config)
    routes.append(Route("/topics/", "topics.html", {"listings": listings}))
    for listing in listings:
        for chunk, pagination in paginate(listing.posts, config.posts_per_page, listing.url):
            # A page is given what it shows, this page's slice of the listing, so that
            # an edit elsewhere in the topic does not count as a change to it.
            routes.append(Route(pagination.url_of(pagination.number), "topic.html",
                                {"listing": TopicListing(listing.topic, chunk), "posts": chunk,
                                 "pagination": pagination}))
    groups = figure_groups(posts, config)
    nav = [FigureGroup(group.topic, [], group.count) for group in groups]  # what the topic menu shows
    routes.append(Route("/figures/", "figures.html", {
        "groups": [FigureGroup(g.topic, g.entries[:FIGURES_ON_INDEX], g.count) for g in groups],
        "all_groups": nav, "charts": series, "current": None, "pagination": None}))
    for group, menu_entry in zip(groups, nav):
        charts = [s for s in series if group.topic and any(p.figure.topic == group.topic.slug for p in s.points)]
        for chunk, pagination in paginate(group.entries, FIGURES_PER_PAGE, group.url):
            routes.append(Route(pagination.url_of(pagination.number), "figures.html", {
                "groups": [FigureGroup(group.topic, chunk, group.count)], "all_groups": nav,
                "current": menu_entry, "charts": charts if pagination.number == 1 else [],
                "pagination": pagination}))
    archives = year_archives(posts)
    routes.append(Route("/archive/", "archive.html", {"archives": archives}))
    for archive in archives:
        routes.append(Route(archive.url, "archive-year.html", {"archive": archive,
                                                                "years": [other.year for other in archives]}))
    for slug, page in sorted(pages.items()):
        if slug == "enquiry":
            continue  # the enquiry introduction is part of the enquiry page
        routes.append(Route(f"/{slug}/", "page.html", {"page": page}))
    routes.append(Route("/enquiry/", "enquiry.html", {"intro": pages.get("enquiry")}))
    routes.append(Route("/search/", "search.html", {"listings": listings, "archives": archives}, in_sitemap=False))
    routes.append(Route("/404.html", "404.html", {}, in_sitemap=False))
    return routes


def navigation_warnings(config: SiteConfig, page_urls: Collection[str]) -> list[Warning_]:
    """A warning for each navigation link to a page of this site (an address ending in
    "/") that the site does not make (`page_urls`: its routes' URLs): it would be a
    broken link on every page."""
    return [Warning_(config.source, f"navigation[{i}] links to {link.url}, which is not a page of this site",
                     line=link.line)
            for i, link in enumerate(config.navigation)
            if link.url.startswith("/") and not link.url.startswith("//")
            and (path := urlsplit(link.url).path).endswith("/") and path not in page_urls]
