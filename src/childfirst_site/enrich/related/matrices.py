"""The three views of the archive that scoring compares posts by, as row-normalised
sparse matrices (one row a post): text terms (TF-IDF), topics, and named organisations
(IDF-weighted)."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from ...config import SiteConfig
from ...model import Post
from .entities import entity_pattern, post_entities
from .sparse_rows import SparseRows, segments
from .terms import TermCounter, encode_counts

# Term and name weights are rounded to this many decimals. One more post using a common
# term moves its exact weight by a few parts in ten thousand, which would change the
# vector of every post using it; rounded, the weight rarely moves, and an edit changes
# little beyond its own post's vector (see memory.py).
WEIGHT_DECIMALS = 2
MAX_TERMS_PER_POST = 50   # the strongest terms say what a post is about; the tail only costs time
COMMON_TERM_SHARE = 0.5   # in archives of 50+ posts, terms in over half of them carry no signal
MAX_CHANGED_TERMS_SHARE = 0.2   # beyond this share of posts with other terms, looking all up is as quick
MAX_REDONE_ROWS_SHARE = 0.5     # beyond this share of rows to work out again, working all out is as quick


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

    sources: bytes           # per post, 32 bytes: what its terms come from (see _term_source)
    vocabulary: np.ndarray   # int64 term keys, ascending
    indptr: np.ndarray       # int64: post i's terms are columns[indptr[i]:indptr[i+1]]
    columns: np.ndarray      # int32


class Carried(NamedTuple):
    """How the last build's columns carry over to this one's."""

    changed: np.ndarray      # per post: its terms come from something else now
    kept: np.ndarray         # per last build's column: still used by an unchanged post
    renumbered: np.ndarray   # per last build's column: its column now (where kept)


@dataclass
class TextState:
    """The text matrix as a build left it, with its columns and their weights: after an
    edit, the next build works out again only the rows the edit can change."""

    columns: TermColumns
    scale: np.ndarray        # float32 per column: its IDF weight, 0 where a term carries no signal
    matrix: SparseRows       # columns as in `columns`


def _term_source(post: Post) -> bytes:
    # A post read by the build has the terms its read digest says (enrichment does not
    # set them on such a post: see Post.ENRICHED); any other, those its bytes say.
    # (32 bytes either way: a read digest is a sha256.)
    digest = post.read_digest
    return digest if len(digest) == 32 else hashlib.sha256(digest + post.related_terms[0]).digest()


def _changed_sources(before: bytes, now: bytes) -> np.ndarray:
    """Per post: whether its 32-byte source differs."""
    return (np.frombuffer(before, dtype=np.uint64).reshape(-1, 4)
            != np.frombuffer(now, dtype=np.uint64).reshape(-1, 4)).any(axis=1)


def _distinct(values: np.ndarray) -> np.ndarray:
    """The distinct values, ascending: np.unique's, without its first call importing
    numpy.ma (a build after an edit need not)."""
    ordered = np.sort(values)
    if len(ordered) < 2:
        return ordered
    first = np.empty(len(ordered), dtype=bool)
    first[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    return ordered[first]


def _keys(posts: list[Post]) -> np.ndarray:
    return np.frombuffer(b"".join(p.related_terms[0] for p in posts), dtype="<i8")


def term_columns(posts: list[Post], previous: TermColumns | None = None) -> tuple[TermColumns, Carried | None]:
    """Every post's term columns: np.unique and np.searchsorted over all their keys, or,
    when `previous` is the same posts with few changed, the previous columns renumbered
    and only the changed posts' looked up (then also how they carried over)."""
    sources = b"".join([_term_source(p) for p in posts])
    n = len(posts)
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum([len(p.related_terms[0]) for p in posts], out=indptr[1:])
    indptr //= 8
    changed = _changed_sources(previous.sources, sources) \
        if previous is not None and len(previous.sources) == len(sources) else None
    if changed is not None and changed.sum() <= MAX_CHANGED_TERMS_SHARE * n:
        assert previous is not None
        old_kept = ~np.repeat(changed, np.diff(previous.indptr))
        new_kept = ~np.repeat(changed, np.diff(indptr))
        if old_kept.sum() == new_kept.sum():   # else unchanged posts with other terms: not to be trusted
            kept_columns = previous.columns[old_kept]
            fresh_keys = _keys([post for post, edited in zip(posts, changed) if edited])
            still_used = np.bincount(kept_columns, minlength=len(previous.vocabulary)) > 0
            vocabulary = _distinct(np.concatenate((previous.vocabulary[still_used], fresh_keys)))
            renumbered = np.searchsorted(vocabulary, previous.vocabulary).astype(np.int32)
            columns = np.empty(int(indptr[-1]), dtype=np.int32)
            columns[new_kept] = renumbered[kept_columns]
            columns[~new_kept] = np.searchsorted(vocabulary, fresh_keys)
            return TermColumns(sources, vocabulary, indptr, columns), Carried(changed, still_used, renumbered)
    keys = _keys(posts)
    vocabulary = _distinct(keys)
    return TermColumns(sources, vocabulary, indptr, np.searchsorted(vocabulary, keys).astype(np.int32)), None


