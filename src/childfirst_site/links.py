"""Links and images in posts' and pages' bodies that lead nowhere on this site, images with
no text for a screen reader, and images from other sites (which pages never load): told
when the site is built, not found by a reader (or by `build.py check`, after it is
published)."""
from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from .errors import Warning_

if TYPE_CHECKING:
    from .model import Page, Post

# An address on this site as a body's (sanitised) HTML writes it: one slash, then a path
# (not //host/...). Found by what follows the attribute's name, then the name checked: a
# pattern starting with the name is tried at every character, 60 µs a post, not 4.
_REFERENCE = re.compile(r'="(/(?!/)[^"]*)"')
_IMAGE_WITHOUT_ALT = re.compile(r"<img\b(?![^>]*\balt=)[^>]*>")
_SRC = re.compile(r'\bsrc="([^"]*)"')
# Files the build makes besides pages (feeds, data files, the sitemap) are not looked
# for: their addresses are the build's own, and a body rarely links to them.
_NOT_LOOKED_FOR = (".xml", ".json", ".csv", ".txt")


def site_references(html: str) -> tuple[str, ...]:
    """Each address on this site that the body links to or shows, once, in order."""
    return tuple(dict.fromkeys(match.group(1) for match in _REFERENCE.finditer(html)
                               if html.endswith(" href", 0, match.start()) or html.endswith(" src", 0, match.start())))


_SITE_ADDRESS = re.compile(r' (href|src)="/(?!/)')


def under(html: str, prefix: str, base_path: str = "/", origin: str = "") -> str:
    """The body with each address on this site (written from the site's root: "/about/")
    put under `prefix`: the site's base path for its pages, where it is not "/", or its
    base URL for a feed, whose readers may show the body anywhere. `prefix` ends without
    a slash. An address that starts with the base path already is put under `origin`
    alone (a feed's scheme and host; "" for pages: left as it is)."""
    if not prefix or '="/' not in html:
        return html
    inside = base_path if base_path != "/" else None

    def put(match: re.Match[str]) -> str:
        if inside is not None and html.startswith(inside, match.end() - 1):
            return f' {match.group(1)}="{origin}/'
        return f' {match.group(1)}="{prefix}/'
    return _SITE_ADDRESS.sub(put, html)


def images_without_alt(html: str) -> list[str]:
    """The source of each image with no alt attribute: a screen reader reads its file name."""
    if "<img" not in html:
        return []
    sources = (_SRC.search(tag) for tag in _IMAGE_WITHOUT_ALT.findall(html))
    return [found.group(1) if found else "?" for found in sources]


_IMAGE_ELSEWHERE = re.compile(r'<img\b[^>]*\bsrc="((?:https?:)?//[^"]*)"', re.IGNORECASE)


def images_elsewhere(html: str) -> list[str]:
    """The source of each image on another site."""
    return list(dict.fromkeys(_IMAGE_ELSEWHERE.findall(html))) if "<img" in html else []


def leads_nowhere(reference: str, pages: Collection[str], files: Collection[str], base_path: str = "/") -> bool:
    """Whether an address on this site (`reference`, as a body writes it) is neither one
    of its pages (`pages`: URLs, "/about/") nor one of its files (`files`: paths under
    the site, "css/site.css")."""
    path = unquote(urlsplit(reference).path)
    if base_path != "/" and path.startswith(base_path):
        path = "/" + path[len(base_path):]
    if path in pages or path.endswith(_NOT_LOOKED_FOR):
        return False
    if path.endswith("/"):
        return True
    if path.endswith("/index.html") and path[: -len("index.html")] in pages:
        return False
    relative = path.lstrip("/")
    if relative in files:
        return False
    return "." in relative.rpartition("/")[2] or f"{path}/" not in pages   # /about: a server adds the slash


def link_warnings(posts: Iterable[Post], pages: Iterable[Page], page_urls: Collection[str], files: Collection[str],
                  base_path: str = "/", static_label: str = "static") -> list[Warning_]:
    """A warning for each address on this site a published post or page refers to that
    is neither a page the build makes (`page_urls`: its routes' URLs) nor a file
    (`files`: the static ones, from the folder `static_label` names)."""
    referring = [(post.source, post.links) for post in posts if post.links]
    referring += [(page.source, references) for page in pages if (references := site_references(page.body_html))]
    if not referring:
        return []
    nowhere: dict[str, bool] = {}   # most posts of an archive link to the same few addresses
    warnings = []
    for source, references in referring:
        for reference in references:
            found = nowhere.get(reference)
            if found is None:
                found = nowhere[reference] = leads_nowhere(reference, page_urls, files, base_path)
            if found:
                warnings.append(Warning_(source, _nowhere(reference, static_label)))
    return warnings


def _nowhere(reference: str, static_label: str) -> str:
    path = urlsplit(reference).path
    if "." in path.rpartition("/")[2] and not path.endswith(".html"):
        return f"refers to {reference}, which is not a file of this site (put it in {static_label}/{path.lstrip('/')})"
    return f"links to {reference}, which is not a page of this site (the post or page may be a draft, or renamed)"
