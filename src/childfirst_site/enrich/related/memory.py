"""What the last build's scoring left, so that after an edit only the rows it can change
are scored again, with the same picks, scores and reasons as scoring every pair.

An edit changes the matrix rows of the edited post, and of any post sharing a term or
name whose weight the edit moved: those are the changed posts. Every other row keeps
its scores against every unchanged post, so only its scores against the changed posts
are computed; merged with its candidates from last time, they give its picks, unless a
changed post fell out of its candidates so far that the row's floor no longer vouches
for them, in which case that row, like the changed ones, is scored against everything.
Anything else that moves every row (a post added, removed or redated, the config, the
code) means scoring everything, as a first build does.
"""
from __future__ import annotations

import hashlib
import os
import pickle
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ...model import Post
from .matrices import TextState
from .scoring import BLOCK_ROWS, RANK_DECIMALS, Candidates, Picked, Scoring, order, pick, reason, score_rows
from .sparse_rows import SparseRows

# Beyond this share of changed posts, scoring everything is as quick.
MAX_CHANGED_SHARE = 0.2


@dataclass
class Rows:
    """A matrix's rows by column key, comparable between builds whose columns differ."""

    indptr: np.ndarray
    keys: np.ndarray
    data: np.ndarray

    @classmethod
    def of(cls, matrix: SparseRows, column_keys: np.ndarray) -> "Rows":
        return cls(matrix.indptr.astype(np.int64), column_keys[matrix.indices], matrix.data)

    def differ(self, other: "Rows") -> np.ndarray:
        """Per row: not the same keys and values (bit for bit) in the same order."""
        lengths, other_lengths = np.diff(self.indptr), np.diff(other.indptr)
        if len(lengths) != len(other_lengths):
            return np.ones(max(len(lengths), len(other_lengths)), dtype=bool)
        differ = lengths != other_lengths
        same = np.flatnonzero(~differ & (lengths > 0))
        if len(same):
            # The entries of those rows in each, side by side.
            size = lengths[same]
            within = np.arange(size.sum()) - np.repeat(np.cumsum(size) - size, size)
            mine = np.repeat(self.indptr[same], size) + within
            theirs = np.repeat(other.indptr[same], size) + within
            unequal = ((self.keys[mine] != other.keys[theirs])
                       | (self.data[mine].view(np.int32) != other.data[theirs].view(np.int32)))
            differ[same[np.add.reduceat(unequal, np.cumsum(size) - size) > 0]] = True
        return differ


@dataclass
class RelatedMemory:
    salt: str                    # the code and the config's related and topics settings
    slugs: list[str]
    ordinals: bytes
    evidence: bytes
    recency: bytes
    views: tuple[Rows, Rows, Rows]      # text, topics, entities
    settings: list[bytes]        # per post: what the editor pinned and excluded
    reason_inputs: list[bytes]   # per post: what a reason shown for it is made from
    entity_idf: dict[str, float]
    candidates: Candidates
    picked: list[Picked]
    text: TextState              # the text matrix and what it was worked out from

    def __getstate__(self) -> dict[str, object]:
        # The text view is the text matrix's rows by term key: made again on loading, not
        # stored twice (6 MB for 10,000 posts, written on every build).
        return {**self.__dict__, "views": (None, *self.views[1:])}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        self.views = (Rows.of(self.text.matrix, self.text.columns.vocabulary), *self.views[1:])

    @classmethod
    def load(cls, path: Path | None) -> "RelatedMemory | None":
        if path is None or not path.is_file():
            return None
        try:
            with path.open("rb") as handle:
                memory = pickle.load(handle)
            return memory if isinstance(memory, cls) else None
        except Exception:  # noqa: BLE001 - unreadable: everything is scored again
            return None

    def alike(self, salt: str, slugs: list[str], ordinals: bytes, evidence: bytes, recency: bytes) -> bool:
        """Whether these are the same posts, in the same order, with the same dates and
        settings as this memory's: else every row is scored again (see rescore)."""
        return (self.salt == salt and self.slugs == slugs and self.ordinals == ordinals
                and self.evidence == evidence and self.recency == recency)

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        with temporary.open("wb") as handle:
            pickle.dump(self, handle, protocol=pickle.HIGHEST_PROTOCOL)
        temporary.replace(path)


def _digest(value: object) -> bytes:
    return hashlib.sha256(repr(value).encode()).digest()


# A post read by the build is what its read digest says: enrichment sets none of the
# fields below (see Post.ENRICHED), so that digest stands in for them, at no cost. It
# changes with more than they do, which only means a row scored again needlessly.

def post_settings(post: Post) -> bytes:
    return post.read_digest or _digest((post.pinned_related, post.not_related))


def reason_inputs(post: Post) -> bytes:
    return post.read_digest or _digest((post.title, post.summary, post.topics, post.entities))


