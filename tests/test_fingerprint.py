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


def test_a_post_changes_after_reading_only_in_its_enriched_fields(tmp_path):
    """Pages fingerprint a post read from a source as its read digest plus Post.ENRICHED:
    were enrichment to set any other field, an edit to it would leave pages stale."""
    import pickle

    from childfirst_site.cache import Cache, loads
    from childfirst_site.enrich import enrich
    from childfirst_site.sources.batch import read_all
    from childfirst_site.sources.loader import load_content
    from conftest import ROOT

    cache = Cache.open(tmp_path / "sources", "salt")
    loaded = load_content(ROOT / "content", lambda jobs, config: read_all(jobs, config, cache, 1))
    as_read = {bytes.fromhex(key): stored for key, stored in cache.used.items()}
    enriched = enrich(loaded.posts, loaded.config, prepared=True).posts
    checked = 0
    for post in enriched:
        if not post.read_digest:
            continue  # made by enrichment (teasers): fingerprinted whole
        before = loads(as_read[post.read_digest]).post
        for name in Post.ENRICHED:
            setattr(before, name, getattr(post, name))
        before.read_digest = post.read_digest
        changed = [field.name for field in dataclasses.fields(Post)
                   if pickle.dumps(getattr(before, field.name)) != pickle.dumps(getattr(post, field.name))]
        assert changed == [], post.source
        checked += 1
    assert checked == len(loaded.posts) > 0
    assert any(post.related for post in enriched)  # the enriched fields were set


def test_posts_with_a_read_digest_fingerprint_by_it_and_their_enriched_fields():
    post, other = posts(2)
    post.read_digest = other.read_digest = b"read"
    assert Fingerprinter("s").digest(post) == Fingerprinter("s").digest(other)
    other.related = ["somewhere-else"]
    assert Fingerprinter("s").digest(post) != Fingerprinter("s").digest(other)
    other.related, other.read_digest = post.related, b"read again"
    assert Fingerprinter("s").digest(post) != Fingerprinter("s").digest(other)


def test_a_figure_shown_with_its_post_stands_for_itself_by_place():
    from childfirst_site.model import Figure, PostFigure
    post, other = posts(2)
    first = Figure(value="37%", number=37, unit="percent", qualifier=None, label="of children",
                   sentence="37% of children.")
    second = first._replace(value="12%", number=12, sentence="12% of children.")
    post.stats = [first, second]
    shown = {"entries": [PostFigure(post, first), PostFigure(post, second)]}
    assert mark(shown) == mark({"entries": [PostFigure(post, first), PostFigure(post, second)]})
    assert mark(shown) != mark({"entries": [PostFigure(post, second), PostFigure(post, first)]})
    # A figure that is not one of its post's own is compared by its fields, not its place.
    stray = PostFigure(post, second._replace(value="13%"))
    assert mark({"entries": [stray]}) != mark({"entries": [PostFigure(post, second)]})
    changed = dataclasses.replace(post, stats=[first, second._replace(value="13%")])
    assert mark(shown) != mark({"entries": [PostFigure(changed, changed.stats[0]), PostFigure(changed, changed.stats[1])]})
    # Its place, where given, is only a shortcut: given, missing or wrong, the same mark.
    placed = {"entries": [PostFigure(post, first, 0), PostFigure(post, second, 1)]}
    assert mark(placed) == mark(shown) == mark({"entries": [PostFigure(post, first, 1), PostFigure(post, second, 7)]})


def test_blocks_travel_packed_and_read_back_the_same():
    import pickle

    from childfirst_site.model import Block, PackedBlocks
    [post] = posts(1)
    post.blocks = [Block("paragraph", ("One.",)), Block("list", ("a", "b"), ordered=True)]
    again = pickle.loads(pickle.dumps(post))
    assert isinstance(again.blocks, PackedBlocks)
    assert again.blocks == post.blocks and list(again.blocks) == post.blocks and again == post
    assert again.blocks[1].lines == ("a", "b") and len(again.blocks) == 2 and again.list_items == ["a", "b"]
    assert again.word_count == post.word_count
    assert pickle.loads(pickle.dumps(again)).blocks == post.blocks   # still packed, same bytes
    assert pickle.dumps(again) == pickle.dumps(post)


def test_every_field_of_a_listing_counts_and_its_posts_by_their_digests():
    from childfirst_site.model import Figure, PostFigure, Topic
    from childfirst_site.routes import FigureGroup, TopicListing, YearArchive
    items = posts(3)
    figure = Figure(value="37%", number=37, unit="percent", qualifier=None, label="of children", sentence="37%.")
    items[0].stats = [figure]
    topic = Topic("Education", "education", "Schools")

    def page(**changes: object) -> str:
        values = {"topic": topic, "posts": items, "count": 1, "year": 2024, "shown": items[0], **changes}
        return mark({"listing": TopicListing(values["topic"], values["posts"]),
                     "group": FigureGroup(values["topic"], [PostFigure(values["shown"], values["shown"].stats[0])],
                                          values["count"]),
                     "archive": YearArchive(values["year"], values["posts"])})

    assert page() == page()
    renamed = dataclasses.replace(items[2], title="Renamed")
    other = dataclasses.replace(items[0], summary="Another summary")
    for changed in ({"topic": dataclasses.replace(topic, description="Colleges")}, {"posts": [*items[:2], renamed]},
                    {"count": 2}, {"year": 2023}, {"shown": other}):
        assert page(**changed) != page(), changed


def test_a_years_archive_changes_with_what_it_shows_not_with_related_stories():
    """A year's page lists thousands of stories by link, title and date: a story's related
    list moving (as after an edit elsewhere) leaves it as it was; a title does not."""
    from childfirst_site.routes import year_archives

    def year_mark(items: list[Post]) -> str:
        archive = year_archives(items)[0]
        return Fingerprinter("salt").route(archive.url, "archive-year.html", {"archive": archive, "years": [2024]})

    items = posts(200)
    before = year_mark(items)
    items[7].related, items[7].related_reasons = ["story-9"], {"story-9": "Also about: schools"}
    assert year_mark(items) == before
    items[7].title = "A retitled story"
    assert year_mark(items) != before
