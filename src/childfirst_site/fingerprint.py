"""Fingerprints of what a page is made from, so a page whose inputs have not changed
since the last build need not be rendered again. A fingerprint covers every object the
template is given, the templates, the config and the code; equal fingerprints mean the
same page. Unequal ones only cost a render."""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import io
import pickle
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .config import SiteConfig
from .files import files_under
from .model import Post, PostFigure, Series, Topic


# A list this long (every post, every figure) is given to several pages: digested once.
_SHARED_LENGTH = 64


_NEVER_SHARED = frozenset({str, int, float, bool, type(None), bytes, tuple, dict, dt.date})


def _shared(obj: Any) -> bool:
    """Posts, the config and long lists: given to many pages, so digested once a build
    and stood in for by their digest."""
    return isinstance(obj, (Post, SiteConfig)) or (type(obj) is list and len(obj) > _SHARED_LENGTH)


class _ContextPickler(pickle.Pickler):
    """Pickles a page's context with each post, and each long list, stood in for by its
    digest: the pickle is what the page is made from, and quick to make."""

    def __init__(self, file: io.BytesIO, owner: "Fingerprinter") -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.owner = owner

    def persistent_id(self, obj: Any) -> bytes | None:
        kind = type(obj)
        if kind in _NEVER_SHARED:   # most of what is pickled: a quick way out
            return None
        if kind is PostFigure:
            return self.owner.figure_id(obj)
        return self.owner.digest(obj) if _shared(obj) else None


