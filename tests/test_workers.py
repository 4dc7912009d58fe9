"""Worker processes: results in input order whatever the number of workers, and fresh
workers after a set number of items, so none holds a copy of all the parent touched."""
from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import pytest

from childfirst_site import workers
from childfirst_site.workers import ordered_map, ordered_results

_OFFSET = 0


def _set_offset(offset: int) -> None:
    global _OFFSET
    _OFFSET = offset


def _squares_and_pids(chunk: Sequence[int]) -> list[tuple[int, int]]:
    return [(n * n + _OFFSET, os.getpid()) for n in chunk]


@pytest.mark.parametrize("count", [1, 2, 3])
def test_results_come_back_in_order_with_inherited_set_up(monkeypatch, count):
    monkeypatch.setattr(workers, "MIN_PARALLEL_ITEMS", 1)
    results = ordered_map(_squares_and_pids, list(range(200)), count, _set_offset, (7,))
    assert [value for value, _ in results] == [n * n + 7 for n in range(200)]


def test_forked_is_told_once_the_last_workers_are_forked_and_never_without_workers(monkeypatch):
    monkeypatch.setattr(workers, "MIN_PARALLEL_ITEMS", 1)
    told: list[int] = []
    results = ordered_map(_squares_and_pids, list(range(40)), 2, fresh_workers_every=15,
                          forked=lambda: told.append(len(told)))
    assert told == [0]   # three rounds, told after the third starts
    assert len({pid for _, pid in results[30:]} - {pid for _, pid in results[:30]}) >= 1
    ordered_map(_squares_and_pids, list(range(40)), 1, forked=lambda: told.append(len(told)))
    assert told == [0]   # one worker: read here, nothing forked


def test_read_all_runs_meanwhile_in_a_thread_while_workers_read_and_waits_for_it(monkeypatch, tmp_path):
    import threading
    import time

    from childfirst_site.cache import Cache
    from childfirst_site.sources.batch import read_all
    from childfirst_site.sources.loader import load_content
    from conftest import make_content
    monkeypatch.setattr(workers, "MIN_PARALLEL_ITEMS", 1)
    content = make_content(tmp_path)
    ran: list[tuple[bool, float]] = []
    threads = threading.active_count()   # other tests may have left some running

    def meanwhile() -> None:
        time.sleep(0.2)   # longer than reading the fixture's posts
        ran.append((threading.current_thread() is threading.main_thread(), time.monotonic()))

    for count in (2, 1):
        loaded = load_content(content, lambda jobs, config: read_all(jobs, config, Cache.open(None, ""), count,
                                                                   meanwhile=meanwhile))
        assert loaded.posts
        done = time.monotonic()
        assert [main for main, _ in ran] == [False] and ran[0][1] <= done   # finished by the time it returned
    assert threading.active_count() == threads


@pytest.mark.parametrize("count", [9, 1000, 10_000])
def test_chunks_taper_so_workers_finish_together(count):
    chunks = [list(chunk) for chunk in workers._tapering(list(range(count)), 2, 128)]
    assert [item for chunk in chunks for item in chunk] == list(range(count))
    sizes = [len(chunk) for chunk in chunks]
    assert max(sizes) <= 128 and sizes == sorted(sizes, reverse=True)
    # What the last worker to finish has left when the other runs out: a few items.
    assert sum(sizes[-2:]) <= 16


def test_workers_are_replaced_after_the_given_number_of_items(monkeypatch):
    monkeypatch.setattr(workers, "MIN_PARALLEL_ITEMS", 1)
    results = list(ordered_results(_squares_and_pids, list(range(120)), 2, _set_offset, (0,),
                                   fresh_workers_every=30))
    assert [value for value, _ in results] == [n * n for n in range(120)]
    rounds = [{pid for _, pid in results[start:start + 30]} for start in range(0, 120, 30)]
    assert all(pid != os.getpid() for group in rounds for pid in group)
    for earlier, later in zip(rounds, rounds[1:]):
        assert not earlier & later, "a worker outlived its round"


_MARKS = ""


def _set_marks(folder: str) -> None:
    global _MARKS
    _MARKS = folder


def _squares_marking_chunks(chunk: Sequence[int]) -> list[int]:
    open(os.path.join(_MARKS, str(chunk[0])), "w").close()
    return [n * n for n in chunk]


def _wait_for(paths: list[str], seconds: float = 20.0) -> bool:
    import time
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if all(os.path.exists(p) for p in paths):
            return True
        time.sleep(0.02)
    return False


