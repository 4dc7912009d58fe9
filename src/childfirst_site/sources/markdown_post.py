"""Markdown sources with YAML front matter: editors' posts and the site's own pages."""
from __future__ import annotations

import html as html_text
import re
from collections.abc import Iterator
from pathlib import PurePath

import nh3
import lxml.html
from lxml.html import HtmlElement

from ..errors import ContentError, Warning_
from ..links import images_elsewhere, images_without_alt, site_references
from ..model import Block, Page, Post, PostKind, Quote
from ..slugs import is_valid_slug, slugify
from ..yamltext import YamlDoc, load_yaml
from .markdown_convert import convert
from .metadata import FRONT_MATTER_KEYS, read_metadata
from .text import REFERENCES_NOTE, without_controls
from .typography import smarten

FENCE = "---"
_DATE_PREFIX = re.compile(r"^\d{4}-\d{2}-\d{2}-")
_ATTRIBUTION = re.compile(r"^[—–-]\s*(?P<who>.+)$")

# Editors may write raw HTML in Markdown; only presentational markup is kept.
ALLOWED_TAGS = {"a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "dl", "dt",
                "em", "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd",
                "li", "mark", "ol", "p", "pre", "q", "s", "small", "strong", "sub", "sup", "table", "tbody",
                "td", "tfoot", "th", "thead", "tr", "ul"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "width", "height"},
                      "th": {"scope", "colspan", "rowspan"}, "td": {"colspan", "rowspan"},
                      "abbr": {"title"}, "ol": {"start"}, "*": {"id"}}
# Made once: nh3.clean() converts its settings on every call (0.10 against 0.06 ms a
# body on the benchmark corpus).
_SANITISER = nh3.Cleaner(tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                         url_schemes={"http", "https", "mailto", "tel"}, link_rel="noopener")