class Fingerprinter:
    def __init__(self, salt: str) -> None:
        self.salt = salt.encode()
        # id → (object, digest): the object is kept so that its id cannot be reused.
        self._memo: dict[int, tuple[Any, bytes]] = {}
        self._keys: dict[str, bytes] = {}   # a context's keys, framed
        self._plain_records, self._shallow = _record_kinds()

    def figure_id(self, shown: PostFigure) -> bytes | None:
        """A figure page lists thousands of figures, each already part of its post: the
        post's digest and the figure's place among its stats stand for it."""
        post, figure, place = shown
        stats = post.stats
        if not (0 <= place < len(stats) and stats[place] is figure):
            # Its place not given, or not its post's own figure (then encoded as it is).
            place = next((k for k, own in enumerate(stats) if own is figure), -1)
            if place < 0:
                return None
        seen = self._memo.get(id(post))
        return b"F" + (seen[1] if seen is not None else self.digest(post)) + place.to_bytes(4, "little")

    def _figure_list(self, figures: list[Any]) -> bytes:
        """A figure page's entries, as _value would encode them, with figure_id's checks
        done in line: a large archive's figure pages list tens of thousands."""
        memo, parts = self._memo, []
        for item in figures:
            if type(item) is PostFigure:
                post, figure, place = item
                seen = memo.get(id(post))
                if seen is not None and 0 <= place < len(post.stats) and post.stats[place] is figure:
                    parts.append(b"F" + seen[1] + place.to_bytes(4, "little"))
                    continue
                stand_in = self.figure_id(item)
                if stand_in is not None:
                    parts.append(stand_in)
                    continue
            parts.append(self._value(item))
        return b"M" + len(figures).to_bytes(4, "little") + b"".join(parts)

    def know(self, post: Post, digest: bytes) -> None:
        """Take `digest` as the post's: worked out by an earlier build, for a post unchanged since."""
        self._memo[id(post)] = (post, digest)

    def digest(self, obj: Any) -> bytes:
        """Equal digests, equal objects: a pickle holds all of an object's state. Posts
        and long lists are memoised by identity, as the pages of one build share them."""
        # The memo keeps what it holds alive, so an id found there is that object's.
        seen = self._memo.get(id(obj))
        if seen is not None:
            return seen[1]
        if type(obj) is Post and obj.read_digest:   # most digests of a build: no buffer, no memo test
            value = hashlib.sha256(pickle.dumps((obj.read_digest, [getattr(obj, name) for name in Post.ENRICHED]),
                                                protocol=pickle.HIGHEST_PROTOCOL)).digest()
            self._memo[id(obj)] = (obj, value)
            return value
        memoised = _shared(obj)
        buffer = io.BytesIO()
        if isinstance(obj, (Post, SiteConfig)):
            # Neither holds a post (posts refer to each other by slug): a plain pickle is all of it.
            pickle.dump(obj, buffer, protocol=pickle.HIGHEST_PROTOCOL)
        elif memoised:
            kinds = {type(item) for item in obj}
            if kinds == {Post}:   # a listing's: its posts' digests, in order
                memo = self._memo
                buffer.write(b"L" + b"".join([seen[1] if (seen := memo.get(id(item))) is not None
                                              else self.digest(item) for item in obj]))
            elif kinds <= self._plain_records:   # a year's stories: nothing in them to stand in for
                pickle.dump(tuple(obj), buffer, protocol=pickle.HIGHEST_PROTOCOL)
            else:
                _ContextPickler(buffer, self).dump(tuple(obj))  # as a tuple: not stood in for by itself
        else:
            _ContextPickler(buffer, self).dump(obj)
        value = hashlib.sha256(buffer.getvalue()).digest()
        if memoised:
            self._memo[id(obj)] = (obj, value)
        return value

    def route(self, url: str, template: str, context: Mapping[str, Any], shared: bytes = b"") -> str:
        """`shared`: what context_part gave for what every page is given as well."""
        return hashlib.sha256(b"".join((self.salt, b"\0", url.encode(), b"\0", template.encode(), b"\0",
                                        self.context_part(context), shared))).hexdigest()

    def context_part(self, context: Mapping[str, Any]) -> bytes:
        """A context's part of a page's fingerprint; the build works out once, for every
        page, the part for what every page is given (the config, the latest posts)."""
        keys, memo, parts = self._keys, self._memo, []
        for key, value in context.items():
            framed = keys.get(key)
            if framed is None:
                framed = keys[key] = _framed(key.encode())
            # What most pages are given (an article page: its post, nothing, no charts) in
            # line, as _value frames it.
            kind = type(value)
            if kind is Post:
                seen = memo.get(id(value))
                parts += (framed, b"P" + (seen[1] if seen is not None else self.digest(value)))
            elif value is None:
                parts += (framed, _NONE)
            elif kind is list and not value:
                parts += (framed, _NO_POSTS)
            else:
                parts += (framed, self._value(value))
        return b"".join(parts)

    def _value(self, value: Any) -> bytes:
        """A context value's part of a page's fingerprint, self-delimiting. Most values are
        a post, a few posts, or a plain value: those are framed directly, as a pickler
        made for each of 13,000 pages cost more than the rest of fingerprinting them."""
        kind = type(value)
        if kind is Post or kind is SiteConfig:
            seen = self._memo.get(id(value))
            return b"P" + (seen[1] if seen is not None else self.digest(value))
        if value is None:
            return _NONE
        if kind is bool or kind is int or kind is str or kind in self._plain_records:
            return b"V" + _framed(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        shallow = self._shallow.get(kind)
        if shallow is not None:   # a listing: its posts (or figures) stood in for, the rest as it is
            name, fields = shallow
            return b"D" + name + b"".join([self._value(getattr(value, field)) for field in fields])
        if kind is PostFigure:
            stand_in = self.figure_id(value)
            if stand_in is not None:
                return stand_in
        if kind is list:
            if not value:
                return _NO_POSTS
            if type(value[0]) is PostFigure:   # a figure page's: no other page lists the same
                return self._figure_list(value)
            if len(value) > _SHARED_LENGTH:
                return b"S" + self.digest(value)   # digested as a tuple: tagged apart from one
            if all(type(item) is Post for item in value):
                memo = self._memo
                return b"L" + len(value).to_bytes(4, "little") + b"".join(
                    seen[1] if (seen := memo.get(id(item))) is not None else self.digest(item) for item in value)
            return b"M" + len(value).to_bytes(4, "little") + b"".join([self._value(item) for item in value])
        return b"O" + self.digest(value)


def _framed(data: bytes) -> bytes:
    return len(data).to_bytes(4, "little") + data


# Every article page is given None or an empty list for something (listed stories, charts).
_NONE = b"V" + _framed(pickle.dumps(None, protocol=pickle.HIGHEST_PROTOCOL))
_NO_POSTS = b"L" + (0).to_bytes(4, "little")   # what an empty list of posts is framed as


def _record_kinds() -> tuple[frozenset[type], dict[type, tuple[bytes, tuple[str, ...]]]]:
    """Pages' own records of plain values (no post inside), pickled as they are; and
    listings, whose fields are encoded one by one so that their posts and figures are
    stood in for. (Imported here: the routes module imports NumPy, through enrich, which
    a build that finds nothing changed never needs.)"""
    from .routes import FigureGroup, Pagination, StoryLink, TopicListing, YearArchive
    return frozenset({Pagination, Topic, StoryLink}), {
        kind: (_framed(kind.__qualname__.encode()), tuple(spec.name for spec in dataclasses.fields(kind)))
        for kind in (TopicListing, FigureGroup, YearArchive, Series)}


def folder_digest(folder: Path) -> str:
    """Every file under a folder (templates, static assets), names and bytes (but those
    files.files_under skips)."""
    digest = hashlib.sha256()
    for relative, _ in files_under(folder):
        digest.update(relative.encode() + b"\0" + (folder / relative).read_bytes() + b"\0")
    return digest.hexdigest()
