"""The files under a folder: one directory listing per folder and no pathlib object per
file (a large archive has tens of thousands), in the order sorted(folder.rglob("*"))
gives, symbolic links to folders not followed, as rglob does not."""
from __future__ import annotations

import os
from pathlib import Path


def files_under(folder: Path) -> list[tuple[str, os.stat_result]]:
    """(path relative to folder, with "/", its stat) of every file under folder."""
    found: list[tuple[str, os.stat_result]] = []
    if not folder.is_dir():
        return found
    pending = [""]
    while pending:
        below = pending.pop()
        with os.scandir(os.path.join(folder, below) if below else folder) as listing:
            for entry in listing:
                relative = f"{below}/{entry.name}" if below else entry.name
                try:
                    if entry.is_dir() and not entry.is_symlink():
                        pending.append(relative)
                    elif entry.is_file():
                        found.append((relative, entry.stat()))
                except OSError:
                    continue   # gone, or a broken link: not a file to read
    found.sort(key=lambda item: item[0].split("/"))
    return found