def split_front_matter(text: str, path: str) -> tuple[YamlDoc, str]:
    """The front matter (with line numbers of the file) and the Markdown body."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != FENCE:
        raise ContentError(path, "no front matter: the file must start with a line '---'",
                           line=1, hint="add '---', then title: and date:, then '---' above the text")
    for index in range(1, len(lines)):
        if lines[index].strip() == FENCE:
            doc = load_yaml("\n".join(lines[1:index]), path, first_line=2)
            return doc, "\n".join(lines[index + 1:])
    raise ContentError(path, "front matter is not closed", line=1,
                       hint="add a line '---' after the last front-matter key")


# A page's only h1 is its title: a "#" heading in a body is a section of it, one below.
_H1 = re.compile(r"<(/?)h1\b", re.IGNORECASE)


# Raw HTML whose content or working the sanitiser takes out, not only its formatting
# (a <div> or <span> goes, what it held stays): an editor is told, not left to find it gone.
_DROPPED_WITH_CONTENT = re.compile(
    r"<(iframe|object|embed|video|audio|script|style|form|input|button|select|textarea|svg|canvas|math|map)\b",
    re.IGNORECASE)


def dropped_html(body: str) -> list[str]:
    """The kinds of raw HTML element in a Markdown body that its page will not show."""
    if "<" not in body:
        return []
    found = _DROPPED_WITH_CONTENT.findall(convert(body)[0])   # not in code, which Markdown escapes
    return list(dict.fromkeys(name.lower() for name in found))


def html_warnings(body: str, body_html: str, path: str) -> list[Warning_]:
    """What a reader of the page would miss: raw HTML taken out, images with no alt
    text, images from other sites (which the pages' security policy blocks)."""
    warnings = [Warning_(path, f"<{name}> removed: pages show no embedded players, scripts, styles or forms "
                               "(link to what it showed instead)") for name in dropped_html(body)]
    warnings += [Warning_(path, f"the image {source} has no alt text: a screen reader reads out its file name "
                                "instead (describe it, as ![what it shows](…), or write alt=\"\" if it is only "
                                "decoration)") for source in images_without_alt(body_html)]
    warnings += [Warning_(path, f"the image {source} is on another site: pages load nothing from other sites, so "
                                "it would not show (save it in static/ and use its address there)")
                 for source in images_elsewhere(body_html)]
    return warnings


def render_markdown(body: str, notes: list[str] | None = None) -> tuple[str, bool]:
    """The body's sanitised HTML, and whether it is plain Markdown's (see
    blocks_from_plain_html). Control characters that character references in the body
    decode to (`&#1;`) are taken out, and `notes` told (a plain body holds no reference)."""
    html, plain = convert(body)
    html = _SANITISER.clean(_H1.sub(r"<\1h2", html))
    if not plain:
        html, removed = without_controls(html)
        if removed and notes is not None:
            notes.append(REFERENCES_NOTE.format(count=removed))
    return smarten(html), plain


# Elements that start a new line of text: words either side of one are apart, even
# with no space between them in the HTML. (Text either side of a link or emphasis is
# not: "a [link](/x)." reads "a link.", not "a link .")
_BREAKS = frozenset({"address", "blockquote", "br", "caption", "dd", "div", "dl", "dt", "figcaption", "figure",
                     "h1", "h2", "h3", "h4", "h5", "h6", "hr", "li", "ol", "p", "pre", "table", "tbody", "td",
                     "tfoot", "th", "thead", "tr", "ul"})


def _text(tag: HtmlElement) -> str:
    """The element's text as one line of words, spaces between blocks but not around
    inline markup."""
    if not any(element.tag in _BREAKS for element in tag.iterdescendants()):
        return " ".join(tag.text_content().split())
    parts: list[str] = []

    def add(element: HtmlElement) -> None:
        parts.append(element.text or "")
        for child in element:
            apart = child.tag in _BREAKS
            parts.append(" " if apart else "")
            if isinstance(child.tag, str):
                add(child)
            parts.append((" " if apart else "") + (child.tail or ""))

    add(tag)
    return " ".join("".join(parts).split())


def blocks_from_html(html: str) -> tuple[list[Block], list[Quote]]:
    """Structured body of rendered Markdown, for data output, word counts and search.
    lxml (already here for feedgen) parses it: this runs for every post of every build."""
    blocks: list[Block] = []
    quotes: list[Quote] = []
    if not html.strip():
        return blocks, quotes
    for tag in lxml.html.fragments_fromstring(html):
        if not isinstance(tag, HtmlElement) or not isinstance(tag.tag, str):
            continue  # text between blocks, comments
        name = tag.tag
        if name == "p":
            blocks.append(Block("paragraph", (_text(tag),)))
        elif name in ("ul", "ol"):
            items = tuple(_text(li) for li in tag.iter("li"))
            blocks.append(Block("list", items, ordered=name == "ol"))
        elif name in ("h2", "h3", "h4", "h5", "h6"):
            blocks.append(Block("subheading", (_text(tag),)))
        elif name == "blockquote":
            lines = [_text(p) for p in tag.iter("p")] or [_text(tag)]
            speaker = None
            match = _ATTRIBUTION.match(lines[-1]) if lines else None
            if match and len(lines) > 1:
                speaker = match.group("who").strip()
                lines = lines[:-1]
            blocks.append(Block("quote", tuple(lines), speaker=speaker))
            quotes.append(Quote(" ".join(lines).strip("“”\""), speaker))
        elif _text(tag):
            blocks.append(Block("paragraph", (_text(tag),)))
    return blocks, quotes


# The blocks of plain Markdown's HTML, once sanitised and smartened (see plain_markdown):
# paragraphs, headings, one-paragraph quotes and lists of one-line items, one after
# another, none inside another of its kind, holding only text, links and entities.
_PLAIN_OPENING = re.compile(r"<(p|h[2-6]|blockquote|ul|ol)\b[^>]*>")
_PLAIN_ITEM = re.compile(r"<li>(.*?)</li>", re.DOTALL)
_ANY_TAG = re.compile(r"<[^>]*>")


def _plain_text(inner: str) -> str:
    if "<" in inner:
        inner = _ANY_TAG.sub("", inner)
    return " ".join(html_text.unescape(inner).split())


def _plain_blocks(html: str) -> Iterator[tuple[str, str]]:
    """(name, inner HTML) of each block: as a regular expression from an opening tag to
    the first closing one of its name finds them, but with the closing tag looked for by
    str.find. (Such an expression tries the closing tag at every character: 74 µs a post
    on the benchmark's posts, against 52 µs so.)"""
    at = 0
    while (opening := _PLAIN_OPENING.search(html, at)) is not None:
        name = opening[1]
        close = html.find(f"</{name}>", opening.end())
        if close < 0:
            at = opening.start() + 1
            continue
        yield name, html[opening.end():close]
        at = close + len(name) + 3


def blocks_from_plain_html(html: str) -> tuple[list[Block], list[Quote]]:
    """blocks_from_html's answer for the HTML of a plain Markdown body, whose few shapes
    are known, read without parsing it (a tenth of every post read went on parsing)."""
    blocks: list[Block] = []
    quotes: list[Quote] = []
    for name, inner in _plain_blocks(html):
        if name in ("ul", "ol"):
            blocks.append(Block("list", tuple(_plain_text(item) for item in _PLAIN_ITEM.findall(inner)),
                                ordered=name == "ol"))
            continue
        text = _plain_text(inner)
        if name == "blockquote":
            blocks.append(Block("quote", (text,)))
            quotes.append(Quote(text.strip("“”\""), None))
        elif name == "p":
            blocks.append(Block("paragraph", (text,)))
        else:
            blocks.append(Block("subheading", (text,)))
    return blocks, quotes


def slug_from_filename(path: str) -> str:
    return slugify(_DATE_PREFIX.sub("", PurePath(path).stem))


def read_markdown_post(text: str, path: str, topic_slugs: set[str],
                       errors: list[ContentError], warnings: list[Warning_]) -> Post | None:
    """A post, or None when it has errors (which are appended to `errors`)."""
    try:
        doc, body = split_front_matter(text, path)
    except ContentError as exc:
        errors.append(exc)
        return None
    found: list[ContentError] = []
    meta = read_metadata(doc, FRONT_MATTER_KEYS, topic_slugs, found, warnings)
    if isinstance(doc.data, dict):
        for key in ("title", "date"):
            if doc.data.get(key) in (None, ""):
                found.append(ContentError(path, f"missing {key}", line=1,
                                          hint=f"add '{key}: …' to the front matter"))
    elif doc.data is None:
        found.append(ContentError(path, "front matter is empty", line=1, hint="add title: and date:"))
    if found:
        errors.extend(found)
        return None
    assert meta.title is not None and meta.date is not None
    notes: list[str] = []
    body_html, plain = render_markdown(body, notes)
    warnings.extend(Warning_(path, note) for note in notes)
    blocks, quotes = (blocks_from_plain_html if plain else blocks_from_html)(body_html)
    summary = meta.summary or next((b.lines[0] for b in blocks if b.kind == "paragraph"), "")
    warnings.extend(html_warnings(body, body_html, path))
    return Post(source=path, kind=PostKind.ARTICLE, title=meta.title,
                slug=meta.slug or slug_from_filename(path), date=meta.date, updated=meta.updated,
                author=meta.author, summary=summary, blocks=blocks, body_html=body_html, quotes=quotes,
                topics=meta.topics, source_organisations=meta.source_organisations, draft=meta.draft,
                pinned_related=meta.related, not_related=meta.not_related,
                figure_edits=meta.figures, links=site_references(body_html))


PAGE_KEYS = {"title", "summary", "slug"}


def read_page(text: str, path: str, errors: list[ContentError], warnings: list[Warning_]) -> Page | None:
    try:
        doc, body = split_front_matter(text, path)
    except ContentError as exc:
        errors.append(exc)
        return None
    data = doc.data if isinstance(doc.data, dict) else {}
    for key in data:
        if key not in PAGE_KEYS:
            warnings.append(Warning_(path, f"unknown key '{key}' ignored (known keys: "
                                           f"{', '.join(sorted(PAGE_KEYS))})", doc.line_of(key)))
    title = data.get("title")
    if not isinstance(title, str) or not title.strip():
        errors.append(ContentError(path, "missing title", line=1, hint="add 'title: …' to the front matter"))
        return None
    slug = data.get("slug")
    if slug is None:
        slug = slug_from_filename(path)
    elif not isinstance(slug, str) or not is_valid_slug(slug.strip()):
        # The page is written at /<slug>/: a slug like "feed.xml" would turn the site's
        # own files into folders.
        errors.append(doc.error(("slug",), f'slug "{slug}" is not a valid slug',
                                "use lower-case letters, digits and single hyphens, e.g. about-us"))
        return None
    notes: list[str] = []
    body_html = render_markdown(body, notes)[0]
    warnings.extend(Warning_(path, note) for note in notes)
    warnings.extend(html_warnings(body, body_html, path))
    return Page(source=path, slug=slug.strip(), title=title.strip(), summary=str(data.get("summary") or ""),
                body_html=body_html)
