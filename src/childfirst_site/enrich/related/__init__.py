"""Related posts, as an editor would pick them: by what the stories are about.

Each post is scored against every other as a weighted sum of
- text similarity: cosine of TF-IDF vectors of title (×3), summary (×2) and body terms;
- shared topics: cosine of topic vectors;
- shared organisations and platforms: cosine of IDF-weighted entity vectors;
times `excerpt_weight` for a teaser (known by its first lines only, so weaker evidence),
plus a small preference for recent posts that only breaks near-ties. Posts below the
minimum score are left out: fewer links rather than unrelated ones.

All pairs are scored with sparse matrix products, a block of rows at a time, so 10,000
posts take seconds and bounded memory; there is no loop over pairs in Python. (Topics,
whose rows take few distinct values, have the products of those looked up: scoring.py.)
After an edit, only the rows it can change are scored again (memory.py).
"""
from __future__ import annotations

import hashlib
from collections.abc import Collection

import numpy as np

from ...config import SiteConfig
from ...errors import Warning_
from ...model import Post, RelatedScores
from ...workers import ordered_map
from .matrices import add_related_features, label_matrix, post_text, text_matrix
from .memory import RelatedMemory, Rows, post_settings, reason_inputs, rescore
from .scoring import BLOCK_ROWS, Candidates, Picked, Scoring, import_sparse, score_blocks, set_state
from .terms import term_key

__all__ = ["Picked", "RelatedMemory", "add_related_features", "apply_picks", "import_sparse", "pick_related",
           "post_text", "score_related"]

# Fewer blocks than this are scored in the build's own process: forking workers for them
# costs more than it saves (1,000 posts, 8 blocks, in cold builds: 0.26-0.28 s in the
# build's own process, 0.36 s in two workers).
PARALLEL_BLOCKS = 16


def _label_keys(names: list[str]) -> np.ndarray:
    return np.array([term_key(name) for name in names], dtype=np.int64)


def pick_related(posts: list[Post], config: SiteConfig, workers: int = 1, previous: RelatedMemory | None = None,
                 salt: str = "") -> tuple[list[Warning_], RelatedScores, RelatedMemory]:
    """Fill `related` and `related_reasons` on every post; return warnings, the scores,
    and what the next build needs to score again only what an edit changes (`previous`:
    the last build's; `salt`: the code's version). Blocks of rows are scored in
    `workers` processes for a large archive."""
    scored = score_related(posts, config, workers, previous, salt)
    assert scored is not None
    picked, memory = scored
    warnings, scores = apply_picks(posts, picked)
    return warnings, scores, memory


def score_related(posts: list[Post], config: SiteConfig, workers: int = 1, previous: RelatedMemory | None = None,
                  salt: str = "", alone: bool = False) -> tuple[list[Picked], RelatedMemory] | None:
    """Each post's picks, in order, and the memory for next time (see pick_related).
    `alone`: in a process that cannot start workers of its own, None instead of scoring
    every row where that would be done in `workers` processes."""
    n = len(posts)
    for post in posts:
        if not post.related_terms[0]:  # not read through the build (teasers, benchmarks, tests)
            add_related_features(post, config)
    salt = hashlib.sha256(repr((salt, config.related, config.topics)).encode()).hexdigest()
    slugs = [p.slug for p in posts]
    ordinals = np.fromiter([p.date.toordinal() for p in posts], dtype=np.int64, count=n)
    # 1 / (1 + age in years), each in double precision as Python would work it out, then
    # single: the same bits as a loop over the posts, in a tenth of its time.
    recency = (1.0 / (1.0 + (ordinals.max() - ordinals) / 365.0)).astype(np.float32) if n \
        else np.array([], dtype=np.float32)
    evidence = np.array([config.related.excerpt_weight if p.is_excerpt else 1.0 for p in posts], dtype=np.float32)
    spans = [(start, min(start + BLOCK_ROWS, n)) for start in range(0, n, BLOCK_ROWS)]
    cannot_score_all = alone and workers > 1 and len(spans) >= PARALLEL_BLOCKS
    if cannot_score_all and not (previous is not None and previous.alike(
            salt, slugs, ordinals.tobytes(), evidence.tobytes(), recency.tobytes())):
        return None   # every row to score (a post added or redated, the settings changed): told at once
    text, text_keys, text_state = text_matrix(
        posts, previous.text if previous is not None and previous.salt == salt else None)
    topics, topic_names, _ = label_matrix([set(p.topics) for p in posts], weighted=False)
    entities = [set(p.entities) for p in posts]
    entity_matrix, entity_names, idf = label_matrix(entities, weighted=True)
    read = [p.read_digest for p in posts]   # each stands for the post's settings and reason inputs (memory.py)
    state = Scoring(
        posts=posts, config=config, index={slug: i for i, slug in enumerate(slugs)}, text=text,
        topics=topics, entity_matrix=entity_matrix, entities=entities,
        entity_idf=dict(zip(entity_names, idf.tolist())), recency=recency, ordinals=ordinals, evidence=evidence)
    now = RelatedMemory(
        salt=salt,
        slugs=slugs, ordinals=ordinals.tobytes(), evidence=evidence.tobytes(), recency=recency.tobytes(),
        views=(Rows.of(text, text_keys), Rows.of(topics, _label_keys(topic_names)),
               Rows.of(entity_matrix, _label_keys(entity_names))),
        settings=read if all(read) else [post_settings(p) for p in posts],
        reason_inputs=read if all(read) else [reason_inputs(p) for p in posts],
        entity_idf=state.entity_idf, candidates=Candidates.joined([]), picked=[], text=text_state)
    again = rescore(state, previous, now) if previous is not None and n else None
    if again is not None:
        picked, candidates = again
    else:
        if cannot_score_all:
            return None
        state.products()   # made once here, not in each worker
        set_state(state)
        try:
            blocks = ordered_map(score_blocks, spans, workers, set_state, (state,), min_items=PARALLEL_BLOCKS)
        finally:
            set_state(None)
        picked = [row for block_picked, _ in blocks for row in block_picked]
        candidates = Candidates.joined([block_candidates for _, block_candidates in blocks])
    now.candidates, now.picked = candidates, picked
    return picked, now


def apply_picks(posts: list[Post], picked: list[Picked], only: Collection[int] | None = None,
                scores_before: RelatedScores | None = None) -> tuple[list[Warning_], RelatedScores]:
    """Set each post's related stories and their reasons; return the warnings and scores.
    `only`: the posts (by place) to set, the others holding their picks already, whose
    scores are in `scores_before`."""
    if only is None or scores_before is None:
        only, all_scores = range(len(posts)), {}
    else:
        all_scores = dict(scores_before)
    if len(posts) != len(picked):
        raise ValueError("a pick for each post, no more")
    for number in only:
        post, (chosen, scores, reasons, _) = posts[number], picked[number]
        post.related, post.related_reasons = list(chosen), dict(reasons)
        all_scores[post.slug] = scores
    return [warning for *_, post_warnings in picked for warning in post_warnings], all_scores
