"""`build.py check`: every internal link, anchor, image and asset in a built site resolves."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup

# Attributes that point at other resources, by element.
_REFERENCES = {"a": "href", "link": "href", "img": "src", "script": "src", "source": "src", "iframe": "src",
               "area": "href", "use": "href"}


@dataclass(frozen=True)
class BrokenReference:
    page: str      # the page it is on, relative to the site folder
    target: str    # as written
    reason: str

    def format(self) -> str:
        return f"{self.page}: {self.target} ({self.reason})"


def _file_for(site: Path, path: str) -> Path | None:
    target = site / unquote(path).lstrip("/")
    if path.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target if target.is_file() else None


def check_site(site: Path, base_url: str) -> tuple[list[BrokenReference], int]:
    """Broken internal references in every HTML page of `site`, and how many were checked."""
    base = urlsplit(base_url)
    base_path = base.path or "/"
    pages = sorted(site.rglob("*.html"))
    ids: dict[Path, set[str]] = {}
    parsed: dict[Path, BeautifulSoup] = {}
    for page in pages:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        parsed[page] = soup
        ids[page.resolve()] = {tag["id"] for tag in soup.find_all(id=True)} | \
                              {tag["name"] for tag in soup.find_all("a", attrs={"name": True})}
    broken: list[BrokenReference] = []
    checked = 0
    for page in pages:
        where = page.relative_to(site).as_posix()
        for tag in parsed[page].find_all(list(_REFERENCES)):
            target = tag.get(_REFERENCES[tag.name])
            if not target:
                continue
            parts = urlsplit(target)
            if parts.scheme in ("mailto", "tel", "data") or (parts.netloc and parts.netloc != base.netloc):
                continue
            if parts.scheme and parts.scheme not in ("http", "https"):
                broken.append(BrokenReference(where, target, f"unexpected scheme {parts.scheme}:"))
                continue
            checked += 1
            if not parts.path:  # "#anchor" on the same page
                file = page
            elif parts.path.startswith("/"):
                if not parts.path.startswith(base_path):
                    broken.append(BrokenReference(where, target, f"outside the site's path {base_path}"))
                    continue
                file = _file_for(site, "/" + parts.path[len(base_path):])
            else:
                # A relative path: resolve it against the page's folder, inside the site.
                relative = (Path("/") / page.parent.relative_to(site) / parts.path).as_posix()
                file = _file_for(site, relative)
            if file is None:
                broken.append(BrokenReference(where, target, "no such file"))
                continue
            if parts.fragment and file.suffix == ".html":
                if unquote(parts.fragment) not in ids.get(file.resolve(), set()):
                    broken.append(BrokenReference(where, target, f"no element with id '{parts.fragment}'"))
    return broken, checked
