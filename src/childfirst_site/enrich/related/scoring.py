"""Scoring posts against each other, a block of rows at a time, and picking each post's
related stories from its row.

A post's picks are the best `count` of the posts eligible for it (a content score of at
least `min_score`, not itself, not excluded by the editor), in order of ranking (score
plus a small preference for recent posts), rounded to six decimals, then newer first,
then by slug. Each row also yields its candidates: every eligible post ranked at or
above the row's floor, which is set just under the lowest of its strongest few. The
picks are always among them, and a later build can tell from them alone whether an
edit elsewhere in the archive changes the picks (see memory.py).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from ...config import SiteConfig
from ...errors import Warning_
from ...model import Post
from .sparse_rows import SparseRows
from .terms import terms

if TYPE_CHECKING:
    from scipy import sparse


def import_sparse() -> None:
    """Import SciPy's sparse matrices (a tenth of a second, all in Python), which scoring
    blocks of rows needs: for a build to do while its workers read, rather than after."""
    from scipy import sparse  # noqa: F401


BLOCK_ROWS = 128            # rows of scores held dense at once: bounds memory; smaller is no faster
EXTRA_CANDIDATES = 8        # candidates kept beyond the picks, so that an edit rarely needs a row scored again
FEW_ROWS = 16              # up to this many rows are scored as every post against them (no SciPy)
SCORE_DECIMALS = 4
RANK_DECIMALS = 6
# Below a row's floor by this much, a ranking cannot round (to RANK_DECIMALS) to the same
# value as one at or above the lowest strong candidate.
FLOOR_MARGIN = 2e-6

Picked = tuple[list[str], dict[str, float], dict[str, str], list[Warning_]]   # related, scores, reasons, warnings


# A view whose rows take at most this many distinct values, and whose products are dense,
# is multiplied out for those rows alone: a post's topics are one of a few dozen sets.
MOST_DISTINCT_ROWS = 1024
DENSE_SHARE = 0.1   # of a product's entries, at least this many nonzero (as estimated)


@dataclass
class Products:
    """One view's products of rows with every row. Where its rows take few distinct values,
    the products of those alone, looked up. For topics, SciPy's product (half its entries
    nonzero) took 0.42-0.46 s of the 3.5-4.0 s of scoring 10,000 posts in one process, and
    looking up takes 0.07 s. Either way the same bits: a product's entry is worked out
    from its two rows alone, whatever rows are beside them."""

    matrix: sparse.csr_matrix | None = None       # the view; with its transpose
    transposed: sparse.csr_matrix | None = None
    of_row: np.ndarray | None = None              # each row's number among the distinct ones
    table: np.ndarray | None = None               # float32: the distinct rows' products

    @classmethod
    def of(cls, view: SparseRows) -> "Products":
        distinct = view.distinct(MOST_DISTINCT_ROWS) if _dense_products(view) else None
        if distinct is None:
            matrix = view.scipy()
            return cls(matrix=matrix, transposed=matrix.T.tocsr())
        of_row, rows = distinct
        shared = rows.scipy()
        return cls(of_row=of_row, table=(shared @ shared.T.tocsr()).toarray())

    def block(self, rows: np.ndarray) -> np.ndarray:
        """Dense float32 (len(rows) × every row)."""
        if self.table is not None and self.of_row is not None:
            return np.take(self.table[self.of_row[rows]], self.of_row, axis=1)
        assert self.matrix is not None and self.transposed is not None
        return (self.matrix[rows] @ self.transposed).toarray()


def _dense_products(view: SparseRows) -> bool:
    """Whether enough pairs of rows share a column (counted once per column they share)."""
    if not view.height:
        return False
    sharing = np.bincount(view.indices, minlength=view.width).astype(np.float64)
    return float((sharing * sharing).sum()) >= DENSE_SHARE * view.height * view.height


@dataclass
class Scoring:
    """Everything scoring needs: built once a build, shared with the workers."""

    posts: list[Post]
    config: SiteConfig
    index: dict[str, int]
    text: SparseRows
    topics: SparseRows
    entity_matrix: SparseRows
    entities: list[set[str]]
    entity_idf: dict[str, float]
    recency: np.ndarray
    ordinals: np.ndarray
    evidence: np.ndarray
    # Each view's products, for scoring blocks of rows against every post: made when first
    # wanted (before forking the workers that score them).
    _products: tuple[Products, ...] | None = field(default=None, init=False)

    def products(self) -> tuple[Products, ...]:
        if self._products is None:
            self._products = tuple(Products.of(view) for view in (self.text, self.topics, self.entity_matrix))
        return self._products

    def content(self, rows: np.ndarray) -> np.ndarray:
        """Content scores of `rows` against every post: a block of rows in one product of
        sparse matrices; a few rows as every post against them (the same bits: each score
        is a sum of the same products in the same order either way)."""
        if len(rows) <= FEW_ROWS:
            return self.against(rows).T
        settings = self.config.related
        text, topics, entities = self.products()
        content = (settings.text_weight * text.block(rows)
                   + settings.topic_weight * topics.block(rows)
                   + settings.entity_weight * entities.block(rows))
        content *= self.evidence[None, :] * self.evidence[rows, None]
        return content

    def against(self, columns: np.ndarray) -> np.ndarray:
        """Content scores of every post against `columns` (a few posts)."""
        settings = self.config.related
        content = (settings.text_weight * self.text.against(columns)
                   + settings.topic_weight * self.topics.against(columns)
                   + settings.entity_weight * self.entity_matrix.against(columns))
        content *= self.evidence[columns][None, :] * self.evidence[:, None]
        return content

    def recency_bonus(self) -> np.ndarray:
        return self.config.related.recency_weight * self.recency

    def eligible(self, content: np.ndarray) -> np.ndarray:
        # Compared as Python compares a float with min_score: in double precision.
        return content >= np.float64(self.config.related.min_score)


@dataclass
class Candidates:
    """Each row's candidates, row after row: row i's are at indptr[i]:indptr[i+1]. Every
    eligible post ranked at or above floor[i] is there (-inf: every eligible post)."""

    indptr: np.ndarray
    columns: np.ndarray
    rank: np.ndarray
    content: np.ndarray
    floor: np.ndarray

    @classmethod
    def joined(cls, parts: Sequence["Candidates"]) -> "Candidates":
        counts = np.concatenate([np.diff(part.indptr) for part in parts]) if parts else np.zeros(0, np.int64)
        indptr = np.zeros(len(counts) + 1, dtype=np.int64)
        np.cumsum(counts, out=indptr[1:])
        return cls(indptr, *(np.concatenate([getattr(part, name) for part in parts]) if parts else np.zeros(0)
                             for name in ("columns", "rank", "content", "floor")))

    def row(self, i: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        start, stop = self.indptr[i], self.indptr[i + 1]
        return self.columns[start:stop], self.rank[start:stop], self.content[start:stop]


def order(state: Scoring, columns: np.ndarray, rank: np.ndarray) -> list[int]:
    """Positions of the candidates, best first."""
    posts, ordinals = state.posts, state.ordinals
    return sorted(range(len(columns)), key=lambda a: (-round(float(rank[a]), RANK_DECIMALS),
                                                      -ordinals[columns[a]], posts[columns[a]].slug))


def reason(state: Scoring, i: int, j: int) -> str:
    post, other, config = state.posts[i], state.posts[j], state.config
    shared_topics = [config.topic(t).name for t in post.topics if t in other.topics]
    shared_entities = sorted(state.entities[i] & state.entities[j], key=lambda e: (-state.entity_idf.get(e, 0), e))
    parts = [*shared_topics[:2], *shared_entities[: 3 - min(len(shared_topics), 2)]]
    if not parts:
        common = sorted(set(terms(post.title)) & set(terms(other.title + " " + other.summary)))
        parts = common[:2]
    return "Also about: " + ", ".join(parts) if parts else "Similar subject"


def pick(state: Scoring, i: int, columns: np.ndarray, rank: np.ndarray, content: np.ndarray,
         pinned_content: dict[str, float], ranked: list[int] | None = None,
         known_reasons: dict[str, str] | None = None) -> Picked:
    """Row i's picks from its candidates; `pinned_content`: the scores of the posts the
    editor pinned, which need not be candidates. `ranked`: the candidates' order, where
    already known; `known_reasons`: reasons still true from the last build, by slug."""
    known_reasons = known_reasons or {}
    posts, index = state.posts, state.index
    post = posts[i]
    want = max(state.config.related.count, len(post.pinned_related))
    chosen: list[str] = []
    scores: dict[str, float] = {}
    reasons: dict[str, str] = {}
    warnings: list[Warning_] = []
    for slug in post.pinned_related:
        if slug not in index:
            warnings.append(Warning_(post.source, f"related post '{slug}' does not exist (or is a draft)"))
        elif slug != post.slug and slug not in chosen:
            chosen.append(slug)
            scores[slug] = round(pinned_content[slug], SCORE_DECIMALS)
            reasons[slug] = "Chosen by the editor"
    for a in order(state, columns, rank) if ranked is None else ranked:
        if len(chosen) >= want:
            break
        j = int(columns[a])
        slug = posts[j].slug
        if slug in chosen:
            continue
        chosen.append(slug)
        scores[slug] = round(float(content[a]), SCORE_DECIMALS)
        reasons[slug] = known_reasons.get(slug) or reason(state, i, j)
    return chosen, scores, reasons, warnings


def score_rows(state: Scoring, rows: np.ndarray) -> tuple[list[Picked], Candidates]:
    """Picks and candidates of `rows` (at most a block of them), scored against every post."""
    posts, index, settings = state.posts, state.index, state.config.related
    n = len(posts)
    content = state.content(rows)
    ranking = content + state.recency_bonus()[None, :]
    eligible = state.eligible(content)
    local = np.arange(len(rows))
    eligible[local, rows] = False
    most_pinned = 0
    for offset, i in enumerate(rows):
        post = posts[i]
        most_pinned = max(most_pinned, len(post.pinned_related))
        excluded = [index[s] for s in post.not_related if s in index]
        eligible[offset, excluded] = False
    k = min(n - 1, settings.count + most_pinned + EXTRA_CANDIDATES)
    floor = np.full(len(rows), -np.inf)
    if 0 < k < n - 1:
        masked = np.where(eligible, ranking, -np.inf)
        strongest = np.argpartition(-masked, k - 1, axis=1)[:, :k]
        floor = masked[local[:, None], strongest].min(axis=1).astype(np.float64) - FLOOR_MARGIN
    keep = eligible & (ranking >= floor[:, None])
    row_of, columns = np.nonzero(keep)
    indptr = np.zeros(len(rows) + 1, dtype=np.int64)
    np.cumsum(np.bincount(row_of, minlength=len(rows)), out=indptr[1:])
    candidates = Candidates(indptr, columns.astype(np.int32), ranking[row_of, columns], content[row_of, columns],
                            floor)
    picked = []
    for offset, i in enumerate(rows):
        pinned = {slug: float(content[offset, index[slug]]) for slug in posts[i].pinned_related if slug in index}
        picked.append(pick(state, int(i), *candidates.row(offset), pinned))
    return picked, candidates


_STATE: Scoring | None = None   # set in the parent before forking, or in each spawned worker


def set_state(state: Scoring | None) -> None:
    global _STATE
    _STATE = state


def score_blocks(blocks: Sequence[tuple[int, int]]) -> list[tuple[list[Picked], Candidates]]:
    """For worker processes: the rows of each (start, stop) block."""
    assert _STATE is not None
    return [score_rows(_STATE, np.arange(start, stop)) for start, stop in blocks]
