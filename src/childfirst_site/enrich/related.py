"""Related posts for each article: pinned ones first, then posts sharing the most topics
(full articles before excerpts, newest first, then by slug so ties are stable).

The stories a raw page listed in its own "Knowledge & Resources" block are the
publisher's latest news at capture time, not a judgement of relevance, so they are
shown apart (see `listed_slugs`) rather than ranked here."""
from __future__ import annotations

from ..errors import Warning_
from ..model import Post
from .titles import title_key


def listed_slugs(post: Post, by_title: dict[str, str]) -> list[str]:
    """Slugs of the stories the post's source page listed, in page order."""
    slugs = (by_title.get(title_key(story.title)) for story in post.related_stories)
    return [slug for slug in slugs if slug and slug != post.slug]


def pick_related(posts: list[Post], count: int) -> list[Warning_]:
    warnings: list[Warning_] = []
    by_slug = {p.slug: p for p in posts}
    for post in posts:
        chosen: list[str] = []
        for slug in post.pinned_related:
            if slug not in by_slug:
                warnings.append(Warning_(post.source, f"related post '{slug}' does not exist (or is a draft)"))
            elif slug != post.slug and slug not in chosen:
                chosen.append(slug)
        mine = set(post.topics)
        candidates = sorted(
            (p for p in posts if p.slug != post.slug and p.slug not in chosen and mine & set(p.topics)),
            key=lambda p: (-len(mine & set(p.topics)), p.is_excerpt, -p.date.toordinal(), p.slug))
        chosen.extend(p.slug for p in candidates[: max(0, count - len(chosen))])
        post.related = chosen
    return warnings