def rescore(state: Scoring, memory: RelatedMemory, now: RelatedMemory) -> tuple[list[Picked], Candidates] | None:
    """Picks and candidates for every row, from `memory` (the last build's) and the rows
    that changed since; None if too much changed to be worth it."""
    n = len(state.posts)
    if not memory.alike(now.salt, now.slugs, now.ordinals, now.evidence, now.recency):
        return None
    changed = np.zeros(n, dtype=bool)
    for before, after in zip(memory.views, now.views):
        changed |= before.differ(after)
    if changed.sum() > MAX_CHANGED_SHARE * n:
        return None
    redo = changed | np.array([a != b for a, b in zip(memory.settings, now.settings)], dtype=bool) | np.array(
        [bool(p.pinned_related or p.not_related) for p in state.posts], dtype=bool)
    stale = _stale_reasons(state, memory, now)

    old = memory.candidates
    columns = np.flatnonzero(changed)
    picked: list[Picked] = list(memory.picked)
    parts: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray, float]] = {}
    if len(columns):
        content = state.against(columns)
        ranking = content + state.recency_bonus()[columns][None, :]
        eligible = state.eligible(content)
        eligible[columns, np.arange(len(columns))] = False
        arrivals = eligible & (ranking >= old.floor[:, None])
        departures = np.bincount(np.repeat(np.arange(n), np.diff(old.indptr))[changed[old.columns]], minlength=n) > 0
        for i in np.flatnonzero((arrivals.any(axis=1) | departures) & ~redo):
            kept_columns, kept_rank, kept_content = old.row(i)
            stays = ~changed[kept_columns]
            new = np.flatnonzero(arrivals[i])
            merged = (np.concatenate([kept_columns[stays], columns[new].astype(np.int32)]),
                      np.concatenate([kept_rank[stays], ranking[i, new]]),
                      np.concatenate([kept_content[stays], content[i, new]]))
            ranked = order(state, *merged[:2])
            if not _vouched_for(state, merged[1], ranked, float(old.floor[i])):
                redo[i] = True
                continue
            parts[int(i)] = (*merged, float(old.floor[i]))
            known = {} if stale[i] else {slug: text for slug, text in picked[i][2].items()
                                         if not stale[state.index[slug]]}
            picked[i] = pick(state, int(i), *merged, {}, ranked, known)   # nothing pinned: see `redo`
    rows = np.flatnonzero(redo)
    for start in range(0, len(rows), BLOCK_ROWS):
        block = rows[start:start + BLOCK_ROWS]
        block_picked, block_candidates = score_rows(state, block)
        for offset, i in enumerate(block):
            picked[i] = block_picked[offset]
            parts[int(i)] = (*block_candidates.row(offset), float(block_candidates.floor[offset]))
    if stale.any():
        stale_slugs = {state.posts[j].slug for j in np.flatnonzero(stale)}
        showing = {i for i, row in enumerate(picked) if not stale_slugs.isdisjoint(row[0])}
        for i in sorted(showing.union(np.flatnonzero(stale).tolist())):
            if not redo[i]:
                chosen, scores, _, warnings = picked[i]
                picked[i] = (chosen, scores, {slug: reason(state, i, state.index[slug]) for slug in chosen}, warnings)
    return picked, _with_rows(old, parts, n)


def _stale_reasons(state: Scoring, memory: RelatedMemory, now: RelatedMemory) -> np.ndarray:
    """Per post: whether a reason shown with it may read differently now. A reason names
    shared topics, then shared organisations most distinctive first: it changes with the
    post's own inputs, or where two organisations it names swapped places in that order."""
    stale = np.array([a != b for a, b in zip(memory.reason_inputs, now.reason_inputs)], dtype=bool)

    def places(idf: dict[str, float]) -> dict[str, int]:
        return {name: place for place, name in enumerate(sorted(idf, key=lambda e: (-idf[e], e)))}

    before, after = places(memory.entity_idf), places(now.entity_idf)
    swapped = {a for a in after for b in after if a in before and b in before and a != b
               and (before[a] < before[b]) != (after[a] < after[b])}
    if swapped:
        stale |= np.array([bool(entities & swapped) for entities in state.entities], dtype=bool)
    return stale


def _vouched_for(state: Scoring, rank: np.ndarray, ranked: list[int], floor: float) -> bool:
    """Whether the candidates above `floor` (all the eligible posts ranked there) settle
    the picks: the last pick must rank above anything below the floor could."""
    if floor == -np.inf:
        return True
    count = state.config.related.count
    if len(ranked) < count:
        return False
    return round(float(rank[ranked[count - 1]]), RANK_DECIMALS) > round(floor, RANK_DECIMALS)


def _with_rows(old: Candidates, parts: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray, float]],
               n: int) -> Candidates:
    """`old` with the rows in `parts` replaced."""
    if not parts:
        return old
    counts = np.diff(old.indptr).copy()
    floor = old.floor.copy()
    pieces: dict[str, list[np.ndarray]] = {"columns": [], "rank": [], "content": []}
    done = 0
    for i in sorted(parts):
        columns, rank, content, floor[i] = parts[i]
        counts[i] = len(columns)
        for name, new in (("columns", columns.astype(np.int32)), ("rank", rank), ("content", content)):
            pieces[name] += [getattr(old, name)[old.indptr[done]:old.indptr[i]], new]
        done = i + 1
    for name in pieces:
        pieces[name].append(getattr(old, name)[old.indptr[done]:])
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(counts, out=indptr[1:])
    return Candidates(indptr, *(np.concatenate(pieces[name]) for name in ("columns", "rank", "content")), floor)
