"""Publish stage: write the whole site beside the output folder, then swap it into
place, so a failed, interrupted or killed build never leaves a half-written public/."""
from __future__ import annotations

import ctypes
import errno
import os
import shutil
from collections.abc import Callable, Iterable
from pathlib import Path, PurePosixPath
from typing import NamedTuple

from .errors import ContentError
from .files import walk

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


class Placed(NamedTuple):
    """A file made by another process and left beside the output folder (see
    placing_folder), to be moved into the staged site rather than sent over and written
    again: the data files of a large archive are tens of megabytes."""

    file: str
    sha256: str


def write_new(root: str, path: str, data: bytes) -> os.stat_result:
    """Write a file at `path` under `root`, a folder being filled from empty (a fresh
    staged site), making its folder if need be; its size and times as written. With os
    calls rather than pathlib's: a cold build writes 13,000 files for 10,000 posts
    (measured here, 0.10 against 0.24 ms a file)."""
    target = os.path.join(root, _canonical(path))
    try:
        handle = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
    except FileNotFoundError:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        handle = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(handle, view):]
        return os.fstat(handle)
    finally:
        os.close(handle)


def placing_folder(out_dir: Path) -> Path:
    """An empty folder where files for the staged site are left by other processes:
    beside it, on the same file system, so that they move into it by renaming. Whatever
    a killed build left there is cleared out."""
    out_dir = out_dir.resolve()
    folder = out_dir.with_name(f".{out_dir.name}.made")
    if folder.is_symlink() or folder.is_file():
        folder.unlink()
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


def safe_relative(path: str) -> PurePosixPath:
    relative = PurePosixPath(path)
    if relative.is_absolute() or ".." in relative.parts or not relative.parts:
        raise ContentError(path, "output path escapes the output folder", hint="check the slug")
    return relative


def _canonical(path: str) -> str:
    """The path as folder listings spell it, checked as safe_relative checks it."""
    # Only a path starting with a slash or a dot, or with an empty, "." or ".." part, can
    # be spelt otherwise: told apart in C (13,000 paths a build).
    if path.startswith(("/", ".")) or path.endswith(("/", "/.", "/..")) or "//" in path or "/./" in path \
            or "/../" in path or not path:
        return str(safe_relative(path))
    return path


def _folders_of(paths: Iterable[str]) -> set[str]:
    """Every folder the paths are in, "." included."""
    folders = {"."}
    for path in paths:
        cut = path.rfind("/")
        while cut > 0:
            parent = path[:cut]
            if parent in folders:
                break
            folders.add(parent)
            cut = parent.rfind("/")
    return folders


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one atomic step (Linux renameat2); False where unsupported."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EXDEV):
        return False
    raise OSError(code, os.strerror(code), str(a))


def _tree(root: Path) -> tuple[dict[str, int], set[str]]:
    """Files (path → inode) and folders under root. The inode comes from the folder
    listing itself, so this costs no stat() per file."""
    files: dict[str, int] = {}
    folders: set[str] = set()
    for path, entry in walk(root):
        if entry.is_dir(follow_symlinks=False):
            folders.add(path)
        else:
            files[path] = entry.inode()
    return files, folders


def _replace(target: Path, fill: Callable[[Path], None], exists: bool) -> None:
    """Put a new file at target. An existing file there may be a hard link to a published
    one, so it is replaced by rename, never written into."""
    if not exists:
        fill(target)
        return
    temporary = target.with_name(f".{target.name}.publishing")
    fill(temporary)
    os.replace(temporary, target)


def _link_or_copy(source: Path) -> Callable[[Path], None]:
    def fill(target: Path) -> None:
        try:
            os.link(source, target)
        except OSError:  # a file system without hard links
            shutil.copy2(source, target)
    return fill


