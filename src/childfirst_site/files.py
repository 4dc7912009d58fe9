"""The files under a folder: one directory listing per folder and no pathlib object per
file (a large archive has tens of thousands). Links to folders are not entered, as
pathlib's rglob does not enter them."""
from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path


def walk(folder: Path) -> Iterator[tuple[str, os.DirEntry[str]]]:
    """(path relative to folder, with "/", its directory entry) of everything under folder.
    A folder whose name is not UTF-8 (see is_text_name) is not entered."""
    pending = [""]
    while pending:
        below = pending.pop()
        with os.scandir(os.path.join(folder, below) if below else folder) as listing:
            for entry in listing:
                relative = f"{below}/{entry.name}" if below else entry.name
                yield relative, entry
                if entry.is_dir(follow_symlinks=False) and is_text_name(entry.name):
                    pending.append(relative)


def is_text_name(name: str) -> bool:
    """Whether a name read from the file system is UTF-8 text. One written in another
    system's encoding (a Latin-1 "café.md" out of an old archive) comes with its bytes as
    lone surrogates, which nothing can write out as UTF-8: not a page's path, a message,
    or the build's record of its inputs (it stopped the build with a traceback)."""
    if name.isascii():
        return True
    try:
        name.encode()
    except UnicodeEncodeError:
        return False
    return True


def shown_name(relative: str) -> str:
    """A path as a message can show it, bytes that are not UTF-8 as \\xe9 and the like."""
    return os.fsencode(relative).decode("utf-8", "backslashreplace")


def files_under(folder: Path, links: list[str] | None = None,
                skipped: dict[str, str] | None = None) -> list[tuple[str, os.stat_result]]:
    """(relative path, its stat, links followed) of every file under folder, in the order
    sorted(folder.rglob("*")) gives. `links` gets the relative path of every symbolic
    link met, to a file or a folder. `skipped` gets, by relative path, why each entry
    that is neither a file nor a folder is not read (a link to nothing or to a folder, a
    pipe, a name that is not UTF-8), unless it or a folder above it is hidden (a name
    starting with a dot): a build reports them rather than leave out what an editor may
    have meant as a post."""
    found: list[tuple[str, os.stat_result]] = []
    if not folder.is_dir():
        return found
    for relative, entry in walk(folder):
        if not is_text_name(entry.name):
            if skipped is not None and not is_hidden(relative):
                what = "folder" if entry.is_dir(follow_symlinks=False) else "file"
                skipped[shown_name(relative)] = (f"the {what}'s name is not UTF-8 text (saved from another system's "
                                                 "encoding, perhaps); rename it")
            continue
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
