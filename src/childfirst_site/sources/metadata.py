"""Editorial metadata, shared by Markdown front matter and the sidecar YAML beside a
raw source: one set of keys, one set of checks, messages with file and line."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from ..enrich.figures.edits import read_figure_edits
from ..errors import ContentError, Warning_
from ..model import FigureEdits
from ..slugs import is_valid_slug
from ..yamltext import YamlDoc

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

# key: (expected type, description used in messages)
KEYS: dict[str, tuple[type, str]] = {
    "title": (str, "text"),
    "date": (str, "a date (YYYY-MM-DD)"),
    "updated": (str, "a date (YYYY-MM-DD)"),
    "author": (str, "text"),
    "summary": (str, "text"),
    "topics": (list, "a list of topic slugs, e.g. [online-safety]"),
    "draft": (bool, "true or false"),
    "slug": (str, "a slug (lower-case letters, digits, hyphens)"),
    "source_organisations": (list, "a list of names, e.g. [NSPCC, Ofsted]"),
    "related": (list, "a list of post slugs"),
    "not_related": (list, "a list of post slugs"),
    "figures": (dict, "a mapping with add:, drop: and/or series:"),
}
FRONT_MATTER_KEYS = set(KEYS)
SIDECAR_KEYS = set(KEYS) - {"title"}


@dataclass
class Metadata:
    title: str | None = None
    date: dt.date | None = None
    updated: dt.date | None = None
    author: str | None = None
    summary: str | None = None
    topics: list[str] = field(default_factory=list)
    draft: bool = False
    slug: str | None = None
    source_organisations: list[str] = field(default_factory=list)
    related: list[str] = field(default_factory=list)
    not_related: list[str] = field(default_factory=list)
    figures: FigureEdits = field(default_factory=FigureEdits)
    date_line: int | None = None


def _as_date(doc: YamlDoc, key: str, value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if ISO_DATE.match(text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            pass
    raise doc.error((key,), f'{key} "{text}" is not a valid date', "use YYYY-MM-DD")


def read_metadata(doc: YamlDoc, allowed: set[str], topic_slugs: set[str],
                  errors: list[ContentError], warnings: list[Warning_]) -> Metadata:
    """Check and convert the mapping in `doc`. Problems go to `errors` (all of them)."""
    data = doc.data
    meta = Metadata()
    if data is None:
        return meta
    if not isinstance(data, dict):
        errors.append(ContentError(doc.path, "metadata must be a mapping of keys to values (key: value lines)",
                                   line=doc.first_line))
        return meta
    for key, value in data.items():
        if key not in allowed:
            warnings.append(Warning_(doc.path, f"unknown key '{key}' ignored (known keys: "
                                               f"{', '.join(sorted(allowed))})", doc.line_of(key)))
            continue
        if value is None:
            continue
        kind, described = KEYS[key]
        try:
            if key in ("date", "updated"):
                if isinstance(value, (bool, list, dict)):
                    raise doc.error((key,), f"{key} must be {described}, not {value!r}")
                setattr(meta, key, _as_date(doc, key, value))
                if key == "date":
                    meta.date_line = doc.line_of(key)
                continue
            if key == "figures":
                meta.figures = read_figure_edits(doc, value)
                continue
            if kind is str and isinstance(value, (int, float)) and not isinstance(value, bool):
                value = str(value)
            if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
                raise doc.error((key,), f"{key} must be {described}, not {type(value).__name__} {value!r}")
            if kind is list:
                if not all(isinstance(v, (str, int)) and not isinstance(v, bool) for v in value):
                    raise doc.error((key,), f"{key} must be {described}")
                value = [str(v).strip() for v in value]
            if isinstance(value, str):
                value = value.strip()
            if key == "slug" and not is_valid_slug(value):
                raise doc.error((key,), f'slug "{value}" is not a valid slug',
                                "use lower-case letters, digits and single hyphens, e.g. councils-report-record-demand")
            if key == "title" and not value:
                raise doc.error((key,), "title is empty")
            if key == "topics":
                for index, slug in enumerate(value):
                    if slug not in topic_slugs:
                        raise doc.error((key, index), f"topic '{slug}' is not declared in site.yaml",
                                        f"declared topics: {', '.join(sorted(topic_slugs))}")
            setattr(meta, key, value)
        except ContentError as exc:
            errors.append(exc)
    if meta.date is not None and meta.updated is not None and meta.updated < meta.date:
        # Feeds would show the story updated before it was published.
        warnings.append(Warning_(doc.path, f"updated ({meta.updated.isoformat()}) is before date "
                                           f"({meta.date.isoformat()}): were the two swapped?",
                                 line=doc.line_of("updated")))
    return meta
