"""The three views of the archive that scoring compares posts by, as row-normalised
sparse matrices (one row a post): text terms (TF-IDF), topics, and named organisations
(IDF-weighted)."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from ...config import SiteConfig
from ...model import Post
from .entities import entity_pattern, post_entities
from .terms import TermCounter, encode_counts

# Term and name weights are rounded to this many decimals. One more post using a common
# term moves its exact weight by a few parts in ten thousand, which would change the
# vector of every post using it; rounded, the weight rarely moves, and an edit changes
# little beyond its own post's vector (see memory.py).
WEIGHT_DECIMALS = 2
MAX_TERMS_PER_POST = 50   # the strongest terms say what a post is about; the tail only costs time
COMMON_TERM_SHARE = 0.5   # in archives of 50+ posts, terms in over half of them carry no signal
MAX_CHANGED_TERMS_SHARE = 0.2   # beyond this share of posts with other terms, looking all up is as quick


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


@dataclass
class TermColumns:
    """Which column each post's terms went to: kept for the next build, which after an
    edit need look up only the edited posts' terms. Columns are in key order (np.unique's
    vocabulary) however they were worked out, as scores depend on that order to the bit."""

    sources: list[bytes]     # per post: what its terms come from (see _term_source)
    vocabulary: np.ndarray   # int64 term keys, ascending
    indptr: np.ndarray       # int64: post i's terms are columns[indptr[i]:indptr[i+1]]
    columns: np.ndarray      # int32


def _term_source(post: Post) -> bytes:
    # A post read by the build has the terms its read digest says (enrichment does not
    # set them on such a post: see Post.ENRICHED); any other, those its bytes say.
    return post.read_digest or hashlib.sha256(post.related_terms[0]).digest()


def term_columns(posts: list[Post], keys: np.ndarray, indptr: np.ndarray,
                 previous: TermColumns | None = None) -> TermColumns:
    """Columns for `keys` (every post's term keys, post after post): np.unique and
    np.searchsorted over all of them, or, when `previous` is the same posts with few
    changed, the previous columns renumbered and the changed posts' looked up."""
    sources = [_term_source(p) for p in posts]
    n = len(posts)
    changed = np.array([a != b for a, b in zip(previous.sources, sources)], dtype=bool) \
        if previous is not None and len(previous.sources) == n else None
    if changed is None or changed.sum() > MAX_CHANGED_TERMS_SHARE * n:
        vocabulary = np.unique(keys)
        return TermColumns(sources, vocabulary, indptr, np.searchsorted(vocabulary, keys).astype(np.int32))
    assert previous is not None
    old_kept = ~np.repeat(changed, np.diff(previous.indptr))
    new_kept = ~np.repeat(changed, np.diff(indptr))
    if old_kept.sum() != new_kept.sum():   # unchanged posts with other terms: not to be trusted
        return term_columns(posts, keys, indptr, None)
    kept_columns = previous.columns[old_kept]
    fresh_keys = keys[~new_kept]
    still_used = np.bincount(kept_columns, minlength=len(previous.vocabulary)) > 0
    vocabulary = np.union1d(previous.vocabulary[still_used], fresh_keys)
    renumbered = np.searchsorted(vocabulary, previous.vocabulary).astype(np.int32)
    columns = np.empty(len(keys), dtype=np.int32)
    columns[new_kept] = renumbered[kept_columns]
    columns[~new_kept] = np.searchsorted(vocabulary, fresh_keys)
    return TermColumns(sources, vocabulary, indptr, columns)


def text_matrix(posts: list[Post], previous: TermColumns | None = None
                ) -> tuple[sparse.csr_matrix, np.ndarray, TermColumns]:
    """The matrix, the term key of each of its columns, and the columns for next time."""
    n = len(posts)
    keys = np.frombuffer(b"".join(p.related_terms[0] for p in posts), dtype="<i8")
    counts = np.frombuffer(b"".join(p.related_terms[1] for p in posts), dtype="<i4")
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum([len(p.related_terms[1]) // 4 for p in posts], out=indptr[1:])
    # Columns in key order: each post's keys are sorted, so its row's columns are too.
    found = term_columns(posts, keys, indptr, previous)
    vocabulary = found.vocabulary
    weights = 1.0 + np.log(counts.astype(np.float32))
    matrix = sparse.csr_matrix((weights, found.columns, indptr), shape=(n, len(vocabulary)))
    df = np.bincount(matrix.indices, minlength=len(vocabulary))
    idf = np.round(np.log((n + 1) / (df + 1)) + 1.0, WEIGHT_DECIMALS).astype(np.float32)
    useful = df > 1
    if n >= 50:
        useful &= df <= COMMON_TERM_SHARE * n
    matrix = matrix @ sparse.diags(idf * useful)
    matrix.eliminate_zeros()
    return _normalise(_keep_strongest(matrix, MAX_TERMS_PER_POST)), vocabulary, found


def label_matrix(labels: list[set[str]], weighted: bool) -> tuple[sparse.csr_matrix, list[str], np.ndarray]:
    """The matrix, the label of each column, and each label's weight."""
    names = sorted({name for row in labels for name in row})
    column = {name: j for j, name in enumerate(names)}
    rows = [i for i, row in enumerate(labels) for _ in row]
    cols = [column[name] for row in labels for name in sorted(row)]
    matrix = sparse.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(len(labels), len(names)))
    df = np.bincount(matrix.indices, minlength=len(names))
    idf = np.round(np.log((len(labels) + 1) / (df + 1)) + 1.0, WEIGHT_DECIMALS).astype(np.float32) if weighted \
        else np.ones(len(names), dtype=np.float32)
    return _normalise(matrix @ sparse.diags(idf)), names, idf
