"""Related posts for each article: pinned ones first, then the stories its source page
listed, then posts sharing the most topics (newest first)."""
from __future__ import annotations

from ..errors import Warning_
from ..model import Post
from .titles import title_key


def pick_related(posts: list[Post], count: int) -> list[Warning_]:
    warnings: list[Warning_] = []
    by_slug = {p.slug: p for p in posts}
    by_title = {title_key(p.title): p.slug for p in posts}
    for post in posts:
        chosen: list[str] = []

        def take(slug: str) -> None:
            if slug != post.slug and slug not in chosen and slug in by_slug and not by_slug[slug].draft:
                chosen.append(slug)

        for slug in post.pinned_related:
            if slug not in by_slug:
                warnings.append(Warning_(post.source, f"related post '{slug}' does not exist"))
            take(slug)
        for story in post.related_stories:
            slug = by_title.get(title_key(story.title))
            if slug:
                take(slug)
        candidates = sorted(
            (p for p in posts if p.slug != post.slug and set(p.topics) & set(post.topics)),
            key=lambda p: (-len(set(p.topics) & set(post.topics)), p.is_excerpt, -p.date.toordinal(), p.slug))
        for candidate in candidates:
            if len(chosen) >= max(count, len(post.pinned_related)):
                break
            take(candidate.slug)
        post.related = chosen[: max(count, len(post.pinned_related), len(post.related_stories))]
    return warnings
