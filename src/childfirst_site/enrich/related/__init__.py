"""Related posts, as an editor would pick them: by what the stories are about.

Each post is scored against every other as a weighted sum of
- text similarity: cosine of TF-IDF vectors of title (×3), summary (×2) and body terms;
- shared topics: cosine of topic vectors;
- shared organisations and platforms: cosine of IDF-weighted entity vectors;
times `excerpt_weight` for a teaser (known by its first lines only, so weaker evidence),
plus a small preference for recent posts that only breaks near-ties. Posts below the
minimum score are left out: fewer links rather than unrelated ones.

All pairs are scored with sparse matrix products, a block of rows at a time, so 10,000
posts take seconds and bounded memory; there is no loop over pairs in Python.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

from ...config import SiteConfig
from ...errors import Warning_
from ...model import Post, RelatedScores
from ...workers import ordered_map
from .entities import entity_pattern, post_entities
from .terms import TermCounter, encode_counts, terms

BLOCK_ROWS = 128  # rows of scores held dense at once: bounds memory; smaller is no faster
MAX_TERMS_PER_POST = 50   # the strongest terms say what a post is about; the tail only costs time
COMMON_TERM_SHARE = 0.5   # in archives of 50+ posts, terms in over half of them carry no signal
SCORE_DECIMALS = 4
PARALLEL_BLOCKS = 8       # fewer blocks than this are scored in the build's own process


def _normalise(matrix: sparse.csr_matrix) -> sparse.csr_matrix:
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sparse.diags((1.0 / norms).astype(np.float32)) @ matrix


def _keep_strongest(matrix: sparse.csr_matrix, per_row: int) -> sparse.csr_matrix:
    matrix = matrix.tocsr()
    data, indices, indptr = matrix.data, matrix.indices, matrix.indptr
    keep = np.ones(len(data), dtype=bool)
    for row in range(matrix.shape[0]):
        start, end = indptr[row], indptr[row + 1]
        if end - start > per_row:
            weakest = np.argpartition(data[start:end], end - start - per_row)[: end - start - per_row]
            keep[start + weakest] = False
    rows = np.repeat(np.arange(matrix.shape[0]), np.diff(indptr))
    return sparse.csr_matrix((data[keep], (rows[keep], indices[keep])), shape=matrix.shape)


def post_text(post: Post) -> str:
    return " ".join(line for block in post.blocks for line in block.lines)


_COUNTER = TermCounter()  # per process: it remembers how each distinct token cleans up


def add_related_features(post: Post, config: SiteConfig) -> None:
    """Fill the post's own inputs to scoring: its terms and the names it mentions."""
    body = post_text(post)
    counts = _COUNTER.counts(body)
    _COUNTER.counts(post.title, 3, into=counts)
    _COUNTER.counts(post.summary, 2, into=counts)
    post.related_terms = encode_counts(counts)
    post.entities = tuple(sorted(post_entities(post, f"{post.title} {post.summary} {body}",
                                               entity_pattern(config.related.entities))))


