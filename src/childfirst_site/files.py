"""The files under a folder: one directory listing per folder and no pathlib object per
file (a large archive has tens of thousands). Links to folders are not entered, as
pathlib's rglob does not enter them."""
from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path


def walk(folder: Path) -> Iterator[tuple[str, os.DirEntry[str]]]:
    """(path relative to folder, with "/", its directory entry) of everything under folder."""
    pending = [""]
    while pending:
        below = pending.pop()
        with os.scandir(os.path.join(folder, below) if below else folder) as listing:
            for entry in listing:
                relative = f"{below}/{entry.name}" if below else entry.name
                yield relative, entry
                if entry.is_dir(follow_symlinks=False):
                    pending.append(relative)


def files_under(folder: Path, links: list[str] | None = None) -> list[tuple[str, os.stat_result]]:
    """(relative path, its stat, links followed) of every file under folder, in the order
    sorted(folder.rglob("*")) gives. `links` gets the relative path of every symbolic
    link met, to a file or a folder."""
    found: list[tuple[str, os.stat_result]] = []
    if not folder.is_dir():
        return found
    for relative, entry in walk(folder):
        try:
            if links is not None and entry.is_symlink():
                links.append(relative)
            if entry.is_file():
                found.append((relative, entry.stat()))
        except OSError:
            continue   # gone, or a broken link: not a file to read
    found.sort(key=lambda item: listing_order(item[0]))
    return found


def listing_order(relative: str) -> list[str]:
    """The sort key of a relative path in files_under's order."""
    return relative.split("/")
