"""Python-Markdown's HTML for plain Markdown, made without running Python-Markdown.

Most posts use only paragraphs, "##" headings, one-paragraph "> " quotes, "- " and "1."
lists, and [text](url) links. Converting such a body took Python-Markdown 1.7 ms, two
fifths of reading a post; writing out the same HTML takes 0.24 ms (the benchmark's
posts, one process, one run after the other). plain_html gives exactly the HTML
Python-Markdown (with "extra" and "sane_lists") gives, or None for any body that holds
anything else (emphasis, code, raw HTML, tables, nested or loose lists, indented
lines…), which Python-Markdown then converts. What it accepts is kept narrow on purpose:
every character or line start that could make Python-Markdown do something other than
the above sends the body to it. Tests compare the two on random Markdown built to sit on
either side of that line."""
from __future__ import annotations

import re

# Anything here sends the whole body to Python-Markdown: control characters (tabs and
# carriage returns are rewritten), escapes, code, emphasis, raw HTML, attribute lists,
# tables, fences, images, footnotes and reference definitions, and an ampersand that is
# not followed by a space (an entity, or one Python-Markdown might take for one).
# The characters are looked for apart from the pairs: one pattern with all of them tried
# every pair at every character (34 µs a body on the benchmark's posts, against 23 µs).
_NOT_PLAIN_CHARACTER = re.compile(r"[\x00-\x09\x0b-\x1f\\`*_<{}|~]")
_NOT_PLAIN_PAIRS = ("![", "[^", "]:")
_ENTITY_OR_SO = re.compile(r"&(?! )")


def _not_plain(body: str) -> bool:
    return _NOT_PLAIN_CHARACTER.search(body) is not None or any(pair in body for pair in _NOT_PLAIN_PAIRS) \
        or ("&" in body and _ENTITY_OR_SO.search(body) is not None)


# A line that starts with one of these is (or may be) another kind of block inside a
# paragraph or list item: heading, quote, list, rule, setext underline, definition.
_BLOCK_START = re.compile(r"[#>:+=-]|\d+\.")
_HEADING = re.compile(r"(#{1,6}) +([^#]+)")
_BULLET = re.compile(r"[+-] +")
_NUMBER = re.compile(r"(\d+)\. +")
_BLANK_LINES = re.compile(r"\n{2,}")
# [text](url): text on one line, without brackets or space at either end; a url that
# needs no escaping and has no title.
_LINK = re.compile(r"\[([^\[\]\s](?:[^\[\]\n]*[^\[\]\s])?)\]\(([^\s()\[\]<>\"'&]+)\)")


def plain_html(body: str) -> str | None:
    """Python-Markdown's HTML for body, where body is plain Markdown; otherwise None."""
    if not body.strip():
        return ""
    if _not_plain(body):
        return None
    out: list[str] = []
    last = ""   # the kind of the block before: a quote or list after another would join it
    for block in _BLANK_LINES.split(body.strip("\n")):
        lines = block.split("\n")
        if any(line[0].isspace() or line[-1].isspace() for line in lines):
            return None   # indented code, nested lists, line breaks, lines of spaces
        first = lines[0]
        html: str | None
        if first[0] == "#":
            heading = _HEADING.fullmatch(first) if len(lines) == 1 else None
            if heading is None:
                return None
            level, text = len(heading[1]), _inline(heading[2])
            html = None if text is None else f"<h{level}>{text}</h{level}>"
            kind = "heading"
        elif first[0] == ">":
            if last == "quote":
                return None
            html, kind = _quote(lines), "quote"
        elif (numbered := _NUMBER.match(first) is not None) or _BULLET.match(first):
            kind = "ol" if numbered else "ul"
            if last == kind:   # (with sane_lists, only a list of the same kind)
                return None
            html = _list(lines, kind == "ol")
        else:
            text = _inline(block) if not any(_BLOCK_START.match(line) for line in lines) else None
            html, kind = (None if text is None else f"<p>{text}</p>"), "paragraph"
        if html is None:
            return None
        out.append(html)
        last = kind
    return "\n".join(out)


def _quote(lines: list[str]) -> str | None:
    """A quote of one paragraph, every line marked."""
    inner = []
    for line in lines:
        if line[0] != ">":
            return None   # a lazy line, continuing the quote unmarked
        text = line[2:] if line.startswith("> ") else line[1:]
        if not text or text[0].isspace() or _BLOCK_START.match(text):
            return None
        inner.append(text)
    text = _inline("\n".join(inner))
    return None if text is None else f"<blockquote>\n<p>{text}</p>\n</blockquote>"


def _list(lines: list[str], ordered: bool) -> str | None:
    """A tight list, one line an item, every item marked alike."""
    marker = _NUMBER if ordered else _BULLET
    items = []
    start = ""
    for line in lines:
        mark = marker.match(line)
        if mark is None:
            return None   # a lazy line, or an item of the other kind
        text = line[mark.end():]
        if ordered and not items:
            start = mark[1]
        if _BLOCK_START.match(text):
            return None
        inline = _inline(text)
        if inline is None:
            return None
        items.append(f"<li>{inline}</li>")
    tag = "ol" if ordered else "ul"
    opening = f'<ol start="{start}">' if ordered and start != "1" else f"<{tag}>"
    return "\n".join((opening, *items, f"</{tag}>"))


def _inline(text: str) -> str | None:
    """Text with its links made, escaped as Python-Markdown escapes it; None where it
    holds any other syntax (a bracket that is not a link's, a '>'), or starts with a
    space Python-Markdown would take off (a no-break space, say)."""
    if ">" in text or text[0].isspace():
        return None
    if "[" not in text and "]" not in text:
        return text.replace("&", "&amp;")
    parts = []
    at = 0
    for link in _LINK.finditer(text):
        parts.append(text[at:link.start()])
        parts.append(f'<a href="{link[2]}">{link[1]}</a>')
        at = link.end()
    parts.append(text[at:])
    if any("[" in part or "]" in part for part in parts[::2]):
        return None
    return "".join(parts).replace("&", "&amp;")
