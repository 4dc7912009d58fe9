"""A helper process forked while this one is still small, for a process that builds again
and again (`serve`): it runs the jobs a rebuild hands it (listing the published site and
the tree the rebuild stages into), one after another, while the rebuild goes on.

A process forked from the builder once it holds a large archive would cost the builder
more than the job: after a fork, every page of memory either process writes to is
copied first, and the builder writes to its posts' pages just by counting references to
them. For 10,000 posts that was 37,000 page copies and about a quarter of a second of a
rebuild's own work, more than listing the files in the builder itself."""
from __future__ import annotations

import multiprocessing
import signal
from collections.abc import Callable
from typing import Any


def _serve(connection: Any, other_end: Any) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)   # Ctrl-C is the builder's to handle: it ends this
    other_end.close()
    while True:
        try:
            number, function, args = connection.recv()
        except (EOFError, OSError):
            return   # the builder has ended, or closed this
        try:
            answer = (number, True, function(*args))
        except Exception:  # noqa: BLE001 - the builder does the job itself, and reports what fails there
            answer = (number, False, None)
        try:
            connection.send(answer)
        except (OSError, ValueError):
            return


class Helper:
    """The helper process, and the answers it sent that were not asked for yet."""

    def __init__(self) -> None:
        context = multiprocessing.get_context("fork")
        self._connection, theirs = context.Pipe()
        self._process: Any = context.Process(target=_serve, args=(theirs, self._connection), daemon=True)
        self._process.start()
        theirs.close()
        self._sent = 0
        self._answers: dict[int, tuple[bool, Any]] = {}
        self._dropped: set[int] = set()

    def submit(self, function: Callable[..., Any], *args: Any) -> int | None:
        """The job's number, or None if the helper cannot take it (it has ended)."""
        if self._process is None:
            return None
        self._sent += 1
        try:
            self._connection.send((self._sent, function, args))
        except (OSError, ValueError):
            self.close()
            return None
        return self._sent

    def answer(self, number: int) -> tuple[bool, Any]:
        """(done, value) of the job: not done where it failed, or the helper ended first."""
        while number not in self._answers:
            try:
                got, done, value = self._connection.recv()
            except (EOFError, OSError):
                self.close()
                return False, None
            if got in self._dropped:
                self._dropped.discard(got)
            else:
                self._answers[got] = (done, value)
        return self._answers.pop(number)

    def drop(self, number: int) -> None:
        """The job's answer is not wanted (the build ended without asking for it)."""
        if self._answers.pop(number, None) is None and self._process is not None:
            self._dropped.add(number)

    def close(self) -> None:
        if self._process is not None:
            self._connection.close()
            self._process.join(5)
            if self._process.is_alive():
                self._process.terminate()
                self._process.join()
            self._process = None
