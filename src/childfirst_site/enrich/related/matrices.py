"""The three views of the archive that scoring compares posts by, as row-normalised
sparse matrices (one row a post): text terms (TF-IDF), topics, and named organisations
(IDF-weighted)."""
from __future__ import annotations

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


def text_matrix(posts: list[Post]) -> tuple[sparse.csr_matrix, np.ndarray]:
    """The matrix, and the term key of each of its columns."""
    n = len(posts)
    keys = np.frombuffer(b"".join(p.related_terms[0] for p in posts), dtype="<i8")
    counts = np.frombuffer(b"".join(p.related_terms[1] for p in posts), dtype="<i4")
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum([len(p.related_terms[1]) // 4 for p in posts], out=indptr[1:])
    # Columns in key order: each post's keys are sorted, so its row's columns are too.
    vocabulary = np.unique(keys)
    columns = np.searchsorted(vocabulary, keys)   # as return_inverse=True would, in half the time
    weights = 1.0 + np.log(counts.astype(np.float32))
    matrix = sparse.csr_matrix((weights, columns.astype(np.int32), indptr), shape=(n, len(vocabulary)))
    df = np.bincount(matrix.indices, minlength=len(vocabulary))
    idf = np.round(np.log((n + 1) / (df + 1)) + 1.0, WEIGHT_DECIMALS).astype(np.float32)
    useful = df > 1
    if n >= 50:
        useful &= df <= COMMON_TERM_SHARE * n
    matrix = matrix @ sparse.diags(idf * useful)
    matrix.eliminate_zeros()
    return _normalise(_keep_strongest(matrix, MAX_TERMS_PER_POST)), vocabulary


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
