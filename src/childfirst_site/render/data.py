"""Machine-readable data files: public/data/posts.json, figures.json and figures.csv."""
from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ..cache import Cache, loads
from ..config import SiteConfig
from ..model import Figure, Post, RelatedScores
from .templates import absolute_url


def figure_record(figure: Figure) -> dict[str, Any]:
    """One figure as data: the key names other tools rely on."""
    return {"value": figure.value, "number": figure.number, "unit": figure.unit, "qualifier": figure.qualifier,
            "label": figure.label, "period": figure.period, "sentence": figure.sentence, "topic": figure.topic,
            "series": figure.series, "also_in": list(figure.also_in)}


# One encoder for every record: json.dumps with any option makes a new one per call.
_ENCODER = json.JSONEncoder(ensure_ascii=False)


def _json_document(site: str, key: str, records: list[str]) -> bytes:
    """{"site": …, key: [records]} with one record (already encoded) per line: still
    readable and diffable, and each record goes through json's C encoder (indent= would
    make it all pure Python, several seconds for a large archive)."""
    body = ",\n".join(records)
    return (f'{{"site": {_ENCODER.encode(site)}, "{key}": [\n{body}\n]}}\n').encode()


# A post's share of the data files, encoded: its posts.json record up to its related
# stories, its "stats" list, its figures.json records, its figures.csv lines, and a digest
# of those two. They depend on the post as read and the config alone, so a build keeps
# them (in `memo`) for the posts it did not read again.
PostData = tuple[str, str, str, str, bytes]


class Kept:
    """A file the last build made that would be made again byte for byte: not made."""


KEPT = Kept()


def post_data(post: Post, config: SiteConfig) -> PostData:
    """A post's share of the data files (the build's read workers make it as they read)."""
    encode = _ENCODER.encode
    url = absolute_url(config, post.url)
    head = encode({
        "slug": post.slug,
        "url": url,
        "title": post.title,
        "date": post.date.isoformat(),
        "date_inferred": post.date_inferred,
        "updated": post.updated.isoformat() if post.updated else None,
        "kind": post.kind.value,
        "excerpt": post.is_excerpt,
        "topics": post.topics,
        "summary": post.summary,
    })[:-1]
    records = [figure_record(figure) for figure in post.stats]
    rows = []
    for figure, record in zip(post.stats, records):
        row = {"article_url": url + (f"#{figure.anchor}" if figure.anchor else ""),
               "article_title": post.title, "article_date": post.date.isoformat(), **record}
        del row["also_in"]
        rows.append(row)
    figures_json, figures_csv = ",\n".join([encode(row) for row in rows]), _csv_lines(rows)
    return head, encode(records), figures_json, figures_csv, _digest(figures_json, figures_csv)


def post_record(share: PostData, post: Post, related_scores: RelatedScores) -> str:
    """The post's record in posts.json: its share, with its related stories now."""
    scores = related_scores.get(post.slug, {})
    return (f'{share[0]}, "related": {_slugs_json(post.related)}, "related_scores": '
            f'{_scores_json([scores.get(slug) for slug in post.related])}, "stats": {share[1]}}}')


FIGURE_FILES = ["data/figures.json", "data/figures.csv"]
DATA_FILES = ["data/posts.json", *FIGURE_FILES]


def _figures_digest(config: SiteConfig, figure_digests: list[bytes]) -> bytes:
    """What the figure files are made from (see data_files' `unchanged`)."""
    return hashlib.sha256(b"".join([_digest(config.title, FIGURE_HEADER), *figure_digests])).digest()


def data_salt(code: str, config: SiteConfig) -> str:
    """What besides a post and the code decides its share of the data files (the key of
    the store data_files keeps shares in)."""
    return f"{code}|{config.base_url}|{config.base_path}"


def fresh_shares(posts: list[Post], edited: list[int], again: set[int], made: Mapping[str, bytes],
                 config: SiteConfig) -> dict[int, PostData | None]:
    """For DataRecords.again: the share of each post read afresh (`edited`: made as it
    was read, in `made`, or now), None for the others in `again`, whose related stories
    alone were picked again."""
    shares: dict[int, PostData | None] = dict.fromkeys(again)
    for place in edited:
        stored = made.get(posts[place].read_digest.hex())
        shares[place] = loads(stored) if stored is not None else post_data(posts[place], config)
    return shares


def _digest(*parts: str) -> bytes:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(len(part).to_bytes(8, "little"))
        digest.update(part.encode())
    return digest.digest()


# Ten thousand posts' related slugs and scores, encoded on every build: as json would
# encode them, without its per-call cost, where they need no escaping.
_PLAIN_TEXT = re.compile(r"[a-z0-9-]*")


def _slugs_json(slugs: list[str]) -> str:
    if _PLAIN_TEXT.fullmatch("".join(slugs)):
        return '["' + '", "'.join(slugs) + '"]' if slugs else "[]"
    return _ENCODER.encode(slugs)


