"""RSS 2.0 and Atom feeds with feedgen: full content, stable ids, dates from content only."""
from __future__ import annotations

import datetime as dt

from feedgen.feed import FeedGenerator

from ..config import SiteConfig
from ..links import under
from ..model import Post
from .templates import absolute_url


def _moment(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc)


def _generator(posts: list[Post], config: SiteConfig, page_url: str, title: str, description: str,
               content_type: str) -> FeedGenerator:
    fg = FeedGenerator()
    fg.id(absolute_url(config, page_url))
    fg.title(title)
    fg.description(description or config.tagline or title)
    fg.subtitle(description or config.tagline or title)
    fg.language(config.language)
    fg.author({"name": config.publisher.name, "email": config.publisher.email})
    fg.link(href=absolute_url(config, page_url), rel="alternate")
    fg.generator("childfirst-site")
    # A feed's own date is its newest item's, so an unchanged archive gives an unchanged feed.
    newest = max((p.updated or p.date for p in posts), default=dt.date(2000, 1, 1))
    fg.lastBuildDate(_moment(newest))
    fg.updated(_moment(newest))
    origin = config.base_url[: len(config.base_url) - len(config.base_path)]   # scheme and host
    for post in posts[: config.feeds.items]:
        url = absolute_url(config, post.url)
        entry = fg.add_entry(order="append")
        entry.id(url)
        entry.guid(url, permalink=True)
        entry.title(post.title)
        entry.link(href=url, rel="alternate")
        entry.published(_moment(post.date))
        entry.updated(_moment(post.updated or post.date))
        entry.author({"name": post.author.removeprefix("By ").strip() if post.author else config.publisher.name})
        for slug in post.topics:
            entry.category(term=config.topic(slug).name)
        entry.description(post.summary)
        if config.feeds.full_content:
            # Absolute: a feed reader shows the body away from the site, where "/about/" is no address.
            entry.content(under(post.body_html, config.base_url.rstrip("/"), config.base_path, origin),
                          type=content_type)
    return fg


def feed_pair(posts: list[Post], config: SiteConfig, feed_dir: str, page_url: str,
              title: str, description: str) -> tuple[bytes, bytes]:
    """(RSS, Atom) for `posts`, newest first; feed_dir is "" for the site or a topic URL.

    RSS carries the article HTML in a CDATA section of content:encoded; Atom requires
    type="html" (escaped), so each format gets its own generator."""
    rss_url = absolute_url(config, f"{feed_dir}feed.xml" if feed_dir else "/feed.xml")
    atom_url = absolute_url(config, f"{feed_dir}atom.xml" if feed_dir else "/atom.xml")
    rss = _generator(posts, config, page_url, title, description, "CDATA")
    rss.link(href=rss_url, rel="self")
    atom = _generator(posts, config, page_url, title, description, "html")
    atom.link(href=atom_url, rel="self")
    return rss.rss_str(pretty=True), atom.atom_str(pretty=True)
