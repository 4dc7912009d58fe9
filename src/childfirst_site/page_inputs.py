"""Which posts each page is made from, and what shapes every page besides them, so that
after an edit only the pages showing a changed post are fingerprinted again.

A page's fingerprint (fingerprint.py) covers its context: posts, stood in for by their
digests, and plain values (paginations, topics, archive links, figure counts, series
keys) worked out from the site's *frame*: the posts in order and in outline (slug, kind,
dates, title, topics, their figures' topics), the series, the content pages, what every
page is given (the config, the latest posts), the templates, the code, and the routes
planned from them. While the frame is as it was, a page none of whose posts has another
digest would get the fingerprint it had: the build takes that one instead of working it
out again (13,000 pages for 10,000 posts: a third of a second).
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import marshal
import operator
import pickle
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .fingerprint import Fingerprinter
from .model import Figure, Page, Post, PostFigure, Series, Topic
from .routes import Pagination, Route, StoryLink

FORMAT = 1
_UNKNOWN = -1   # a page given something this module cannot look into: always fingerprinted
_LONG = 64      # lists this long (a listing of every post) are looked into once a build

_PLAIN = frozenset({str, int, float, bool, type(None), bytes, dt.date, Pagination, Topic, StoryLink, Page, Figure})


class _NotKnown(Exception):
    pass


@dataclass
class FrameOutline:
    """The frame but for what every page is given (render.shared_parts), which is worked
    out from posts whose related stories are picked: the build works this part out
    first, and the frame, `framed(shared parts)`, once they are."""

    digest: Any   # a hashlib sha256, updated with the outline so far

    def framed(self, shared: Iterable[bytes]) -> bytes:
        digest = self.digest.copy()
        for part in shared:
            digest.update(len(part).to_bytes(8, "little") + part)
        return digest.digest()


def frame_outline(fingerprinter: Fingerprinter, posts: Sequence[Post], series: Sequence[Series],
                  pages: dict[str, Page], routes: Sequence[Route]) -> FrameOutline:
    digest = hashlib.sha256(fingerprinter.salt)
    topic = operator.attrgetter("topic")
    # Plain values, which marshal encodes faster than pickle encodes dates; in its version 2,
    # which writes equal values alike whatever objects hold them (later versions write a
    # string shared by two places, or interned, otherwise than its equal).
    outline = [(post.slug, post.kind._value_, post.date.toordinal(), post.updated.toordinal() if post.updated else 0,
                post.title, tuple(post.topics), tuple(map(topic, post.stats))) for post in posts]
    digest.update(marshal.dumps(outline, 2))
    place = {id(post): number for number, post in enumerate(posts)}
    charts = [(chart.key, chart.unit, [(place.get(id(point.post), _UNKNOWN), point.place) for point in chart.points])
              for chart in series]
    digest.update(pickle.dumps((charts, sorted(pages.items())), protocol=pickle.HIGHEST_PROTOCOL))
    digest.update("\0".join([f"{route.url}\1{route.template}\1{route.in_sitemap:d}" for route in routes]).encode())
    return FrameOutline(digest)


class _Finder:
    """The posts (by their place in the build's list) a page's context holds."""

    def __init__(self, posts: Sequence[Post]) -> None:
        self.place = {id(post): number for number, post in enumerate(posts)}
        self.lists: dict[int, tuple[Any, frozenset[int]]] = {}   # long lists, by identity (kept alive)

    def posts_in(self, context: Mapping[str, Any]) -> list[int]:
        found: set[int] = set()
        try:
            for value in context.values():
                self._visit(value, found)
        except _NotKnown:
            return [_UNKNOWN]
        return sorted(found)

    def _visit(self, value: Any, found: set[int]) -> None:
        kind = type(value)
        if kind is Post:
            number = self.place.get(id(value))
            if number is None:
                raise _NotKnown
            found.add(number)
        elif kind in _PLAIN:
            return
        elif kind is PostFigure:
            self._visit(value.post, found)
        elif kind is list or kind is tuple:
            if value and type(value[0]) is Post:   # a listing's posts: at once, where all are known posts
                numbers = [self.place.get(id(item)) if type(item) is Post else None for item in value]
                if None not in numbers:
                    found.update(numbers)   # type: ignore[arg-type]
                    return
            if len(value) > _LONG:
                seen = self.lists.get(id(value))
                if seen is None:
                    inner: set[int] = set()
                    for item in value:
                        self._visit(item, inner)
                    seen = self.lists[id(value)] = (value, frozenset(inner))
                found |= seen[1]
            else:
                for item in value:
                    self._visit(item, found)
        elif kind is dict:
            for item in value.values():
                self._visit(item, found)
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            for spec in dataclasses.fields(value):
                self._visit(getattr(value, spec.name), found)
        else:
            raise _NotKnown


@dataclass
class PageInputs:
    """The frame, each post's digest, and the posts each page (in route order) holds,
    as rows of a sparse matrix: page i holds posts[indices[indptr[i]:indptr[i + 1]]]."""

    frame: bytes
    digests: list[bytes]
    indptr: np.ndarray
    indices: np.ndarray

    def settled(self, frame: bytes, digests: list[bytes], routes: Sequence[Route],
                previous: dict[str, str]) -> set[int]:
        """The routes (by index) whose last fingerprint stands: the frame as it was, none
        of their posts with another digest, and their file as the last build left it."""
        if frame != self.frame or len(digests) != len(self.digests) or len(self.indptr) != len(routes) + 1:
            return set()
        changed = [number for number, (now, then) in enumerate(zip(digests, self.digests)) if now != then]
        rows = np.repeat(np.arange(len(routes)), np.diff(self.indptr))
        touched = set(rows[np.isin(self.indices, [*changed, _UNKNOWN])].tolist())
        return {index for index, route in enumerate(routes)
                if index not in touched and route.output_path in previous}

    @classmethod
    def made(cls, frame: bytes, digests: list[bytes], routes: Sequence[Route], posts: Sequence[Post],
             settled: set[int], known: PageInputs | None) -> PageInputs:
        """This build's: rows of settled routes as `known` had them, the others worked out."""
        finder = _Finder(posts)
        if known is None or not settled:
            rows = [np.asarray(finder.posts_in(route.context), dtype=np.int32) for route in routes]
            lengths = np.fromiter(map(len, rows), dtype=np.int64, count=len(rows))
            indices = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int32)
            return cls(frame, digests, np.concatenate(([0], np.cumsum(lengths))), indices.astype(np.int32))
        # Settled routes are the same routes as last time, in the same places.
        redone = {index: np.asarray(finder.posts_in(routes[index].context), dtype=np.int32)
                  for index in sorted(set(range(len(routes))) - settled)}
        lengths = np.diff(known.indptr)
        for index, row in redone.items():
            lengths[index] = len(row)
        pieces, start = [], 0
        for index, row in redone.items():
            pieces += (known.indices[known.indptr[start]:known.indptr[index]], row)
            start = index + 1
        pieces.append(known.indices[known.indptr[start]:])
        return cls(frame, digests, np.concatenate(([0], np.cumsum(lengths))), np.concatenate(pieces).astype(np.int32))

    def packed(self) -> bytes:
        return pickle.dumps((FORMAT, self.frame, b"".join(self.digests), self.indptr.tobytes(),
                             self.indices.tobytes()), protocol=pickle.HIGHEST_PROTOCOL)

    @classmethod
    def unpacked(cls, data: bytes) -> PageInputs | None:
        """None where there is nothing usable: every page is then fingerprinted."""
        try:
            version, frame, digests, indptr, indices = pickle.loads(data)
            if version != FORMAT or len(digests) % 32:
                return None
            pointers, entries = np.frombuffer(indptr, dtype=np.int64), np.frombuffer(indices, dtype=np.int32)
            if not len(pointers) or pointers[0] != 0 or pointers[-1] != len(entries) or np.any(np.diff(pointers) < 0):
                return None
            return cls(frame, [digests[start:start + 32] for start in range(0, len(digests), 32)], pointers, entries)
        except Exception:  # noqa: BLE001 - damaged, whatever broke it: every page is fingerprinted
            return None
