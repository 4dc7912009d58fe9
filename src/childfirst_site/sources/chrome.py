"""The publisher's page chrome, as data: every rule the raw-page reader uses to tell
site furniture from article text lives here, so a change to the publisher's template
is an edit to this file, not to the parser.

A line's role decides what the reader does with it:
- NAV: the navigation under the banner; the first NAV line ends the banner.
- BANNER_LINK: the banner's link label ("Read more"); never part of the banner text.
- CLOSING: enquiry prompt, company blurb, newsletter block, footer: ends the article.
- RELATED_HEADING / RELATED_INTRO / RELATED_END: the "Knowledge & Resources" block.
- INLINE: furniture that can sit anywhere (share prompts); dropped where found.
"""
from __future__ import annotations

import re
from enum import Enum


class Role(str, Enum):
    NAV = "nav"
    BANNER_LINK = "banner_link"
    CLOSING = "closing"
    RELATED_HEADING = "related_heading"
    RELATED_INTRO = "related_intro"
    RELATED_END = "related_end"
    INLINE = "inline"


# Whole lines, compared after collapsing whitespace. Case matters only where the
# publisher uses case to tell two roles apart ("Make an Enquiry" in the navigation,
# "Make an enquiry" as the prompt that opens the closing block).
EXACT_LINES: dict[str, Role] = {
    "Make an Enquiry": Role.NAV,
    "Contact Us": Role.NAV,
    "Read more": Role.BANNER_LINK,
    "Make an enquiry": Role.CLOSING,
    "Working Together For Children": Role.CLOSING,
    "Children First": Role.CLOSING,
    "Subscribe Today": Role.CLOSING,
    "Subscribe": Role.CLOSING,
    "WP Quality Assured": Role.CLOSING,
    "Knowledge & Resources": Role.RELATED_HEADING,
    "Knowledge and Resources": Role.RELATED_HEADING,
    "Read Full Story": Role.RELATED_END,
    "Share this article": Role.INLINE,
    "Share this:": Role.INLINE,
    "Share": Role.INLINE,
}

# Line openings of the publisher's longer boilerplate sentences (case-insensitive).
PREFIXES: tuple[tuple[str, Role], ...] = (
    ("A multi-disciplinary organisation providing", Role.CLOSING),
    ("Sign up to receive our free", Role.CLOSING),
    ("Children First is an online resource", Role.CLOSING),
    ("Delivering a diverse, reliable range of services", Role.CLOSING),
    ("A Mackman Group collaboration", Role.CLOSING),
    ("Copyright ©", Role.CLOSING),
    ("©", Role.CLOSING),
    ("Keep abreast of the latest news", Role.RELATED_INTRO),
)

# Words of the icon font the page's social links and menu buttons print as text.
ICON_WORDS = ("close", "chevron", "down", "up", "left", "right", "bars", "menu", "search",
              "linkedin", "facebook", "pinterest", "youtube", "rss", "twitter", "instagram",
              "tiktok", "whatsapp", "email", "envelope", "x", "blank", "square", "circle")
_ICON_TOKEN = re.compile(r"^(?:%s|-)+$" % "|".join(sorted(ICON_WORDS, key=len, reverse=True)))

# A UK postcode closing a line marks the publisher's address in the footer.
_POSTCODE_LINE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$")

# Related-story date slot.
RELATED_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
# A teaser's closing ellipsis, which the reader drops.
TEASER_ELLIPSIS = re.compile(r"\s*\[(?:\.\.\.|…)\]\s*$")

# Byline: a short separate line under the title.
BYLINE = re.compile(r"^By\s+\S")
BYLINE_MAX_WORDS = 12

# At most this many banner lines can stand above the navigation.
BANNER_MAX_LINES = 6

# Campaign line / subheading: a short stand-alone label without closing punctuation.
LABEL_MAX_WORDS = 12


def _collapse(line: str) -> str:
    return " ".join(line.split())


_EXACT = {_collapse(k): v for k, v in EXACT_LINES.items()}
_EXACT_FOLDED: dict[str, Role] = {}
for _k, _v in _EXACT.items():
    # Case-folded fallback only for lines whose case carries no meaning.
    if _k.casefold() not in ("make an enquiry",):
        _EXACT_FOLDED.setdefault(_k.casefold(), _v)


def classify_line(line: str) -> Role | None:
    """The chrome role of one line of page text, or None for article text."""
    text = _collapse(line)
    if not text:
        return None
    role = _EXACT.get(text) or _EXACT_FOLDED.get(text.casefold())
    if role:
        return role
    folded = text.casefold()
    for prefix, prefix_role in PREFIXES:
        if folded.startswith(prefix.casefold()):
            return prefix_role
    tokens = folded.split()
    if len(tokens) >= 2 and all(_ICON_TOKEN.match(t) for t in tokens):
        return Role.CLOSING
    if _POSTCODE_LINE.search(text) and len(tokens) <= 20 and text.count(",") >= 2:
        return Role.CLOSING
    return None
