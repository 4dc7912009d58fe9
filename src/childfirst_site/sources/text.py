"""A source file's bytes to text, or a ContentError saying what is wrong with them."""
from __future__ import annotations

import re

from ..errors import ContentError, Warning_

MAX_SOURCE_BYTES = 5 * 1024 * 1024
# Raw scraped pages: text, or HTML (its markup read by sources/html_page.py).
HTML_SUFFIXES = (".html", ".htm")
RAW_SUFFIXES = (".txt", *HTML_SUFFIXES)
# C0 and C1 controls other than tab and newlines, and the two non-characters XML forbids:
# invisible, and not allowed in XML feeds (lxml refuses to write them).
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
# Said of those made by decoding HTML, where a file's own were removed as it was read.
REFERENCES_NOTE = ("removed {count} invisible control character(s) written as character references "
                   "(such as &#1;): no page or feed can hold them")


def without_controls(text: str) -> tuple[str, int]:
    """The text without the characters content_text removes, and how many there were."""
    return _CONTROLS.subn("", text)


def decode_source(data: bytes, display: str) -> str:
    if b"\x00" in data[:8192]:
        raise ContentError(display, "this is a binary file, not text", hint="remove it from content/")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ContentError(display, f"not UTF-8 text: byte 0x{data[exc.start]:02x} at byte offset {exc.start}",
                           line=line, hint="save the file as UTF-8") from None
    return text.removeprefix("\ufeff")


def content_text(data: bytes, display: str, warnings: list[Warning_]) -> str:
    """The text of a content file (an article, a sidecar, a page), invisible control
    characters removed (with a warning)."""
    if len(data) > MAX_SOURCE_BYTES:
        raise ContentError(display, f"file is {len(data) // 1024 // 1024} MB, over the "
                                    f"{MAX_SOURCE_BYTES // 1024 // 1024} MB limit for one source",
                           hint="split it, or remove it if it is not an article")
    if not data.strip():
        raise ContentError(display, "file is empty", hint="write the article or delete the file")
    cleaned, removed = without_controls(decode_source(data, display))
    if removed:
        warnings.append(Warning_(display, f"removed {removed} invisible control character(s)"))
    return cleaned
