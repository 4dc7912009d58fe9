"""Topics for posts whose editor gave none, from the keywords declared in site.yaml."""
from __future__ import annotations

import functools
import re

from ..model import Post, Topic

MAX_AUTO_TOPICS = 2


@functools.lru_cache(maxsize=4096)
def _pattern(keyword: str) -> re.Pattern[str]:
    return re.compile(r"\b" + re.escape(keyword) + r"\b", re.IGNORECASE)


def assign_topics(posts: list[Post], topics: tuple[Topic, ...]) -> None:
    """Give each untagged post the topics whose keywords it mentions most (title counts double)."""
    patterns = [(topic, [_pattern(k) for k in topic.keywords]) for topic in topics]
    for post in posts:
        if post.topics:
            continue
        body = " ".join(line for block in post.blocks for line in block.lines)
        scores = []
        for topic, keyword_patterns in patterns:
            score = sum(2 * len(p.findall(post.title)) + len(p.findall(body)) for p in keyword_patterns)
            if score:
                scores.append((-score, topic.slug))
        post.topics = [slug for _, slug in sorted(scores)[:MAX_AUTO_TOPICS]]
