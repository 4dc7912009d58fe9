"""Ctrl-C during a build, remembered as well as raised. Python raises KeyboardInterrupt
wherever the main thread happens to be, and some places swallow it (handlers run around
fork, for one) or raise another error while cleaning up after it. A build that was
asked to stop must neither publish nor end in a traceback, whatever became of the
exception."""
from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

_requested = False


def _on_interrupt(signum: int, frame: FrameType | None) -> None:
    request()
    raise KeyboardInterrupt


def request() -> None:
    global _requested
    _requested = True


def requested() -> bool:
    return _requested


def stop_if_requested() -> None:
    """Called before anything irreversible, such as swapping the new site in."""
    if _requested:
        raise KeyboardInterrupt


@contextmanager
def remembered() -> Iterator[None]:
    """Remember Ctrl-C for the duration (main thread only: signals are delivered there)."""
    global _requested
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    _requested = False
    previous = signal.signal(signal.SIGINT, _on_interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
