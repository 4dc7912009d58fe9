"""One build at a time into an output folder. Two at once would share the folders a build
stages its site in beside it (.NAME.new, .NAME.prev, .NAME.made): one clears out what the
other is writing there, and could swap in a site the other half made."""
from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from .errors import ContentError

try:
    import fcntl
except ImportError:   # Windows: builds are not kept apart
    fcntl = None   # type: ignore[assignment]


@contextmanager
def held(out_dir: Path) -> Iterator[None]:
    """Hold the lock of `out_dir` (the file .NAME.lock beside it, there while it is held)
    for the duration; while another build holds it, say so and wait. A POSIX record lock,
    which belongs to this process alone: the processes a build forks do not hold it."""
    if fcntl is None:
        yield
        return
    resolved = out_dir.resolve()
    try:
        resolved.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:   # a file where a folder must be, most likely
        raise ContentError(str(out_dir), f"its folder cannot be made ({error.filename}: {error.strerror})",
                           hint="give --out a path whose every parent is a folder, or can be one") from error
    path = resolved.with_name(f".{resolved.name}.lock")
    told = False
    while True:
        handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
        try:
            fcntl.lockf(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            if not told:
                print(f"waiting: another build is publishing into {out_dir}", file=sys.stderr, flush=True)
                told = True
            try:
                fcntl.lockf(handle, fcntl.LOCK_EX)
            except BaseException:   # Ctrl-C while waiting
                os.close(handle)
                raise
        # The build that held it removes the file as it lets go: locked then, it is no one's.
        try:
            if os.path.samestat(os.fstat(handle), os.stat(path)):
                break
        except FileNotFoundError:
            pass
        os.close(handle)
    try:
        yield
    finally:
        with suppress(OSError):
            os.unlink(path)
        os.close(handle)   # which lets go of the lock
