"""Ctrl-C during a build, remembered as well as raised. Python raises KeyboardInterrupt
wherever the main thread happens to be, and some places swallow it (handlers run around
fork, for one) or raise another error while cleaning up after it. A build that was
asked to stop must not publish, and must say truthfully whether it had already, whatever
became of the exception."""
from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

_requested = False
_published = False    # the new site is in place: too late to stop
_deferring = False


def _on_interrupt(signum: int, frame: FrameType | None) -> None:
    request()
    if not _deferring:
        raise KeyboardInterrupt


def request() -> None:
    global _requested
    _requested = True


def requested() -> bool:
    return _requested


def published() -> bool:
    return _published


def stop_if_requested() -> None:
    """Called before anything irreversible, such as swapping the new site in."""
    if _requested:
        raise KeyboardInterrupt


def publishing() -> None:
    """The point of no return: from here until the build ends, Ctrl-C is noted, not
    raised, so that it cannot cut the swap or its bookkeeping short."""
    global _deferring, _published
    stop_if_requested()
    _deferring = _published = True


def build_ended() -> None:
    global _deferring
    _deferring = False


@contextmanager
def remembered() -> Iterator[None]:
    """Remember Ctrl-C for the duration (main thread only: signals are delivered there)."""
    global _requested, _published, _deferring
    _requested = _published = _deferring = False
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, _on_interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        _deferring = False
