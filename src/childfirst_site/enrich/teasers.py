"""Every story named in a "Knowledge & Resources" block becomes a teaser post, so the
related links on a page resolve inside the site."""
from __future__ import annotations

from ..model import Block, Post, PostKind
from ..slugs import slugify
from ..sources.blocks_html import blocks_to_html
from .titles import title_key


def make_teaser_posts(posts: list[Post]) -> list[Post]:
    """Teasers for related stories that are not already posts, one per title.

    Sources are visited in path order so the same content always gives the same
    teasers; a later listing with a real date replaces an inferred one.
    """
    known_titles = {title_key(p.title) for p in posts}
    taken_slugs = {p.slug for p in posts}
    teasers: dict[str, Post] = {}
    for post in sorted(posts, key=lambda p: p.source):
        for story in post.related_stories:
            key = title_key(story.title)
            if key in known_titles:
                continue
            existing = teasers.get(key)
            if existing is not None:
                if existing.date_inferred and story.date is not None:
                    existing.date, existing.date_inferred = story.date, False
                continue
            base = slug = slugify(story.title)
            suffix = 2
            while slug in taken_slugs:
                slug, suffix = f"{base}-{suffix}", suffix + 1
            taken_slugs.add(slug)
            paragraphs = [part for part in story.teaser.split("\n\n") if part]
            blocks = [Block("paragraph", (part,)) for part in paragraphs]
            # The publisher cut the teaser mid-sentence; say so on the page.
            shown = [*paragraphs[:-1], f"{paragraphs[-1]} …"] if paragraphs else []
            teasers[key] = Post(
                source=post.source, kind=PostKind.TEASER, title=story.title, slug=slug,
                date=story.date or post.date, date_inferred=story.date is None,
                author=story.extra if story.extra and "," in story.extra else None,
                summary=" ".join(story.teaser.split()), blocks=blocks,
                body_html=blocks_to_html([Block("paragraph", (part,)) for part in shown]),
                listed_by=post.slug, draft=post.draft,
            )
    return list(teasers.values())
