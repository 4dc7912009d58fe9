"""The shape every source is read into. Plain data: no I/O, no behaviour beyond derived views."""
from __future__ import annotations

import datetime as dt
import pickle
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, fields
from enum import Enum
from typing import ClassVar, NamedTuple, overload


class PostKind(str, Enum):
    ARTICLE = "article"      # written by an editor in Markdown
    AGGREGATED = "aggregated"  # parsed from a raw scraped page
    TEASER = "teaser"        # known only from another page's related-stories block


# Byte strings at least this long are offered to a pickler as buffers (protocol 5): the
# cache stores them apart from the pickle and loads them as views of its mapped file
# (cache.dumps). Any other pickle holds them as the bytes they are.
_BUFFER_FROM = 512


def _offered(data: bytes | memoryview, protocol: object) -> object:
    if isinstance(protocol, int) and protocol >= 5 and len(data) >= _BUFFER_FROM:
        return pickle.PickleBuffer(data)
    return data if type(data) is bytes else bytes(data)


@dataclass(frozen=True)
class Quote:
    text: str
    speaker: str | None


@dataclass(frozen=True)
class RelatedStory:
    """One entry of a raw page's "Knowledge & Resources" block."""

    title: str
    date: dt.date | None
    teaser: str
    extra: str | None = None


@dataclass(frozen=True)
class Block:
    """One piece of article body. `kind` is paragraph, list, subheading or quote.

    A list holds its items in `lines`; a quote holds its paragraphs (as written,
    attribution included) in `lines` and the speaker in `speaker`.
    """

    kind: str
    lines: tuple[str, ...]
    ordered: bool = False
    speaker: str | None = None


class PackedBlocks(Sequence[Block]):
    """A post's blocks as they are cached: one pickle, unpacked when first looked at.
    Blocks are most of the objects in a post, and once posts are read the build looks
    at them only to re-read a post; unpickling them for every cached post was the most
    of loading a large archive."""

    __slots__ = ("_data", "_blocks")

    def __init__(self, data: bytes | memoryview) -> None:
        self._data = data   # a view of the cache file, where loaded from it
        self._blocks: list[Block] | None = None

    @classmethod
    def pack(cls, blocks: Sequence[Block]) -> "PackedBlocks":
        if isinstance(blocks, PackedBlocks):
            return blocks
        return cls(pickle.dumps(list(blocks), protocol=pickle.HIGHEST_PROTOCOL))

    def _unpacked(self) -> list[Block]:
        if self._blocks is None:
            self._blocks = pickle.loads(self._data)
        return self._blocks

    @overload
    def __getitem__(self, index: int) -> Block: ...
    @overload
    def __getitem__(self, index: slice) -> list[Block]: ...
    def __getitem__(self, index: int | slice) -> Block | list[Block]:
        return self._unpacked()[index]

    def __len__(self) -> int:
        return len(self._unpacked())

    def __iter__(self) -> Iterator[Block]:
        return iter(self._unpacked())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    def __repr__(self) -> str:
        return repr(self._unpacked())

    def __reduce_ex__(self, protocol: object) -> tuple[type["PackedBlocks"], tuple[object]]:
        return PackedBlocks, (_offered(self._data, protocol),)


class Figure(NamedTuple):
    """A key statistic reported by an article (filled by the key-figures enrichment).
    A named tuple: an archive's figures are tens of thousands, loaded on every build."""

    value: str               # as written, without its qualifier
    number: float            # normalised: 37, 1220, 280000000, 90 (ratio as a percentage)
    unit: str                # percent, count, currency_gbp, currency_eur, currency_usd, ratio, other
    qualifier: str | None    # over, almost, around, more than, up to …
    label: str               # what it measures, readable on its own
    sentence: str            # the sentence or list item it comes from
    period: str | None = None
    topic: str | None = None
    series: str | None = None
    also_in: tuple[str, ...] = ()  # later sentences that state the same figure again
    anchor: str = ""         # id of the marked sentence in the article body

    @property
    def display(self) -> str:
        return f"{self.qualifier.capitalize()} {self.value}" if self.qualifier else self.value


