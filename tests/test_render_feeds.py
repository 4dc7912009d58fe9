"""Feeds parsed with feedparser: valid, complete, stable ids, dates from content, links that resolve."""
from __future__ import annotations

import time
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import pytest

BASE = "https://fixture.example.test"


def parse(out: Path, name: str) -> feedparser.FeedParserDict:
    feed = feedparser.parse((out / name).read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


def target(out: Path, link: str) -> Path:
    parts = urlsplit(link)
    assert f"{parts.scheme}://{parts.netloc}" == BASE, link
    return out / parts.path.lstrip("/") / "index.html"


@pytest.mark.parametrize("name,version", [("feed.xml", "rss20"), ("atom.xml", "atom10")])
def test_site_feed(built_site, name, version):
    out, _ = built_site
    feed = parse(out, name)
    assert feed.version == version
    assert feed.feed.title == "Test Children First"
    entries = feed.entries
    assert len(entries) == 15  # every published full article; excerpts are not feed items
    ids = [e.id for e in entries]
    assert len(set(ids)) == len(ids)
    dates = [e.published_parsed for e in entries]
    assert dates == sorted(dates, reverse=True)
    newest = entries[0]
    assert newest.title == "Story number 12 about education"
    assert time.strftime("%Y-%m-%d", newest.published_parsed) == "2024-12-10"
    for entry in entries:
        assert entry.link.startswith(BASE)
        assert target(out, entry.link).is_file(), entry.link
        assert entry.id == entry.link  # the permalink is the stable id: slugs never change
        assert entry.content[0].value.strip().startswith("<")
    self_links = [link.href for link in feed.feed.links if link.rel == "self"]
    assert self_links == [f"{BASE}/{name}"]


def test_feed_content_is_full_article_html(built_site):
    out, _ = built_site
    feed = parse(out, "feed.xml")
    instagram = next(e for e in feed.entries if e.title == "Instagram increasingly used to groom children")
    html = instagram.content[0].value
    assert html.count("<li>") == 10
    assert "<script" not in html
    assert instagram.summary.startswith("Instagram is increasingly")


def test_feed_dates_come_from_content_not_the_clock(built_site):
    out, _ = built_site
    rss = (out / "feed.xml").read_text(encoding="utf-8")
    assert "<lastBuildDate>Tue, 10 Dec 2024 00:00:00 +0000</lastBuildDate>" in rss.replace("\n", "")


def test_topic_feeds(built_site):
    out, _ = built_site
    for slug in ("online-safety", "child-protection", "education"):
        for name in ("feed.xml", "atom.xml"):
            feed = parse(out, f"topics/{slug}/{name}")
            assert feed.entries, (slug, name)
            for entry in feed.entries:
                assert target(out, entry.link).is_file()
    education = parse(out, "topics/education/feed.xml")
    assert {e.title for e in education.entries} == {f"Story number {m} about education" for m in (3, 6, 9, 12)}