class Staging:
    """The new site, put together beside the output folder and then swapped into place.

    With `reuse`, the site a build replaces is kept beside the output folder (as
    .NAME.prev) and the next build stages into it: its unchanged files are already hard
    links to the published ones, so only what differs is written, linked or deleted,
    instead of building a whole tree of folders and links and deleting another. Files
    there are replaced by rename, never written into, as they may be the live site's."""

    def __init__(self, out_dir: Path, reuse: bool = False,
                 listed: tuple[dict[str, int], set[str]] | None = None) -> None:
        """`listed`: the files and folders of the site this build would stage into
        (.NAME.prev), where already listed (see staging_tree)."""
        self.out_dir = out_dir = out_dir.resolve()
        self.reuse = reuse
        self.path = staging = out_dir.with_name(f".{out_dir.name}.new")
        self._retired = retired = out_dir.with_name(f".{out_dir.name}.old")
        self._previous = previous = out_dir.with_name(f".{out_dir.name}.prev")
        if not out_dir.exists() and retired.exists():
            os.replace(retired, out_dir)  # a build was killed between the two renames of the fallback swap
        # (A tree staging_tree was making when its build was killed: see _mirror.)
        mirroring = previous.with_name(f"{previous.name}.part")
        for leftover in (staging, retired, mirroring, *(() if reuse else (previous,))):
            if leftover.exists():
                shutil.rmtree(leftover)  # from an earlier build that was interrupted or killed
        self.fresh = not (reuse and previous.is_dir())   # staged into an empty folder
        if self.fresh:
            staging.mkdir(parents=True)
            listed = None
        else:
            os.replace(previous, staging)
        self.written: set[str] = set()
        try:
            self._had, folders = listed or _tree(staging)   # what an earlier site left here
        except BaseException:  # Ctrl-C included: leave no staging folder behind
            self.abandon()
            raise
        self._folders = folders | {"."}

    def write(self, path: str, data: bytes) -> None:
        relative = safe_relative(path)
        path, target = str(relative), self.path / relative   # the same spelling as the folder listing
        self._make_parent(relative)
        if path in self._folders:
            self._remove_folder(path)
        _replace(target, lambda t: t.write_bytes(data), path in self._had)
        self.written.add(path)

    def place(self, path: str, file: Path) -> None:
        """Move a file made elsewhere on this file system (see Placed) into the site. A
        rename replaces what was there without writing into it."""
        relative = safe_relative(path)
        path, target = str(relative), self.path / relative
        self._make_parent(relative)
        if path in self._folders:
            self._remove_folder(path)
        os.replace(file, target)
        self.written.add(path)

    def note_written(self, path: str) -> None:
        """A file put into a fresh staged site by another process (a render worker)."""
        self.written.add(_canonical(path))

    def _remove_folder(self, path: str) -> None:
        """A folder of the site staged into, where this build puts a file: gone, with
        all it held, from the listing too (finish would otherwise delete what is gone)."""
        shutil.rmtree(self.path / path)
        inside = f"{path}/"
        self._folders = {folder for folder in self._folders if folder != path and not folder.startswith(inside)}
        for gone in [had for had in self._had if had.startswith(inside)]:
            del self._had[gone]

    def _make_parent(self, relative: PurePosixPath) -> None:
        parent = str(relative.parent)
        if parent in self._folders:
            return
        for ancestor in reversed(relative.parents[:-1]):
            name = str(ancestor)
            if self._had.pop(name, None) is not None:
                os.unlink(self.path / name)  # a file where this build needs a folder
            if name not in self._folders:
                (self.path / name).mkdir(exist_ok=True)
                self._folders.add(name)

    def finish(self, keep: Iterable[str] = (), before_swap: Callable[[Path], None] | None = None,
               published: dict[str, int] | None = None) -> None:
        """Carry `keep` over from the published site, clear out everything else an earlier
        site left, and swap. `before_swap` may add to the staged site (the search index is
        built there), or raise to abandon the build with the published site untouched.
        `published`: the published site's files (path → inode), where already listed."""
        carried = {_canonical(path) for path in keep}
        wanted = carried | self.written
        for path in self._had.keys() - wanted:
            os.unlink(self.path / path)
            del self._had[path]
        wanted_folders = _folders_of(wanted)
        for folder in sorted(self._folders - wanted_folders, key=lambda f: f.count("/"), reverse=True):
            shutil.rmtree(self.path / folder)
            self._folders.discard(folder)
        if published is None:
            published = _tree(self.out_dir)[0] if carried and self.out_dir.is_dir() else {}
        for path in sorted(carried):
            inode = self._had.get(path)
            if inode is not None and inode == published.get(path):
                continue  # already the published file itself
            relative = PurePosixPath(path)
            self._make_parent(relative)
            _replace(self.path / relative, _link_or_copy(self.out_dir / relative), inode is not None)
        if before_swap is not None:
            before_swap(self.path)
        out_dir, staging = self.out_dir, self.path
        if not out_dir.exists():
            os.replace(staging, out_dir)
            return
        if not _exchange(staging, out_dir):
            os.replace(out_dir, self._retired)
            os.replace(staging, out_dir)
            os.replace(self._retired, staging)
        self._put_aside()  # staging now holds the site just replaced

    def abandon(self) -> None:
        """Leave the published site as it is. What was staged is kept for the next build
        to stage into (it checks every file), or deleted."""
        if self.path.exists():
            self._put_aside()

    def _put_aside(self) -> None:
        if self.reuse:
            os.replace(self.path, self._previous)
        else:
            shutil.rmtree(self.path)


