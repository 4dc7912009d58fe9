"""Read a raw scraped article page (plain text) into its article parts.

The page is a sequence of lines: banner, navigation, title, optional byline, body,
an optional campaign label, the closing chrome, the "Knowledge & Resources" block
and the footer. What counts as chrome is data in `chrome.py`; this module only
walks the lines. Blank lines carry no meaning here (pages come with one, two or
none between paragraphs).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from ..errors import ContentError
from ..model import Block, Quote, RelatedStory
from . import chrome
from .chrome import Role
from .quotes import find_quotes

# Any bullet glyph, or 1. / 1) numbering, followed by whitespace (no-break spaces too).
LIST_MARKER = re.compile(r"^[\s\u00a0]*(?:(?P<bullet>[-*•●▪◦·‣–—])|(?P<number>\d{1,3}[.)]))[\s\u00a0]+(?P<text>\S.*)$")
# A line that does not end like this and is followed by a lower-case line was hard-wrapped.
SENTENCE_CLOSERS = (".", "!", "?", ":", "”", "’", '"', ")")
LABEL_CLOSERS = (*SENTENCE_CLOSERS, ";", ",", "…", "]", "'")
DATELINE = re.compile(r"^(?:Published:?\s*|Posted:?\s*|Date:?\s*)?(?P<date>\d{1,2}/\d{1,2}/\d{4}|\d{1,2} [A-Z][a-z]+ \d{4})$")


@dataclass
class RawArticle:
    title: str
    title_line: int
    banner: str | None
    byline: str | None
    dateline: dt.date | None
    blocks: list[Block]
    quotes: list[Quote]
    related: list[RelatedStory]
    campaign_line: str | None = None
    chrome_lines: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Line:
    number: int
    text: str        # whitespace-collapsed
    raw: str


def _collapse(text: str) -> str:
    return " ".join(text.split())


def _lines(text: str) -> list[_Line]:
    out = []
    for number, raw in enumerate(text.splitlines(), start=1):
        collapsed = _collapse(raw)
        if collapsed:
            out.append(_Line(number, collapsed, raw))
    return out


def parse_date_text(text: str) -> dt.date | None:
    """DD/MM/YYYY or "12 March 2021"; None when it is not a real date."""
    for fmt in ("%d/%m/%Y", "%d %B %Y", "%d %b %Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def parse_raw_page(text: str, path: str) -> RawArticle:
    """Split a raw page into its parts; raises ContentError when no article is found."""
    lines = _lines(text)
    roles = [chrome.classify_line(line.text) for line in lines]
    chrome_lines: list[str] = []

    # Banner: everything above the navigation, if the page opens with one.
    position = 0
    nav_at = None
    for i, role in enumerate(roles[: chrome.BANNER_MAX_LINES + 1]):
        if role is Role.NAV:
            nav_at = i
            break
        if role not in (None, Role.BANNER_LINK):
            break
    banner = None
    if nav_at is not None:
        banner_lines = [line.text for line, role in zip(lines[:nav_at], roles[:nav_at]) if role is None]
        banner = "\n".join(banner_lines) or None
        chrome_lines.extend(line.text for line in lines[:nav_at])
        position = nav_at
        while position < len(lines) and roles[position] in (Role.NAV, Role.BANNER_LINK):
            chrome_lines.append(lines[position].text)
            position += 1

    if position >= len(lines) or roles[position] is not None:
        raise ContentError(path, "no article found: expected a headline line after the navigation",
                           line=lines[position].number if position < len(lines) else None,
                           hint="is this a raw article page? the title should follow 'Contact Us'")
    title_line = lines[position]
    title = title_line.text
    position += 1
    if position < len(lines) and lines[position].text == title:
        position += 1  # some pages print the headline twice
    byline = None
    if position < len(lines) and chrome.BYLINE.match(lines[position].text) \
            and len(lines[position].text.split()) <= chrome.BYLINE_MAX_WORDS:
        byline = lines[position].text
        position += 1
    dateline = None
    if position < len(lines):
        match = DATELINE.match(lines[position].text)
        if match and parse_date_text(match.group("date")):
            dateline = parse_date_text(match.group("date"))
            position += 1

    # Body: up to the first closing chrome line.
    body: list[_Line] = []
    end = position
    while end < len(lines):
        role = roles[end]
        span = 1
        if role is None:
            # A chrome line hard-wrapped ("Make" / "an enquiry", "Working" / "together" /
            # "for children") is still chrome.
            role, span = _wrapped_chrome(lines, end)
            for i in range(end, end + span):
                roles[i] = role
        if role in (Role.INLINE, Role.BANNER_LINK):
            chrome_lines.extend(line.text for line in lines[end:end + span])
        elif role is not None:
            break
        else:
            body.append(lines[end])
        end += span
    if not body:
        raise ContentError(path, "no article text found under the title", line=title_line.number,
                           hint="the body should start on the line after the headline")

    campaign = None
    last = body[-1]
    if len(body) > 1 and not LIST_MARKER.match(last.raw) and _is_label(last.text):
        campaign = last.text
        chrome_lines.append(campaign)
        body = body[:-1]

    blocks, quotes = _body_blocks(body)
    related, related_chrome = _related_block(lines[end:], roles[end:])
    chrome_lines.extend(related_chrome)
    return RawArticle(title=title, title_line=title_line.number, banner=banner, byline=byline,
                      dateline=dateline, blocks=blocks, quotes=quotes, related=related,
                      campaign_line=campaign, chrome_lines=chrome_lines)


# Chrome lines are a few words: this many hard-wrapped lines at most.
_MAX_WRAPPED_CHROME = 4


def _wrapped_chrome(lines: list[_Line], start: int) -> tuple[Role | None, int]:
    """(role, lines) of chrome hard-wrapped over the lines from `start`, or (None, 1)."""
    text = lines[start].text
    for end in range(start + 1, min(start + _MAX_WRAPPED_CHROME, len(lines))):
        if not _wraps(lines[end - 1], lines[end]):
            break
        text = f"{text} {lines[end].text}"
        role = chrome.classify_line(text)
        if role is not None:
            return role, end - start + 1
    return None, 1


def _continues(previous: str, text: str) -> bool:
    """Whether `text` continues `previous`, hard-wrapped mid-sentence."""
    return not previous.endswith(SENTENCE_CLOSERS) and text[:1].islower()


def _wraps(line: _Line, following: _Line) -> bool:
    return _continues(line.text, following.text) and not LIST_MARKER.match(following.raw)


def _is_label(text: str) -> bool:
    """A short stand-alone label: a subheading, or a campaign link after the last paragraph."""
    return (len(text.split()) <= chrome.LABEL_MAX_WORDS and not text.endswith(LABEL_CLOSERS)
            and text[:1].isupper())


def _body_blocks(body: list[_Line]) -> tuple[list[Block], list[Quote]]:
    # First pass: paragraphs and list items, joining hard-wrapped lines.
    units: list[list] = []  # [kind, text, ordered]
    for line in body:
        marker = LIST_MARKER.match(line.raw)
        if marker:
            units.append(["item", _collapse(marker.group("text")), marker.group("number") is not None])
            continue
        if units and _continues(units[-1][1], line.text):
            units[-1][1] += " " + line.text
            continue
        units.append(["para", line.text, False])

    # Short unpunctuated lines between paragraphs are subheadings.
    for i, unit in enumerate(units):
        if unit[0] == "para" and 0 < i < len(units) - 1 and _is_label(unit[1]):
            unit[0] = "subheading"

    paragraphs = [unit[1] for unit in units if unit[0] == "para"]
    quotes = find_quotes(paragraphs)
    quote_of_paragraph: dict[int, int] = {}
    for quote_index, (_, indexes) in enumerate(quotes):
        for paragraph_index in indexes:
            quote_of_paragraph[paragraph_index] = quote_index

    blocks: list[Block] = []
    paragraph_index = -1
    open_quote: int | None = None
    quote_lines: list[str] = []

    def flush_quote() -> None:
        nonlocal open_quote, quote_lines
        if open_quote is not None:
            blocks.append(Block("quote", tuple(quote_lines), speaker=quotes[open_quote][0].speaker))
        open_quote, quote_lines = None, []

    i = 0
    while i < len(units):
        kind, text, ordered = units[i]
        if kind == "para":
            paragraph_index += 1
            quote_index = quote_of_paragraph.get(paragraph_index)
            if quote_index is not None and paragraph_index > 0:
                if quote_index != open_quote:
                    flush_quote()
                    open_quote = quote_index
                quote_lines.append(text)
                i += 1
                continue
            flush_quote()
            blocks.append(Block("paragraph", (text,)))
            i += 1
        elif kind == "subheading":
            flush_quote()
            blocks.append(Block("subheading", (text,)))
            i += 1
        else:
            flush_quote()
            items = []
            while i < len(units) and units[i][0] == "item" and units[i][2] == ordered:
                items.append(units[i][1])
                i += 1
            blocks.append(Block("list", tuple(items), ordered=ordered))
    flush_quote()
    return blocks, [quote for quote, _ in quotes]


def _related_block(lines: list[_Line], roles: list[Role | None]) -> tuple[list[RelatedStory], list[str]]:
    """Entries of the "Knowledge & Resources" block, and the chrome lines around them."""
    chrome_lines: list[str] = []
    entries: list[list[_Line]] = []
    current: list[_Line] = []
    in_block = False
    for line, role in zip(lines, roles):
        if role is Role.RELATED_HEADING:
            in_block = True
            chrome_lines.append(line.text)
            continue
        if not in_block or role is not None:
            if role is Role.RELATED_END and current:
                entries.append(current)
                current = []
            elif in_block and role in (Role.CLOSING, Role.NAV) and current:
                entries.append(current)  # an entry without its "Read Full Story" link
                current = []
            chrome_lines.append(line.text)
            continue
        current.append(line)
    if current and in_block:
        # Lines after the last entry that are not chrome: keep as an entry only if it
        # looks like one (a title and a teaser ending in the ellipsis).
        if any(chrome.TEASER_ELLIPSIS.search(line.text) for line in current):
            entries.append(current)
    return [_related_entry(entry) for entry in entries], chrome_lines


def _related_entry(entry: list[_Line]) -> RelatedStory:
    texts = [line.text for line in entry]
    title = texts[0]
    rest = texts[1:]
    if title.endswith((":", "–", "—")) and rest and not chrome.RELATED_DATE.match(rest[0]):
        title = f"{title} {rest[0]}"  # a title split over two lines
        rest = rest[1:]
    date = None
    if rest:
        match = chrome.RELATED_DATE.match(rest[0])
        if match:
            date = parse_date_text(rest[0])
            rest = rest[1:]
    extra = None
    teaser_parts: list[str] = []
    for text in rest:
        if extra is None and len(text.split()) <= 8 and not text.endswith(LABEL_CLOSERS):
            extra = text
        else:
            teaser_parts.append(text)
    # Paragraph breaks are kept ("\n\n") so a teaser page can show them.
    teaser = chrome.TEASER_ELLIPSIS.sub("", "\n\n".join(teaser_parts)).strip()
    return RelatedStory(title=title, date=date, teaser=teaser, extra=extra)
