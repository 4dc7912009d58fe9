"""The files under a folder: one directory listing per folder and no pathlib object per
file (a large archive has tens of thousands). Links to folders are not entered, as
pathlib's rglob does not enter them."""
from __future__ import annotations

import os
import stat
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


def files_under(folder: Path, links: list[str] | None = None,
                skipped: dict[str, str] | None = None) -> list[tuple[str, os.stat_result]]:
    """(relative path, its stat, links followed) of every file under folder, in the order
    sorted(folder.rglob("*")) gives. `links` gets the relative path of every symbolic
    link met, to a file or a folder. `skipped` gets, by relative path, why each entry
    that is neither a file nor a folder is not read (a link to nothing or to a folder, a
    pipe), unless it or a folder above it is hidden (a name starting with a dot): a
    build reports them rather than leave out what an editor may have meant as a post."""
    found: list[tuple[str, os.stat_result]] = []
    if not folder.is_dir():
        return found
    for relative, entry in walk(folder):
        try:
            if links is not None and entry.is_symlink():
                links.append(relative)
            if entry.is_file():
                found.append((relative, entry.stat()))
                continue
        except OSError:
            pass   # gone, or a link that cannot be followed: told below, if it is still there
        if skipped is not None and not entry.is_dir(follow_symlinks=False) and not is_hidden(relative):
            reason = why_not_read(entry.path)
            if reason:
                skipped[relative] = reason
    found.sort(key=lambda item: listing_order(item[0]))
    return found


def is_hidden(relative: str) -> bool:
    return any(part.startswith(".") for part in relative.split("/"))


def why_not_read(path: str) -> str:
    """Why the entry at `path`, neither a file nor a folder, is not read ("" if it is
    gone, or has become a file or folder)."""
    try:
        info = os.lstat(path)
    except OSError:
        return ""
    if stat.S_ISLNK(info.st_mode):
        try:
            target = os.readlink(path)
        except OSError:
            target = "?"
        try:
            followed = os.stat(path)
        except OSError:
            return f"a link to {target}, which is not there; fix or remove the link"
        if stat.S_ISDIR(followed.st_mode):
            return (f"a link to the folder {target}, and links to folders are not followed; "
                    "move the folder here instead")
        return "" if stat.S_ISREG(followed.st_mode) else f"a link to {target}, which is not a file"
    if stat.S_ISREG(info.st_mode) or stat.S_ISDIR(info.st_mode):
        return ""
    return "not a file but a pipe, a socket or a device"


def listing_order(relative: str) -> list[str]:
    """The sort key of a relative path in files_under's order."""
    return relative.split("/")