def _scores_json(scores: list[float | None]) -> str:
    try:
        text = "[" + ", ".join(map(float.__repr__, scores)) + "]"   # type: ignore[arg-type]
    except TypeError:   # not all floats (a score missing: None)
        return _ENCODER.encode(scores)
    # A finite float's repr has no "n"; inf's and nan's have (json writes them otherwise).
    return text if "n" not in text else _ENCODER.encode(scores)


def data_files(posts: list[Post], config: SiteConfig, related_scores: RelatedScores,
               memo: Cache | None = None, unchanged: Callable[[list[str], bytes], bool] | None = None,
               made: Mapping[str, bytes] | None = None) -> list[tuple[str, bytes | Kept]]:
    """data/posts.json (every post with its related stories and figures), and
    data/figures.json and data/figures.csv (every figure with its article, one a row).
    `unchanged(paths, digest)`: whether files of that digest of their inputs are as the
    last build left them; the figure files are then KEPT, not made (an edit that changes
    no figure changes neither; related stories are only in posts.json). `made`: posts'
    post_data(post, config), made already, pickled (cache.dumps), by read digest in hex."""
    records, figure_parts, figure_digests = [], [], []
    made = made or {}
    for post in posts:
        key = post.read_digest.hex() if post.read_digest and (memo is not None or made) else ""
        stored = made.get(key) if key else None
        parts: PostData | None
        if stored is not None:
            parts = loads(stored)
            if memo is not None:
                memo.put_pickled(key, stored)
        else:
            parts = memo.get(key) if key and memo is not None else None
            if parts is None:
                parts = post_data(post, config)
                if key and memo is not None:
                    memo.put(key, parts)
        records.append(post_record(parts, post, related_scores))
        if parts[2]:
            figure_parts.append((parts[2], parts[3]))
            figure_digests.append(parts[4])
    files: list[tuple[str, bytes | Kept]] = [("data/posts.json", _json_document(config.title, "posts", records))]
    if unchanged is not None and unchanged(FIGURE_FILES, _figures_digest(config, figure_digests)):
        return [*files, *((path, KEPT) for path in FIGURE_FILES)]
    return [*files,
            ("data/figures.json", _json_document(config.title, "figures", [part[0] for part in figure_parts])),
            ("data/figures.csv", "".join([FIGURE_HEADER, *(part[1] for part in figure_parts)]).encode("utf-8"))]


FIGURE_COLUMNS = ["article_url", "article_title", "article_date", "value", "number", "unit", "qualifier", "label",
                  "period", "sentence", "topic", "series"]


# A spreadsheet would run a cell that starts like a formula; a leading quote keeps it text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _csv_lines(rows: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([[_cell(row[column]) for column in FIGURE_COLUMNS] for row in rows])
    return out.getvalue()


FIGURE_HEADER = _csv_lines([{column: column for column in FIGURE_COLUMNS}])


@dataclass
class DataRecords:
    """Each post's share of the data files and its record in posts.json, in the order of
    the posts they were made for, and the figure files' digest: kept with the site's
    plan (`serve`), so that a rebuild keeping the plan makes posts.json again from the
    records of the posts that changed alone (for 10,000 posts, 0.2-0.3 s of work in a
    process of its own, otherwise)."""

    shares: list[PostData]
    records: list[str]
    figures: bytes

    @classmethod
    def made(cls, posts: list[Post], config: SiteConfig, related_scores: RelatedScores,
             memo: Cache | None) -> DataRecords:
        """From the shares `memo` (the store data_files keeps them in) holds, or made again."""
        shares = []
        for post in posts:
            share = memo.get(post.read_digest.hex()) if memo is not None and post.read_digest else None
            shares.append(share if share is not None else post_data(post, config))
        return cls(shares, [post_record(share, post, related_scores) for share, post in zip(shares, posts)],
                   _figures_digest(config, [share[4] for share in shares if share[2]]))

    def again(self, posts: list[Post], changed: Mapping[int, PostData | None], config: SiteConfig,
              related_scores: RelatedScores, unchanged: Callable[[list[str], bytes], bool]
              ) -> list[tuple[str, bytes | Kept]] | None:
        """data_files(posts, …) where only the posts at the places in `changed` changed:
        their content (given their new share) or their related stories (None). These
        records are brought up to date. None, and nothing changed, where the figure files
        would not be kept (a figure is in the plan's frame: that is when they were
        changed by hand)."""
        if (len(posts) != len(self.records) or not unchanged(FIGURE_FILES, self.figures)
                or any(share is not None and share[4] != self.shares[place][4] for place, share in changed.items())):
            return None
        for place, share in changed.items():
            if share is not None:
                self.shares[place] = share
            self.records[place] = post_record(self.shares[place], posts[place], related_scores)
        return [("data/posts.json", _json_document(config.title, "posts", self.records)),
                *((path, KEPT) for path in FIGURE_FILES)]