def _term_scale(df: np.ndarray, n: int) -> np.ndarray:
    idf = np.round(np.log((n + 1) / (df + 1)) + 1.0, WEIGHT_DECIMALS).astype(np.float32)
    useful = df > 1
    if n >= 50:
        useful &= df <= COMMON_TERM_SHARE * n
    return idf * useful


def _weighted(counts: np.ndarray, columns: np.ndarray, indptr: np.ndarray, width: int,
              scale: np.ndarray) -> SparseRows:
    """Rows of the text matrix from their term counts. Each row is worked out from its
    own terms and the columns' scale alone: the same bits for a row alone or among all."""
    weights = 1.0 + np.log(counts.astype(np.float32))
    return SparseRows(indptr, columns, weights, width).scaled(scale).strongest(MAX_TERMS_PER_POST).normalised()


def _rows_to_redo(found: TermColumns, carried: Carried, scale: np.ndarray, previous: TextState) -> np.ndarray:
    """The changed posts, and the posts using a term whose weight moved."""
    before = np.full(len(found.vocabulary), np.nan, dtype=np.float32)
    before[carried.renumbered[carried.kept]] = previous.scale[carried.kept]
    moved = ~(before == scale)     # terms new to the archive too
    using = np.flatnonzero(moved[found.columns])
    return _distinct(np.concatenate((np.flatnonzero(carried.changed),
                                     np.searchsorted(found.indptr, using, side="right") - 1)))


def _spliced(previous: SparseRows, renumbered: np.ndarray, rows: np.ndarray, redone: SparseRows,
             width: int) -> SparseRows:
    """The last build's matrix, columns renumbered, with `rows` (ascending) replaced."""
    lengths = np.diff(previous.indptr)
    replaced = np.zeros(len(lengths), dtype=bool)
    replaced[rows] = True
    old_entries = ~np.repeat(replaced, lengths)
    lengths[rows] = np.diff(redone.indptr)
    new_entries = np.repeat(replaced, lengths)
    indptr = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=indptr[1:])
    indices = np.empty(int(indptr[-1]), dtype=np.int32)
    data = np.empty(int(indptr[-1]), dtype=np.float32)
    indices[~new_entries] = renumbered[previous.indices[old_entries]]
    data[~new_entries] = previous.data[old_entries]
    indices[new_entries] = redone.indices
    data[new_entries] = redone.data
    return SparseRows(indptr, indices, data, width)


def text_matrix(posts: list[Post], previous: TextState | None = None
                ) -> tuple[SparseRows, np.ndarray, TextState]:
    """The matrix, the term key of each of its columns, and the state for next time.
    After an edit (`previous`: the last build's), only the rows it can change are worked
    out again: the edited posts' and those using a term whose weight moved."""
    n = len(posts)
    found, carried = term_columns(posts, previous.columns if previous is not None else None)
    width = len(found.vocabulary)
    scale = _term_scale(np.bincount(found.columns, minlength=width), n)
    if carried is not None and previous is not None:
        rows = _rows_to_redo(found, carried, scale, previous)
        if len(rows) <= MAX_REDONE_ROWS_SHARE * n:
            counts = np.frombuffer(b"".join(posts[i].related_terms[1] for i in rows), dtype="<i4")
            indptr, entries = segments(found.indptr, rows)
            redone = _weighted(counts, found.columns[entries], indptr, width, scale)
            matrix = _spliced(previous.matrix, carried.renumbered, rows, redone, width)
            return matrix, found.vocabulary, TextState(found, scale, matrix)
    counts = np.frombuffer(b"".join(p.related_terms[1] for p in posts), dtype="<i4")
    matrix = _weighted(counts, found.columns, found.indptr, width, scale)
    return matrix, found.vocabulary, TextState(found, scale, matrix)


def label_matrix(labels: list[set[str]], weighted: bool) -> tuple[SparseRows, list[str], np.ndarray]:
    """The matrix, the label of each column, and each label's weight."""
    names = sorted({name for row in labels for name in row})
    column = {name: j for j, name in enumerate(names)}
    indptr = np.zeros(len(labels) + 1, dtype=np.int64)
    np.cumsum([len(row) for row in labels], out=indptr[1:])
    columns = np.array([column[name] for row in labels for name in sorted(row)], dtype=np.int32)
    df = np.bincount(columns, minlength=len(names))
    idf = np.round(np.log((len(labels) + 1) / (df + 1)) + 1.0, WEIGHT_DECIMALS).astype(np.float32) if weighted \
        else np.ones(len(names), dtype=np.float32)
    matrix = SparseRows(indptr, columns, np.ones(len(columns), dtype=np.float32), len(names))
    return matrix.scaled(idf).normalised(), names, idf