def test_the_next_round_starts_once_this_one_is_done_not_once_it_is_all_taken(monkeypatch, tmp_path):
    monkeypatch.setattr(workers, "MIN_PARALLEL_ITEMS", 1)
    results = ordered_results(_squares_marking_chunks, list(range(60)), 2, _set_marks, (str(tmp_path),),
                              fresh_workers_every=30)
    try:
        assert next(results) == 0
        # Chunks of 8: the first round's start at 0, 8, 16 and 24; the second's at 30, 38, 46 and 54.
        assert _wait_for([str(tmp_path / str(n)) for n in (0, 8, 16, 24)])
        # Rounds are looked at chunk by chunk: once the round's last chunk (24-29) is taken in,
        # all its work is done (when the earlier chunks finish depends on how busy the
        # machine is, so the test does not count on them).
        taken = [next(results) for _ in range(25)]
        assert taken == [n * n for n in range(1, 26)]
        # Items 26-29 are not taken yet, and the second round's workers are at work already.
        assert _wait_for([str(tmp_path / str(n)) for n in (30, 38, 46, 54)])
        assert list(results) == [n * n for n in range(26, 60)]
    finally:
        # Should an assertion fail, the workers go now: left to the end of the session, they
        # hold pipes the browser driver waits on to close, and the session never ends.
        results.close()


def _whose(tag: str) -> tuple[str, int]:
    return tag, os.getpid()


def test_background_runs_in_another_process_or_when_asked_and_gives_the_result():
    from childfirst_site.workers import Background
    forked = Background(2, _whose, "listing")
    assert forked.result()[0] == "listing"
    import multiprocessing
    import threading
    if "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1:
        assert Background(2, _whose, "x").result()[1] != os.getpid()
    # With other threads running (a preview server), a forked child could wait for ever for
    # a lock one of them held: it runs here instead.
    helper = threading.Thread(target=threading.Event().wait, args=(2,), daemon=True)
    helper.start()
    assert Background(2, _whose, "with a thread").result() == ("with a thread", os.getpid())
    assert Background(1, _whose, "inline").result() == ("inline", os.getpid())
    unused = Background(2, _whose, "never asked")
    unused.close()   # a build that fails first lets it go
    unused.close()


def _fails(path: str) -> None:
    raise FileNotFoundError(path)


def test_background_work_that_fails_fails_where_its_result_is_asked_for(capfd):
    from childfirst_site.workers import Background
    failing = Background(2, _fails, "/no/such/site")
    with pytest.raises(FileNotFoundError, match="/no/such/site"):
        failing.result()
    assert "Traceback" not in capfd.readouterr().err   # not from the forked process either


def _write_after(path: str, seconds: float, size: int) -> bytes:
    import time
    time.sleep(seconds)
    Path(path).write_text("written")
    return b"x" * size   # more than a pipe holds: its sending waits for a reader


@pytest.mark.parametrize("finish", [True, False])
def test_background_closed_before_its_result_is_let_finish_or_stopped(tmp_path, monkeypatch, finish):
    """A build that fails or is stopped closes the process that makes its data files
    (finish=True): it is let finish writing, not stopped half-way; other work is stopped."""
    import time
    from childfirst_site.workers import Background
    # An earlier test's idle thread may still be waiting: it holds no lock a child could need.
    monkeypatch.setattr(workers.threading, "active_count", lambda: 1)
    target = tmp_path / "file"
    started = time.monotonic()
    work = Background(2, _write_after, str(target), 0.5, 1 << 22, finish=finish)
    assert work._process is not None   # forked (Linux)
    work.close()
    assert target.is_file() == finish
    assert time.monotonic() - started < Background.FINISH_WITHIN   # not kept waiting to send its result


def _sent_then_saved(folder: str) -> object:
    from childfirst_site.workers import Then

    def after() -> None:
        import time
        go, done = Path(folder, "go"), Path(folder, "done")
        waited = time.monotonic()
        while not go.exists() and time.monotonic() - waited < 5:
            time.sleep(0.01)
        done.write_text("after the result was taken" if go.exists() else "before the result was taken")
    return Then("the picks", after)


@pytest.mark.parametrize("forked", [True, False])
def test_background_work_left_once_its_result_is_sent_runs_after_and_is_let_finish(tmp_path, monkeypatch, forked):
    """Related stories picked apart after an edit are sent first, and their memory saved
    after (workers.Then), while the build goes on; the build lets that finish when it ends."""
    from childfirst_site.workers import Background
    monkeypatch.setattr(workers.threading, "active_count", lambda: 1)
    work = Background(2 if forked else 1, _sent_then_saved, str(tmp_path), finish=True)
    assert (work._process is not None) == forked
    if not forked:   # run where its result is asked for: the work left is done first
        (tmp_path / "go").write_text("")
    assert work.result() == "the picks"
    (tmp_path / "go").write_text("")
    work.close()
    assert (tmp_path / "done").read_text() == "after the result was taken"


def _sent_then_fails() -> object:
    from childfirst_site.workers import Then

    def after() -> None:
        raise PermissionError("the cache folder is read-only")
    return Then("the picks", after)


def test_background_work_left_that_fails_leaves_the_result_and_no_traceback(monkeypatch, capfd):
    """Saving the related-story memory after sending the picks can fail (a read-only
    cache, a full disk): the build has its picks, and the next build scores again."""
    from childfirst_site.workers import Background
    monkeypatch.setattr(workers.threading, "active_count", lambda: 1)
    work = Background(2, _sent_then_fails, finish=True)
    assert work._process is not None
    assert work.result() == "the picks"
    work.close()
    assert "Traceback" not in capfd.readouterr().err
