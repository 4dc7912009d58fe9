"""Folders of the build cache kept one per key (a config, an output folder), only those
used last: each edit to site.yaml is another config, so keeping every one would grow the
cache for as long as the site lives."""
from __future__ import annotations

import os
import shutil


def use(directory: str, name: str, keep: int) -> str:
    """The folder `name` in `directory`, made if need be and marked as used now; of the
    folders beside it, only the `keep` used last are left, `name` among them."""
    own = os.path.join(directory, name)
    os.makedirs(own, exist_ok=True)
    os.utime(own)
    prune(directory, name, keep)
    return own


def prune(directory: str, keep_name: str, keep: int) -> None:
    """Leave the `keep` folders used last (`keep_name` among them) and nothing else: files
    beside the folders are of an older layout of the cache."""
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return
    folders = sorted((entry for entry in entries if entry.is_dir(follow_symlinks=False)),
                     key=lambda entry: (entry.name != keep_name, -_used_at(entry), entry.name))
    for entry in [*folders[keep:], *(entry for entry in entries if not entry.is_dir(follow_symlinks=False))]:
        try:
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path, ignore_errors=True)
            else:
                os.unlink(entry.path)
        except OSError:
            pass


def _used_at(entry: os.DirEntry[str]) -> int:
    """When a folder was last used; 0 for one gone since it was listed (pruned by another
    build at the same moment), which would otherwise fail this one."""
    try:
        return entry.stat(follow_symlinks=False).st_mtime_ns
    except OSError:
        return 0
