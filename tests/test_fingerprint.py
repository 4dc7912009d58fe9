"""Page fingerprints: the same inputs give the same fingerprint in any build; any change
to anything a page is given, however deep in a shared list, gives another."""
from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from childfirst_site.fingerprint import Fingerprinter
from childfirst_site.model import Post, PostKind
from childfirst_site.routes import Pagination


def posts(count: int) -> list[Post]:
    return [Post(source=f"p{i}.md", kind=PostKind.ARTICLE, title=f"Story {i}", slug=f"story-{i}",
                 date=dt.date(2024, 1, 1) + dt.timedelta(days=i), topics=["education"]) for i in range(count)]


def context(items: list[Post]) -> dict[str, object]:
    return {"posts": items, "pagination": Pagination(1, 2, "/"), "lead": items[0], "pairs": [(p, p.slug) for p in items]}


def mark(ctx: dict[str, object]) -> str:
    return Fingerprinter("salt").route("/", "home.html", ctx)


@pytest.mark.parametrize("count", [3, 200])   # short lists, and long ones digested once and shared
def test_equal_inputs_equal_fingerprints_and_any_change_shows(count):
    assert mark(context(posts(count))) == mark(context(posts(count)))
    changed = posts(count)
    changed[-1] = dataclasses.replace(changed[-1], title="Another title")
    assert mark(context(changed)) != mark(context(posts(count)))
    reordered = posts(count)
    reordered[0], reordered[1] = reordered[1], reordered[0]
    assert mark(context(reordered)) != mark(context(posts(count)))
    assert mark({**context(posts(count)), "pagination": Pagination(2, 2, "/")}) != mark(context(posts(count)))
    shorter = posts(count)[:-1]
    assert mark(context(shorter)) != mark(context(posts(count)))


def test_one_fingerprinter_shares_digests_between_pages_without_mixing_them_up():
    fingerprinter = Fingerprinter("salt")
    everything = posts(200)
    first = fingerprinter.route("/a/", "home.html", {"posts": everything})
    again = fingerprinter.route("/a/", "home.html", {"posts": everything})
    other = fingerprinter.route("/a/", "home.html", {"posts": everything[:100]})
    as_tuple = fingerprinter.route("/a/", "home.html", {"posts": tuple(everything)})
    assert first == again and len({first, other, as_tuple}) == 3


def test_listings_shared_by_pages_still_show_any_change_to_their_posts():
    from childfirst_site.model import Topic
    from childfirst_site.routes import TopicListing

    topic = Topic("Education", "education", "")

    def listing_mark(items: list[Post]) -> str:
        listing = TopicListing(topic, items)
        return Fingerprinter("salt").route("/topics/education/", "topic.html",
                                           {"listing": listing, "posts": items[:10], "pairs": ((listing, 1),)})

    assert listing_mark(posts(200)) == listing_mark(posts(200))
    changed = posts(200)
    changed[150] = dataclasses.replace(changed[150], summary="A new summary")
    assert listing_mark(changed) != listing_mark(posts(200))