def staging_tree(out_dir: Path) -> tuple[dict[str, int], set[str]] | None:
    """The files and folders of the site a build would stage into (None if there is
    none), as Staging would list them. Where there is none yet beside a published site
    (the first build after a cold one), one is made: a tree of hard links to the
    published files."""
    out_dir = out_dir.resolve()
    previous = out_dir.with_name(f".{out_dir.name}.prev")
    if not previous.is_dir() and out_dir.is_dir() and any(out_dir.iterdir()):
        return _mirror(out_dir, previous)
    return _tree(previous) if previous.is_dir() else None


def _mirror(source: Path, target: Path) -> tuple[dict[str, int], set[str]] | None:
    """A tree of hard links to everything under source, at target, listed as _tree lists
    it; None where it could not be made (no hard links, say). staging_tree runs in a
    process of its own while the build reads and renders: a build that found no such tree
    made its 13,000 links (for 10,000 posts) itself, at the end, half a second."""
    building = target.with_name(f"{target.name}.part")   # appears whole, or not at all
    shutil.rmtree(building, ignore_errors=True)
    files: dict[str, int] = {}
    folders: set[str] = set()
    try:
        building.mkdir()
        for relative, entry in walk(source):
            if entry.is_dir(follow_symlinks=False):
                (building / relative).mkdir()
                folders.add(relative)
            else:
                os.link(entry.path, building / relative, follow_symlinks=False)
                files[relative] = entry.inode()
        os.replace(building, target)
    except OSError:
        shutil.rmtree(building, ignore_errors=True)
        return None
    return files, folders


def refresh_previous(out_dir: Path) -> None:
    """Make the files of the tree the next build stages into (.NAME.prev, the site the
    last build replaced) hard links to the published ones again. After a build that
    rewrote most of the site (a changed template, another base URL), the next build
    would otherwise link them all again itself, 13,000 for 10,000 posts: `serve` has
    this done while the editor reads. A path the published site has and that tree has
    not is left for the next build to link, and one it lacks for that build to delete."""
    out_dir = out_dir.resolve()
    previous = out_dir.with_name(f".{out_dir.name}.prev")
    if not previous.is_dir() or not out_dir.is_dir():
        return
    published, _ = _tree(out_dir)
    had, _ = _tree(previous)
    for path, inode in published.items():
        old = had.get(path)
        if old is not None and old != inode:
            _replace(previous / path, _link_or_copy(out_dir / path), True)


def publish(files: dict[str, bytes], out_dir: Path, before_swap: Callable[[Path], None] | None = None,
            keep: Iterable[str] = (), reuse: bool = False) -> None:
    """Publish a whole site at once: `files` with their bytes, `keep` carried over from
    the published site as they are (hard-linked, not rewritten)."""
    staging = Staging(out_dir, reuse)
    try:
        for path in sorted(files):
            staging.write(path, files[path])
        staging.finish(keep, before_swap)
    except BaseException:
        staging.abandon()
        raise