@dataclass(frozen=True)
class AddedFigure:
    """A figure an editor adds by hand (front matter or sidecar `figures.add`)."""

    value: str
    number: float
    unit: str
    label: str
    sentence: str = ""
    qualifier: str | None = None
    period: str | None = None
    series: str | None = None


@dataclass(frozen=True)
class FigureEdits:
    """An editor's corrections to the extracted figures."""

    add: tuple[AddedFigure, ...] = ()
    drop: tuple[str, ...] = ()          # values as written
    series: dict[str, str] = field(default_factory=dict)  # value as written → series key


@dataclass(frozen=True)
class Topic:
    name: str
    slug: str
    description: str
    keywords: tuple[str, ...] = ()


class _LoadedLazily:
    """A str field that a post loaded from the cache holds as UTF-8 (bytes, or a view of
    the cache file) until it is first read: an edit build loads every post, and shows the
    body of a few."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, post: object, owner: type | None = None) -> str:
        if post is None:
            return ""   # the field's default, as the dataclass asks for it
        value = post.__dict__[self.name]
        if type(value) is not str:   # bytes, or a view of the cache file
            value = post.__dict__[self.name] = str(value, "utf-8")
        return value

    def __set__(self, post: object, value: str) -> None:
        post.__dict__[self.name] = value


@dataclass
class Post:
    source: str                 # path relative to the content folder's parent, for messages
    kind: PostKind
    title: str
    slug: str
    date: dt.date
    date_inferred: bool = False
    updated: dt.date | None = None
    author: str | None = None   # byline as written ("By Jane Smith") or a front-matter author
    banner: str | None = None
    summary: str = ""
    blocks: Sequence[Block] = field(default_factory=list)   # a PackedBlocks once pickled
    body_html: str = _LoadedLazily()   # type: ignore[assignment]
    quotes: list[Quote] = field(default_factory=list)
    related_stories: list[RelatedStory] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)  # topic slugs
    source_organisations: list[str] = field(default_factory=list)
    draft: bool = False
    stats: list[Figure] = field(default_factory=list)
    # Filled by enrichment: slugs of related posts, best first, with the reason shown.
    # (Their scores are kept apart, for the data files: pages never show them, and a score
    # that moves in the fourth decimal must not count as a change to every page listing the post.)
    related: list[str] = field(default_factory=list)
    related_reasons: dict[str, str] = field(default_factory=dict)
    pinned_related: list[str] = field(default_factory=list)
    not_related: list[str] = field(default_factory=list)
    # A teaser's origin: the slug of the page that listed it.
    listed_by: str | None = None
    figure_edits: FigureEdits = field(default_factory=lambda: FigureEdits())
    # What related-story scoring reads from this post alone, worked out as the post is
    # read so that it is done in a worker and cached with it: weighted stemmed-term counts
    # (see enrich.related.terms.TermCounts) and the organisations named (sorted: a set
    # would pickle differently per process).
    related_terms: tuple[bytes, bytes] = field(default=(b"", b""), repr=False)
    entities: tuple[str, ...] = field(default_factory=tuple, repr=False)
    # Addresses on this site its body links to or shows (links.site_references): checked
    # against the site's pages and files at every build, without its body loaded.
    links: tuple[str, ...] = field(default=(), repr=False)
    # Counted once, from the blocks a post is made with: pages show it for every card.
    word_count: int = field(init=False, repr=False)
    # A digest of the post as reading left it (its cache key: set by the build, not stored
    # with it), so that fingerprinting a page need not pickle the whole post again: the
    # post then is that digest plus the ENRICHED fields, the only ones set after reading.
    read_digest: bytes = field(default=b"", repr=False, compare=False)

    ENRICHED: ClassVar[tuple[str, ...]] = ("related", "related_reasons", "related_terms")

    def __post_init__(self) -> None:
        self.word_count = sum(len(line.split()) for block in self.blocks
                              if block.kind != "subheading" for line in block.lines)

    def __reduce_ex__(self, protocol: object) -> tuple[Callable[[tuple[object, ...]], "Post"],
                                                      tuple[tuple[object, ...]]]:
        """Pickled as its fields' values in order, blocks packed, its kind by value, and
        figure edits, which are rarely made, as None when there are none: unpickling
        then makes no field names, and looks up no class for the kind or the edits. Its
        body and term counts are offered as buffers (see _offered). (Loading a large
        archive's cached posts is a large part of an edit build.)"""
        state = self.__dict__
        values = [state[name] for name in _POST_FIELDS]
        values[_BLOCKS_AT] = PackedBlocks.pack(self.blocks)
        body = values[_BODY_AT]
        values[_BODY_AT] = _offered(body.encode("utf-8") if type(body) is str else body, protocol)  # see _LoadedLazily
        keys, counts = values[_TERMS_AT]
        values[_TERMS_AT] = (_offered(keys, protocol), _offered(counts, protocol))
        values[_KIND_AT] = self.kind.value
        if not (self.figure_edits.add or self.figure_edits.drop or self.figure_edits.series):
            values[_EDITS_AT] = None
        return _unpickled_post, (tuple(values),)

    @property
    def url(self) -> str:
        return f"/articles/{self.slug}/"

    @property
    def is_excerpt(self) -> bool:
        return self.kind is PostKind.TEASER

    @property
    def paragraphs(self) -> list[str]:
        """Plain-text body paragraphs, standfirst first; list items are not included."""
        out: list[str] = []
        for block in self.blocks:
            if block.kind in ("paragraph", "quote"):
                out.extend(block.lines)
        return out

    @property
    def list_items(self) -> list[str]:
        return [item for block in self.blocks if block.kind == "list" for item in block.lines]

    @property
    def reading_minutes(self) -> int:
        return max(1, round(self.word_count / WORDS_PER_MINUTE))

    @property
    def year(self) -> int:
        return self.date.year


# Typical adult silent reading speed for news prose.
WORDS_PER_MINUTE = 220

_POST_FIELDS = tuple(spec.name for spec in fields(Post))
_BLOCKS_AT, _KIND_AT, _EDITS_AT, _BODY_AT, _TERMS_AT = (
    _POST_FIELDS.index(name) for name in ("blocks", "kind", "figure_edits", "body_html", "related_terms"))
_KINDS = {kind.value: kind for kind in PostKind}


def _unpickled_post(values: tuple[object, ...]) -> Post:
    post = object.__new__(Post)
    state = post.__dict__
    state.update(zip(_POST_FIELDS, values))
    state["kind"] = _KINDS[values[_KIND_AT]]  # type: ignore[index]
    if values[_EDITS_AT] is None:
        state["figure_edits"] = FigureEdits()
    return post


@dataclass(frozen=True)
class Page:
    """A content page (about, privacy, enquiry introduction) written in Markdown."""

    source: str
    slug: str
    title: str
    summary: str
    body_html: str


class PostFigure(NamedTuple):
    """A figure together with the post that reports it. (A tuple: the figure pages of a
    large archive list tens of thousands.)"""

    post: Post
    figure: Figure
    place: int = -1   # its position among the post's stats, where known: fingerprints use it

    @property
    def url(self) -> str:
        """The post, landing on the figure's marked sentence where it has one."""
        return f"{self.post.url}#{self.figure.anchor}" if self.figure.anchor else self.post.url


@dataclass(frozen=True)
class Series:
    """Figures that editors gave the same `series` key, oldest first: one chart."""

    key: str
    unit: str
    points: tuple[PostFigure, ...]

    @property
    def title(self) -> str:
        return self.key.replace("-", " ").capitalize()


@dataclass
class SourceOutcome:
    """What became of one source file, for the build report."""
    path: str
    outcome: str          # published, draft, future, page, sidecar, skipped, error
    reason: str = ""


# Post slug → {related post slug: score}, as related-story selection scored them.
RelatedScores = dict[str, dict[str, float]]
