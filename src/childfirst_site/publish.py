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


def publish(files: dict[str, bytes], out_dir: Path, before_swap: Callable[[Path], None] | None = None,
            keep: Iterable[str] = ()) -> None:
    """`keep`: files of the published site to carry over as they are (hard-linked, not
    rewritten). `before_swap` may add to the staged site (the search index is built
    there), or raise to abandon the build with the published site untouched."""
    out_dir = out_dir.resolve()
    staging = out_dir.with_name(f".{out_dir.name}.new")
    retired = out_dir.with_name(f".{out_dir.name}.old")
    if not out_dir.exists() and retired.exists():
        os.replace(retired, out_dir)  # a build was killed between the two renames of the fallback swap
    for leftover in (staging, retired):
        if leftover.exists():
            shutil.rmtree(leftover)  # from an earlier build that was interrupted or killed
    staging.mkdir(parents=True)
    made: set[Path] = {staging}

    def target_of(path: str) -> Path:
        target = staging / _safe_relative(path)
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        return target

    try:
        for path in sorted(keep):
            source, target = out_dir / _safe_relative(path), target_of(path)
            try:
                os.link(source, target)
            except OSError:  # a file system without hard links
                shutil.copy2(source, target)
        for path in sorted(files):
            target_of(path).write_bytes(files[path])
        if before_swap is not None:
            before_swap(staging)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if not out_dir.exists():
        os.replace(staging, out_dir)
    elif _exchange(staging, out_dir):
        shutil.rmtree(staging)  # it now holds the previous site
    else:
        os.replace(out_dir, retired)
        os.replace(staging, out_dir)
        shutil.rmtree(retired)
