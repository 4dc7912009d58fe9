"""Where the site's files go: the static files, listed, and the checks that no two
files would be written at one path, or one where another makes a folder. Told before
anything is written: staged one over the other, the last written would win unseen (a
file in static/about/ in place of the About page, a folder static/feed.xml/ in place of
the feed)."""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..errors import ContentError
from ..files import files_under
from ..routes import Route


def static_paths(static_dir: Path) -> list[str]:
    """The path under the site of each static file (hidden ones left out, and those
    files.files_under skips), sorted."""
    return [relative for relative, _ in files_under(static_dir) if not relative.rpartition("/")[2].startswith(".")]


def check_outputs(routes: list[Route]) -> None:
    """No two pages at one path."""
    seen: dict[str, Route] = {}
    for route in routes:
        other = seen.setdefault(route.output_path, route)
        if other is route:
            continue
        # A content page (pages/*.md) is written at /<slug>/, beside the site's own pages.
        pages = [made for made in (other, route) if "page" in made.context]
        if len(pages) == 1:
            own = other if pages[0] is route else route
            raise ContentError(pages[0].context["page"].source,
                               f"{route.url} is the address of the site's own page ({own.template})", line=1,
                               hint=f"give this page a slug of its own in its front matter, e.g. "
                                    f"slug: {pages[0].context['page'].slug}-page")
        raise ContentError(route.output_path, "two pages would write the same file",
                           hint="two posts or pages share a slug")


def check_static(static_dir: Path, static: list[str], made: Iterable[str], folders: Iterable[str] = ()) -> None:
    """No static file (`static`, see static_paths) at a path the build makes a file of
    (`made`), nor where it makes a folder: under one of `folders`, or a folder above a
    file it makes; nor a folder of static files where it makes a file."""
    made_paths = list(made)
    files = set(made_paths)
    label = static_dir.name
    for path in static:
        parts = path.split("/")
        if path in files:
            raise ContentError(f"{label}/{path}", "the site makes a file at this path itself",
                               hint=f"rename or move it: the build would write one over the other at /{path}")
        for depth in range(1, len(parts)):
            folder = "/".join(parts[:depth])
            if folder in files:
                raise ContentError(f"{label}/{path}", f"the site makes a file at /{folder}, where this is in a folder",
                                   hint=f"rename the folder {label}/{folder}")
        for folder in folders:
            if path == folder or path.startswith(f"{folder}/"):
                raise ContentError(f"{label}/{path}", f"the build writes the folder /{folder}/ itself",
                                   hint=f"move it out of {label}/{folder}")
    # Whether a static file is a folder the build makes, one search of all its paths at
    # once each: for 13,000 pages, a tenth of the time of listing every folder they are in.
    joined = "\n" + "\n".join(made_paths) if static else ""
    for path in static:
        if f"\n{path}/" in joined:
            raise ContentError(f"{label}/{path}", f"the site makes a folder at /{path}/, where this is a file",
                               hint="rename or move it")
