import gc

import pytest

from childfirst_site.collector import FULL_PASS_EVERY, fewer_full_collections


def test_full_collections_are_rarer_inside_and_thresholds_come_back_after() -> None:
    before = gc.get_threshold()
    with fewer_full_collections():
        inside = gc.get_threshold()
    assert inside == (before[0], before[1], FULL_PASS_EVERY)
    assert FULL_PASS_EVERY > before[2]
    assert gc.get_threshold() == before


def test_thresholds_come_back_after_an_error() -> None:
    before = gc.get_threshold()
    with pytest.raises(RuntimeError):
        with fewer_full_collections():
            raise RuntimeError("build failed")
    assert gc.get_threshold() == before


def test_a_build_whose_process_ends_collects_nothing_and_its_workers_collect_as_usual() -> None:
    from childfirst_site.workers import ordered_map
    assert gc.isenabled()
    try:
        with fewer_full_collections(none_at_all=True):
            assert not gc.isenabled()
            assert ordered_map(_collecting, list(range(80)), workers=2) == [True] * 80
            made = [[index] for index in range(1000)]
        assert gc.isenabled()
        # What the build made is left out of later collections: the first would walk it all.
        assert gc.get_freeze_count() >= len(made)
    finally:
        gc.unfreeze()
    with fewer_full_collections():
        assert gc.isenabled()


def _collecting(chunk: list[int]) -> list[bool]:
    return [gc.isenabled() for _ in chunk]
