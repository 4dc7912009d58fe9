"""Smart punctuation over finished HTML: curly quotes and apostrophes, en and em dashes,
ellipses. Python-Markdown's smarty extension does the same through its inline-pattern
machinery and, measured on our posts, costs more than the rest of the Markdown
conversion together; this is one pass of regular expressions over the text between tags."""
from __future__ import annotations

import re

_TOKENS = re.compile(r"(<[^>]*>)")
_RAW = re.compile(r"<(/?)(code|pre|kbd|samp|script|style)\b", re.IGNORECASE)
_QUOTE = re.compile(r"[\"']")
_OPENERS = set(" \t\n\r\u00a0([{\u2018\u201c\u2014\u2013-/")
_DECADE = re.compile(r"\d\ds\b")
_BLOCK_EDGE = re.compile(r"</?(p|li|h\d|blockquote|td|th|br|div|dd|dt)\b")


def _curl(text: str, before: str) -> str:
    """`before` is the visible character in front of `text` ("" at the start)."""
    def replace(match: re.Match[str]) -> str:
        at = match.start()
        prev = text[at - 1] if at else before
        nxt = text[at + 1] if at + 1 < len(text) else ""
        if match.group() == '"':
            opening = (prev == "" or prev in _OPENERS) and nxt not in ("", " ", "\n", "\t")
            return "\u201c" if opening else "\u201d"
        if prev.isalnum() or _DECADE.match(text, at + 1):
            return "\u2019"  # an apostrophe: don't, children's, '90s
        opening = (prev == "" or prev in _OPENERS) and nxt not in ("", " ", "\n", "\t")
        return "\u2018" if opening else "\u2019"
    return _QUOTE.sub(replace, text)


# Tag → (change in the depth of raw text, whether it starts or ends a block). A body's
# tags are mostly the same few (<p>, </li>…): looked up, not matched twice each. With
# that, and dashes not looked for in every text of a body with none, smarten takes 22 µs
# a body on the benchmark's posts, against 40 µs.
_TAG_EFFECTS: dict[str, tuple[int, bool]] = {}
_MOST_TAGS_KNOWN = 4096   # links' tags are each different: not all remembered


def _tag_effect(tag: str) -> tuple[int, bool]:
    effect = _TAG_EFFECTS.get(tag)
    if effect is None:
        raw = _RAW.match(tag)
        effect = (0 if raw is None else -1 if raw.group(1) else 1, _BLOCK_EDGE.match(tag) is not None)
        if len(_TAG_EFFECTS) < _MOST_TAGS_KNOWN:
            _TAG_EFFECTS[tag] = effect
    return effect


def smarten(html: str) -> str:
    out: list[str] = []
    raw_depth = 0
    before = ""
    # Most bodies have no dashes or dots to replace: then no text is searched for them.
    dashes = "--" in html or "..." in html
    for token in _TOKENS.split(html):
        if not token:
            continue
        if token[0] == "<" and token[-1] == ">":
            depth, edge = _tag_effect(token)
            if depth:
                raw_depth = max(0, raw_depth + depth)
            if edge:
                before = ""  # a new block: a quote after it opens
            out.append(token)
            continue
        if raw_depth == 0:
            if dashes:
                token = token.replace("---", "\u2014").replace("--", "\u2013").replace("...", "\u2026")
            if '"' in token or "'" in token:
                token = _curl(token, before)
        out.append(token)
        before = token[-1]
    return "".join(out)
