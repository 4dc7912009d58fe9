"""Teaser posts from related blocks: one per title across sources, dates inferred and marked."""
from __future__ import annotations

import datetime as dt

from childfirst_site.enrich.teasers import make_teaser_posts
from childfirst_site.model import Post, PostKind, RelatedStory


def source_post(source: str, title: str, date: dt.date, stories: list[RelatedStory]) -> Post:
    return Post(source=source, kind=PostKind.AGGREGATED, title=title, slug=title.lower().replace(" ", "-"),
                date=date, related_stories=stories)


def test_teasers_dedupe_by_title_and_skip_existing_posts():
    a = source_post("a.txt", "Page A", dt.date(2021, 1, 1), [
        RelatedStory("Shared story", None, "Teaser one"),
        RelatedStory("Page B", None, "Already a post"),
    ])
    b = source_post("b.txt", "Page B", dt.date(2022, 5, 5), [
        RelatedStory("Shared ‘story’".replace("‘", "").replace("’", ""), dt.date(2022, 5, 1), "Teaser again"),
        RelatedStory("Only in B", None, "Its teaser"),
    ])
    teasers = {t.title: t for t in make_teaser_posts([b, a])}
    assert set(teasers) == {"Shared story", "Only in B"}
    shared = teasers["Shared story"]
    # First listed (by source path) without a date; a later listing gives the real date.
    assert shared.date == dt.date(2022, 5, 1) and not shared.date_inferred
    only_b = teasers["Only in B"]
    assert only_b.date == dt.date(2022, 5, 5) and only_b.date_inferred
    assert only_b.is_excerpt and only_b.kind is PostKind.TEASER
    assert only_b.summary == "Its teaser" and only_b.listed_by == "page-b"


def test_teaser_slugs_never_collide_with_posts():
    a = source_post("a.txt", "Page A", dt.date(2021, 1, 1), [RelatedStory("Page A!", None, "x")])
    teasers = make_teaser_posts([a])
    assert [t.slug for t in teasers] == ["page-a-2"]