def _text_matrix(posts: list[Post]) -> sparse.csr_matrix:
    n = len(posts)
    keys = np.frombuffer(b"".join(p.related_terms[0] for p in posts), dtype="<i8")
    counts = np.frombuffer(b"".join(p.related_terms[1] for p in posts), dtype="<i4")
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum([len(p.related_terms[1]) // 4 for p in posts], out=indptr[1:])
    # Columns in key order: each post's keys are sorted, so its row's columns are too.
    vocabulary, columns = np.unique(keys, return_inverse=True)
    weights = 1.0 + np.log(counts.astype(np.float32))
    matrix = sparse.csr_matrix((weights, columns.astype(np.int32), indptr), shape=(n, len(vocabulary)))
    df = np.bincount(matrix.indices, minlength=len(vocabulary))
    idf = (np.log((n + 1) / (df + 1)) + 1.0).astype(np.float32)
    useful = df > 1
    if n >= 50:
        useful &= df <= COMMON_TERM_SHARE * n
    matrix = matrix @ sparse.diags(idf * useful)
    matrix.eliminate_zeros()
    return _normalise(_keep_strongest(matrix, MAX_TERMS_PER_POST))


def _label_matrix(labels: list[set[str]], weighted: bool) -> tuple[sparse.csr_matrix, list[str], np.ndarray]:
    names = sorted({name for row in labels for name in row})
    column = {name: j for j, name in enumerate(names)}
    rows = [i for i, row in enumerate(labels) for _ in row]
    cols = [column[name] for row in labels for name in sorted(row)]
    matrix = sparse.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(len(labels), len(names)))
    df = np.bincount(matrix.indices, minlength=len(names))
    idf = (np.log((len(labels) + 1) / (df + 1)) + 1.0).astype(np.float32) if weighted \
        else np.ones(len(names), dtype=np.float32)
    return _normalise(matrix @ sparse.diags(idf)), names, idf


def _reason(post: Post, other: Post, entities: list[set[str]], i: int, j: int, entity_idf: dict[str, float],
            config: SiteConfig) -> str:
    shared_topics = [config.topic(t).name for t in post.topics if t in other.topics]
    shared_entities = sorted(entities[i] & entities[j], key=lambda e: (-entity_idf.get(e, 0), e))
    parts = [*shared_topics[:2], *shared_entities[: 3 - min(len(shared_topics), 2)]]
    if not parts:
        common = sorted(set(terms(post.title)) & set(terms(other.title + " " + other.summary)))
        parts = common[:2]
    return "Also about: " + ", ".join(parts) if parts else "Similar subject"


@dataclass
class _Scoring:
    """Everything scoring a block of rows needs: built once, shared with the workers."""

    posts: list[Post]
    config: SiteConfig
    index: dict[str, int]
    text: sparse.csr_matrix
    topics: sparse.csr_matrix
    entity_matrix: sparse.csr_matrix
    entities: list[set[str]]
    entity_idf: dict[str, float]
    recency: np.ndarray
    ordinals: np.ndarray
    evidence: np.ndarray
    text_t: sparse.csr_matrix = field(init=False)
    topics_t: sparse.csr_matrix = field(init=False)
    entities_t: sparse.csr_matrix = field(init=False)

    def __post_init__(self) -> None:
        self.text_t, self.topics_t = self.text.T.tocsr(), self.topics.T.tocsr()
        self.entities_t = self.entity_matrix.T.tocsr()


Picked = tuple[list[str], dict[str, float], dict[str, str], list[Warning_]]   # related, scores, reasons, warnings

_STATE: _Scoring | None = None   # set in the parent before forking, or in each spawned worker


def _set_state(state: _Scoring) -> None:
    global _STATE
    _STATE = state


def _score_blocks(starts: Sequence[int]) -> list[Picked]:
    assert _STATE is not None
    return [picked for start in starts for picked in _score_block(_STATE, start)]


def _score_block(state: _Scoring, start: int) -> list[Picked]:
    """What each post of rows start … start+BLOCK_ROWS is related to."""
    posts, index, settings = state.posts, state.index, state.config.related
    n = len(posts)
    stop = min(start + BLOCK_ROWS, n)
    content = (settings.text_weight * (state.text[start:stop] @ state.text_t).toarray()
               + settings.topic_weight * (state.topics[start:stop] @ state.topics_t).toarray()
               + settings.entity_weight * (state.entity_matrix[start:stop] @ state.entities_t).toarray())
    content *= state.evidence[None, :] * state.evidence[start:stop, None]
    ranking = content + settings.recency_weight * state.recency[None, :]
    rows = np.arange(stop - start)
    ranking[rows, rows + start] = -np.inf
    k = min(n - 1, settings.count + 8)
    block_candidates = np.argpartition(-ranking, k - 1, axis=1)[:, :k] if 0 < k < n - 1 else None
    picked: list[Picked] = []
    for offset in rows:
        i = start + offset
        post = posts[i]
        warnings: list[Warning_] = []
        if n == 1:
            picked.append(([], {}, {}, warnings))
            continue
        excluded = {index[s] for s in post.not_related if s in index}
        if block_candidates is None:
            candidates = np.arange(n)
        elif excluded:
            extra = min(n - 1, k + len(excluded))
            candidates = np.argpartition(-ranking[offset], extra - 1)[:extra] if extra < n - 1 else np.arange(n)
        else:
            candidates = block_candidates[offset]
        ordered = sorted((int(j) for j in candidates if j != i and j not in excluded),
                         key=lambda j: (-round(float(ranking[offset, j]), 6), -state.ordinals[j], posts[j].slug))
        chosen: list[str] = []
        scores: dict[str, float] = {}
        reasons: dict[str, str] = {}
        for slug in post.pinned_related:
            if slug not in index:
                warnings.append(Warning_(post.source, f"related post '{slug}' does not exist (or is a draft)"))
            elif slug != post.slug and slug not in chosen:
                chosen.append(slug)
                scores[slug] = round(float(content[offset, index[slug]]), SCORE_DECIMALS)
                reasons[slug] = "Chosen by the editor"
        for j in ordered:
            if len(chosen) >= max(settings.count, len(post.pinned_related)):
                break
            score = float(content[offset, j])
            if score < settings.min_score or posts[j].slug in chosen:
                continue
            chosen.append(posts[j].slug)
            scores[posts[j].slug] = round(score, SCORE_DECIMALS)
            reasons[posts[j].slug] = _reason(post, posts[j], state.entities, i, j, state.entity_idf, state.config)
        picked.append((chosen, scores, reasons, warnings))
    return picked


def pick_related(posts: list[Post], config: SiteConfig, workers: int = 1) -> tuple[list[Warning_], RelatedScores]:
    """Fill `related` and `related_reasons` on every post; return warnings and the scores.
    Blocks of rows are scored in `workers` processes for a large archive."""
    global _STATE
    n = len(posts)
    if n == 0:
        return [], {}
    for post in posts:
        if not post.related_terms[0]:  # not read through the build (teasers, benchmarks, tests)
            add_related_features(post, config)
    topics, _, _ = _label_matrix([set(p.topics) for p in posts], weighted=False)
    entities = [set(p.entities) for p in posts]
    entity_matrix, entity_names, idf = _label_matrix(entities, weighted=True)
    newest = max(p.date for p in posts)
    state = _Scoring(
        posts=posts, config=config, index={p.slug: i for i, p in enumerate(posts)}, text=_text_matrix(posts),
        topics=topics, entity_matrix=entity_matrix, entities=entities,
        entity_idf=dict(zip(entity_names, idf.tolist())),
        recency=np.array([1.0 / (1.0 + (newest - p.date).days / 365.0) for p in posts], dtype=np.float32),
        ordinals=np.array([p.date.toordinal() for p in posts]),
        evidence=np.array([config.related.excerpt_weight if p.is_excerpt else 1.0 for p in posts], dtype=np.float32))
    try:
        results = ordered_map(_score_blocks, list(range(0, n, BLOCK_ROWS)), workers, _set_state, (state,),
                              min_items=PARALLEL_BLOCKS)
    finally:
        _STATE = None
    warnings: list[Warning_] = []
    all_scores: RelatedScores = {}
    for post, (chosen, scores, reasons, post_warnings) in zip(posts, results, strict=True):
        post.related, post.related_reasons = chosen, reasons
        all_scores[post.slug] = scores
        warnings.extend(post_warnings)
    return warnings, all_scores
