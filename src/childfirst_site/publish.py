"""Publish stage: write the whole site beside the output folder, then swap it into
place, so a failed, interrupted or killed build never leaves a half-written public/."""
from __future__ import annotations

import ctypes
import errno
import os
import shutil
from collections.abc import Callable, Iterable
from pathlib import Path, PurePosixPath

from .errors import ContentError

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _safe_relative(path: str) -> PurePosixPath:
    relative = PurePosixPath(path)
    if relative.is_absolute() or ".." in relative.parts or not relative.parts:
        raise ContentError(path, "output path escapes the output folder", hint="check the slug")
    return relative


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
    pending = [""]
    while pending:
        folder = pending.pop()
        with os.scandir(root / folder if folder else root) as listing:
            for entry in listing:
                path = f"{folder}/{entry.name}" if folder else entry.name
                if entry.is_dir(follow_symlinks=False):
                    folders.add(path)
                    pending.append(path)
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


def _stage(staging: Path, out_dir: Path, files: dict[str, bytes], keep: set[str]) -> None:
    """Make `staging` hold exactly the new site: `files` with new bytes, `keep` carried
    over from out_dir. Staging may already hold an earlier site (the one the last build
    replaced, mostly hard links to the published files): only what differs is touched."""
    have, folders = _tree(staging)
    wanted = keep | files.keys()
    for path in have.keys() - wanted:
        os.unlink(staging / path)
    wanted_folders = {str(parent) for path in wanted for parent in PurePosixPath(path).parents} - {"."}
    for folder in sorted(folders - wanted_folders, key=lambda f: f.count("/"), reverse=True):
        shutil.rmtree(staging / folder)
    made = {staging, *(staging / folder for folder in folders & wanted_folders)}

    def target_of(path: str) -> Path:
        target = staging / _safe_relative(path)
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        return target

    published = _tree(out_dir)[0] if keep and out_dir.is_dir() else {}
    for path in sorted(keep):
        inode = have.get(path)
        if inode is not None and inode == published.get(path):
            continue  # already the published file itself
        _replace(target_of(path), _link_or_copy(out_dir / _safe_relative(path)), inode is not None)
    for path in sorted(files):
        data = files[path]
        _replace(target_of(path), lambda target: target.write_bytes(data), path in have)


def publish(files: dict[str, bytes], out_dir: Path, before_swap: Callable[[Path], None] | None = None,
            keep: Iterable[str] = (), reuse: bool = False) -> None:
    """`keep`: files of the published site to carry over as they are (hard-linked, not
    rewritten). `before_swap` may add to the staged site (the search index is built
    there), or raise to abandon the build with the published site untouched. With
    `reuse`, the site this build replaces is kept beside it (as .NAME.prev) and the next
    build stages into it, writing only what differs, instead of building a whole tree
    of folders and links and deleting another."""
    for path in [*files, *keep]:
        _safe_relative(path)
    out_dir = out_dir.resolve()
    staging = out_dir.with_name(f".{out_dir.name}.new")
    retired = out_dir.with_name(f".{out_dir.name}.old")
    previous = out_dir.with_name(f".{out_dir.name}.prev")
    if not out_dir.exists() and retired.exists():
        os.replace(retired, out_dir)  # a build was killed between the two renames of the fallback swap
    for leftover in (staging, retired, *(() if reuse else (previous,))):
        if leftover.exists():
            shutil.rmtree(leftover)  # from an earlier build that was interrupted or killed
    if reuse and previous.is_dir():
        os.replace(previous, staging)
    else:
        staging.mkdir(parents=True)
    try:
        _stage(staging, out_dir, files, set(keep))
        if before_swap is not None:
            before_swap(staging)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if not out_dir.exists():
        os.replace(staging, out_dir)
        return
    if not _exchange(staging, out_dir):
        os.replace(out_dir, retired)
        os.replace(staging, out_dir)
        os.replace(retired, staging)
    # staging now holds the site just replaced.
    if reuse:
        os.replace(staging, previous)
    else:
        shutil.rmtree(staging)
