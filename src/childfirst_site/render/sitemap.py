"""sitemap.xml and robots.txt."""
from __future__ import annotations

import operator
from html import escape as _escape

from ..config import SiteConfig
from ..model import Post
from ..routes import Route
from .templates import absolute_url


def escape(text: str) -> str:
    """&, < and > as XML needs them in text (xml.sax.saxutils would do the same, but
    importing it imports urllib and http: 0.02 s of every build)."""
    return _escape(text, quote=False)


def sitemap_xml(routes: list[Route], posts: list[Post], config: SiteConfig) -> bytes:
    modified = {p.url: (p.updated or p.date) for p in posts}
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    # A large archive's sitemap lists every page, and is made again by any build that
    # changes something: a location is escaped only where it needs to be.
    for route in sorted(routes, key=operator.attrgetter("url")):
        if not route.in_sitemap:
            continue
        date = modified.get(route.url)
        loc = absolute_url(config, route.url)
        if "&" in loc or "<" in loc or ">" in loc:
            loc = escape(loc)
        lines.append(f"  <url><loc>{loc}</loc>"
                     + (f"<lastmod>{date.isoformat()}</lastmod></url>" if date is not None else "</url>"))
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def robots_txt(config: SiteConfig) -> bytes:
    return f"User-agent: *\nAllow: /\n\nSitemap: {absolute_url(config, '/sitemap.xml')}\n".encode("utf-8")
