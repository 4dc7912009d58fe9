"""Worker processes: results in input order whatever the number of workers, and fresh
workers after a set number of items, so none holds a copy of all the parent touched."""
from __future__ import annotations

import os
from collections.abc import Sequence

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


def test_workers_are_replaced_after_the_given_number_of_items(monkeypatch):
    monkeypatch.setattr(workers, "MIN_PARALLEL_ITEMS", 1)
    results = list(ordered_results(_squares_and_pids, list(range(120)), 2, _set_offset, (0,),
                                   fresh_workers_every=30))
    assert [value for value, _ in results] == [n * n for n in range(120)]
    rounds = [{pid for _, pid in results[start:start + 30]} for start in range(0, 120, 30)]
    assert all(pid != os.getpid() for group in rounds for pid in group)
    for earlier, later in zip(rounds, rounds[1:]):
        assert not earlier & later, "a worker outlived its round"
