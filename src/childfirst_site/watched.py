"""The listing of a build's inputs, brought up to date from the paths a watcher saw change
(`serve`), rather than made again by looking at every file: for 10,000 posts, a tenth of
a second of every rebuild, on the path from a save to the page reloaded."""
from __future__ import annotations

import bisect
import os
import stat
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .files import listing_order
from . import incremental
from .incremental import InputFiles, content_digest, stamp_of


@dataclass
class Watched:
    """The last listing a build made in this process, and the paths changed since, as a
    watcher reported them. Only a listing made while the watcher ran can be brought up to
    date: a change before it started was never reported. So, unless the watcher was said
    to have started first (`started`), the first report drops the listing, and the build
    after it lists every file."""

    listing: InputFiles | None = None
    changes: set[str] = field(default_factory=set)
    watching: bool = False

    def started(self) -> None:
        """The watcher runs from now on: listings made after this can be brought up to date."""
        self.watching = True

    def saw(self, paths: Iterable[str]) -> None:
        """The watcher reported these paths (absolute, or as the folders were given) changed."""
        if not self.watching:
            self.watching, self.listing = True, None
        self.changes.update(os.path.abspath(path) for path in paths)

    def take(self, salt: str) -> InputFiles | None:
        """The last listing brought up to date, or None (then list every file). Either way
        the listing and changes are let go of: the build keeps what it lists (`keep`)."""
        listing, changes = self.listing, self.changes
        self.listing, self.changes = None, set()
        if listing is None or not self.watching:
            return None
        return relist(listing, changes, salt)

    def keep(self, listing: InputFiles) -> None:
        self.listing = listing

    def lost(self) -> None:
        """The watcher failed and watches again (see reports): what changed in between is
        not known, so the next build lists every file."""
        self.listing, self.changes, self.watching = None, set(), True


def reports(folders: list[Path], wake_ms: int) -> Iterator[set[tuple[Any, str]] | None]:
    """What the watcher (watchfiles) reports changed under the folders: a set of (change,
    path) where something did; an empty set every `wake_ms` where nothing did, the first
    once it watches; None where the watcher failed and was started again, once the new one
    watches. (Its Rust side fails on a path it cannot decode, a file name that is not
    UTF-8, and then reports nothing more: `serve` stopped with a traceback.)"""
    from watchfiles import watch
    failed = False
    while True:
        watcher = watch(*folders, debounce=200, step=50, rust_timeout=wake_ms, yield_on_timeout=True)
        try:
            first = next(watcher)
            yield None if failed else first
            failed = False
            yield from watcher
            return
        except RuntimeError:   # WatchfilesRustInternalError, and whatever else stops it
            if failed:
                time.sleep(1.0)   # failed again before it reported anything: not started again at once
            failed = True


def relist(previous: InputFiles, changed: Iterable[str], salt: str) -> InputFiles | None:
    """What incremental.list_inputs would list now, given that only `changed` paths
    (absolute) changed since `previous` was listed: each looked at, rather than every
    file. None where that cannot be told so: another salt; a symbolic link anywhere (a
    change to what it points to is reported at the target's path, if at all); a folder
    changed, made or deleted (what it holds may never have been reported); anything
    neither a file nor a folder, listed or made (list_inputs says why it is skipped)."""
    if previous.salt != salt or previous.links or previous.undigested or previous.skipped:
        return None
    # As a watcher reports them: under the folder resolved, or as given, made absolute.
    roots = [(f"{root}/", number) for number, (given, where, _) in enumerate(previous.folders)
             for root in dict.fromkeys((where, os.path.abspath(given)))]
    folders = [(given, where, list(paths)) for given, where, paths in previous.folders]
    digests, stamps = dict(previous.digests), dict(previous.stamps)
    settled = time.time_ns() - incremental.SETTLE_NS   # looked up now: tests change it
    # A file whose stamp was not kept (changed just before it was listed) is looked at
    # again too, report or none: it may have changed again as it was listed.
    looked_at = {path for path, sha in digests.items() if path not in stamps}
    for path in changed:
        found = next(((prefix, number) for prefix, number in roots if path.startswith(prefix)), None)
        if found is None:
            if any(path == where or where.startswith(f"{path}/") for _, where, _ in previous.folders):
                return None   # a watched folder itself, or one above it
            continue
        prefix, number = found
        looked_at.add(f"{folders[number][1]}/{path[len(prefix):]}")
    for path in looked_at:
        # Every folder listing it: one may hold another (templates inside content, say).
        inside = [(where, paths) for _, where, paths in folders if path.startswith(f"{where}/")]
        try:
            info = os.lstat(path)
        except (FileNotFoundError, NotADirectoryError):
            info = None
        if info is not None and not stat.S_ISREG(info.st_mode):
            return None   # a link, a folder, or neither file nor folder (see above)
        if info is None:
            if path in digests:
                del digests[path]
                stamps.pop(path, None)
                for _, paths in inside:
                    paths.remove(path)
            elif any(known.startswith(f"{path}/") for known in digests):
                return None   # a folder went: everything under it is gone
            continue
        stamp = stamp_of(info)
        old = previous.stamps.get(path)
        if old is None or old != stamp or not digests.get(path):
            try:
                with open(path, "rb") as file:
                    data = file.read()
            except OSError:
                return None
            if path not in digests:
                for where, paths in inside:
                    keys = [listing_order(known[len(where) + 1:]) for known in paths]
                    paths.insert(bisect.bisect(keys, listing_order(path[len(where) + 1:])), path)
            digests[path] = content_digest(data)
        stamps.pop(path, None)
        if max(info.st_mtime_ns, info.st_ctime_ns) < settled:
            stamps[path] = stamp
    return InputFiles(salt, folders, digests, stamps)
