"""serve's helper process (helper.py) runs the jobs handed to it through Background, in
another process; a job it cannot do is done here, and one given once it has ended is done
as without it."""
from __future__ import annotations

import os

import pytest

from childfirst_site.helper import Helper
from childfirst_site.workers import Background


def where(tag: str) -> tuple[str, int]:
    return tag, os.getpid()


def fails(tag: str) -> tuple[str, int]:
    if os.getpid() != HERE:
        raise RuntimeError("only in the builder")
    return tag, os.getpid()


HERE = os.getpid()


@pytest.fixture()
def helper():
    started = Helper()
    yield started
    started.close()


def test_jobs_run_in_the_helper_and_answer_whatever_order_they_are_asked_in(helper):
    first, second, dropped, third = (Background(2, where, tag, helper=helper) for tag in "abcd")
    dropped.close()   # never asked for: its answer is let go of
    assert third.result() == ("d", helper._process.pid)
    assert first.result() == ("a", helper._process.pid) and second.result()[0] == "b"
    assert not helper._answers and not helper._dropped


def test_a_job_that_fails_there_is_done_here_and_one_after_the_helper_ended_without_it(helper):
    assert Background(2, fails, "x", helper=helper).result() == ("x", HERE)
    gone = helper._process.pid
    helper._process.kill()
    helper._process.join()
    # Done without it: as Background does without a helper (in a process forked now).
    for tag in "yz":
        done = Background(2, where, tag, helper=helper).result()
        assert done[0] == tag and done[1] != gone
    assert helper.submit(where, "not sent") is None


def test_one_worker_means_no_other_process(helper):
    assert Background(1, where, "w", helper=helper).result() == ("w", HERE)
