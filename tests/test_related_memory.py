"""Scoring again after an edit, from the last build's memory, gives exactly what scoring
every pair gives: the same picks, scores, reasons and warnings, edit after edit."""
from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import random
import sys

import numpy as np
import pytest

from childfirst_site.enrich.related import add_related_features, pick_related
from childfirst_site.enrich.related import memory as memory_module
from childfirst_site.enrich.related import scoring
from childfirst_site.model import Block, Post, PostKind
from conftest import ROOT

sys.path.insert(0, str(ROOT))
from benchmarks.corpus import make_posts  # noqa: E402
from test_enrich_related import CONFIG  # noqa: E402

POSTS = 300


def outcome(posts: list[Post], result) -> list[tuple]:
    warnings, scores, _ = result
    return [(p.slug, p.related, p.related_reasons, scores[p.slug]) for p in posts] + \
        [w.format() for w in warnings]


@pytest.fixture(scope="module")
def archive() -> list[Post]:
    posts = make_posts(POSTS, seed=7)
    posts.sort(key=lambda p: (-p.date.toordinal(), p.slug))
    for post in posts:
        add_related_features(post, CONFIG)
    return posts


def rows_scored(monkeypatch) -> list[int]:
    counted: list[int] = []
    real = scoring.score_rows

    def counting(state, rows):
        counted.append(len(rows))
        return real(state, rows)

    monkeypatch.setattr(memory_module, "score_rows", counting)
    return counted


def edit(post: Post, rng: random.Random, others: list[Post]) -> str:
    """One edit an editor might make; returns what it was."""
    kind = rng.choice(["sentence", "word-from-another", "title", "topics", "entity", "cut", "pin", "exclude"])
    if kind == "sentence":
        words = " ".join(rng.choice(others).title.split()[:3])
        post.blocks = [*post.blocks, Block("paragraph", (f"An editor added a line on {words}.",))]
    elif kind == "word-from-another":
        word = rng.choice(rng.choice(others).summary.split())
        post.blocks = [Block("paragraph", (f"{word} {word}.",)), *post.blocks]
    elif kind == "title":
        post.title = f"{post.title} {rng.choice(others).title.split()[0]}"
    elif kind == "topics":
        post.topics = rng.sample(["online-safety", "policy-and-legislation", "child-protection"], rng.randint(1, 2))
    elif kind == "entity":
        post.blocks = [*post.blocks, Block("paragraph", (f"{rng.choice(['NSPCC', 'Ofsted', 'TikTok'])} said so.",))]
    elif kind == "cut":
        post.blocks = post.blocks[: max(1, len(post.blocks) // 2)]
    elif kind == "pin":
        post.pinned_related = [rng.choice(others).slug]
    else:
        post.not_related = [rng.choice(others).slug]
    add_related_features(post, CONFIG)
    return kind


def test_edit_after_edit_matches_scoring_every_pair(archive, monkeypatch):
    monkeypatch.setattr(scoring, "EXTRA_CANDIDATES", 3)   # tighter lists: rows fall back more often
    rng = random.Random(11)
    posts = copy.deepcopy(archive)
    _, _, memory = pick_related(posts, CONFIG)
    counted = rows_scored(monkeypatch)
    kinds = set()
    for step in range(40):
        post = rng.choice(posts)
        kinds.add(edit(post, rng, posts))
        counted.clear()
        incremental = pick_related(posts, CONFIG, previous=memory)
        got = outcome(posts, incremental)
        scratch = copy.deepcopy(posts)
        assert got == outcome(scratch, pick_related(scratch, CONFIG)), f"step {step}"
        assert sum(counted) < len(posts) // 2, "the edit was scored as a whole new archive"
        memory = incremental[2]
    assert len(kinds) >= 6


def test_what_moves_every_row_scores_everything_again(archive, monkeypatch):
    posts = copy.deepcopy(archive)
    _, _, memory = pick_related(posts, CONFIG)
    counted = rows_scored(monkeypatch)
    posts[5] = dataclasses.replace(posts[5], date=posts[0].date)   # redated: rows reorder, recency moves
    posts.sort(key=lambda p: (-p.date.toordinal(), p.slug))
    result = pick_related(posts, CONFIG, previous=memory)
    scratch = copy.deepcopy(posts)
    assert outcome(posts, result) == outcome(scratch, pick_related(scratch, CONFIG))
    assert counted == []   # not row by row: everything, as a first build
    changed_config = dataclasses.replace(CONFIG, related=dataclasses.replace(CONFIG.related, min_score=0.3))
    assert pick_related(posts, changed_config, previous=result[2]) is not None
    assert counted == []


def test_a_damaged_memory_is_not_trusted(tmp_path):
    from childfirst_site.enrich.related import RelatedMemory
    path = tmp_path / "related.pickle"
    path.write_bytes(b"not a pickle")
    assert RelatedMemory.load(path) is None
    assert RelatedMemory.load(tmp_path / "missing.pickle") is None


def test_rows_differ_by_key_and_bits():
    from scipy import sparse
    from childfirst_site.enrich.related.memory import Rows
    matrix = sparse.csr_matrix(np.array([[1, 0, 2], [0, 0, 0], [0, 3, 0]], dtype=np.float32))
    before = Rows.of(matrix, np.array([10, 20, 30]))
    assert not before.differ(Rows.of(matrix, np.array([10, 20, 30]))).any()
    assert before.differ(Rows.of(matrix, np.array([10, 21, 30]))).tolist() == [False, False, True]
    nudged = matrix.copy()
    nudged.data[1] = np.nextafter(np.float32(2), np.float32(3))
    assert before.differ(Rows.of(nudged, np.array([10, 20, 30]))).tolist() == [True, False, False]


def test_a_row_whose_candidates_run_short_is_scored_again(archive, monkeypatch):
    """With no spare candidates, an edit that weakens one of a post's picks leaves its
    list short: that row must be scored against everything, not picked from what is left."""
    monkeypatch.setattr(scoring, "EXTRA_CANDIDATES", 0)
    posts = copy.deepcopy(archive)
    _, _, memory = pick_related(posts, CONFIG)
    counted = rows_scored(monkeypatch)
    weakened = max(posts, key=lambda p: sum(p.slug in other.related for other in posts))
    # A topic it shares with none of them: only its own row changes (topics are not weighted).
    weakened.topics = ["rights-and-wellbeing"] if "rights-and-wellbeing" not in weakened.topics else ["education-and-send"]
    add_related_features(weakened, CONFIG)
    result = pick_related(posts, CONFIG, previous=memory)
    scratch = copy.deepcopy(posts)
    assert outcome(posts, result) == outcome(scratch, pick_related(scratch, CONFIG))
    assert sum(counted) > 1, "no row beyond the edited one needed scoring again"


def test_reasons_follow_their_inputs_when_the_scores_do_not_move(archive, monkeypatch):
    def titled(state, i, j):
        return f"{state.posts[i].title} / {state.posts[j].title}"

    monkeypatch.setattr(scoring, "reason", titled)
    monkeypatch.setattr(memory_module, "reason", titled)
    posts = copy.deepcopy(archive)
    _, _, memory = pick_related(posts, CONFIG)
    shown = next(p for p in posts if any(p.slug in other.related for other in posts))
    shown.title += " and the"   # stop words: no term, no score moves; the reason shows the title
    add_related_features(shown, CONFIG)
    result = pick_related(posts, CONFIG, previous=memory)
    scratch = copy.deepcopy(posts)
    assert outcome(posts, result) == outcome(scratch, pick_related(scratch, CONFIG))
    assert any(shown.title in reason for other in posts for reason in other.related_reasons.values())


def test_term_columns_after_edits_are_those_of_looking_every_term_up(monkeypatch):
    """Columns worked out from the last build's, with terms new to the archive and terms
    that leave it, are exactly np.unique's and np.searchsorted's."""
    from childfirst_site.enrich.related import matrices
    from childfirst_site.enrich.related.matrices import term_columns
    rng = np.random.default_rng(3)
    pool = np.sort(rng.choice(2**62, 400, replace=False)).astype(np.int64)

    def post_terms() -> tuple[bytes, bytes]:
        keys = np.sort(rng.choice(pool if rng.random() < 0.8 else rng.integers(0, 2**62, 50), rng.integers(0, 30),
                                  replace=False)).astype("<i8")
        return keys.tobytes(), np.ones(len(keys), dtype="<i4").tobytes()

    def flat(posts: list[Post]) -> tuple[np.ndarray, np.ndarray]:
        keys = np.frombuffer(b"".join(p.related_terms[0] for p in posts), dtype="<i8")
        indptr = np.concatenate([[0], np.cumsum([len(p.related_terms[0]) // 8 for p in posts])]).astype(np.int64)
        return keys, indptr

    posts = [Post(source=f"p{i}.md", kind=PostKind.ARTICLE, title=f"Post {i}", slug=f"p{i}", date=dt.date(2026, 1, 1))
             for i in range(60)]
    for post in posts:
        post.related_terms = post_terms()
    previous, _ = term_columns(posts)
    renumbered = 0
    real_distinct, whole_lookups = matrices._distinct, []

    def distinct(values):
        whole_lookups.append(len(values) == len(keys))
        return real_distinct(values)

    monkeypatch.setattr(matrices, "_distinct", distinct)
    for step in range(60):
        for post in rng.choice(posts, rng.integers(1, 4), replace=False):
            post.related_terms = post_terms()
        keys, indptr = flat(posts)
        whole_lookups.clear()
        found, carried = term_columns(posts, previous)
        assert carried is not None
        assert not any(whole_lookups), "every term was looked up again"
        vocabulary = np.unique(keys)
        assert np.array_equal(found.vocabulary, vocabulary), f"step {step}"
        assert np.array_equal(found.columns, np.searchsorted(vocabulary, keys)), f"step {step}"
        assert np.array_equal(found.indptr, indptr), f"step {step}"
        renumbered += len(found.vocabulary) != len(previous.vocabulary)
        previous = found
    assert renumbered > 10   # the vocabulary grew and shrank, not only stayed put


def test_text_matrix_after_edits_is_the_one_worked_out_whole(archive, monkeypatch):
    """Rows carried over from the last build and rows worked out again make, edit after
    edit, the matrix worked out from every post: the same entries, in the same order, to
    the bit; and only a few rows are worked out again."""
    from childfirst_site.enrich.related import matrices
    rng = random.Random(5)
    posts = copy.deepcopy(archive)
    _, _, state = matrices.text_matrix(posts)
    real, worked_out = matrices._weighted, []

    def counting(counts, columns, indptr, width, scale):
        worked_out.append(len(indptr) - 1)
        return real(counts, columns, indptr, width, scale)

    monkeypatch.setattr(matrices, "_weighted", counting)
    carried = alone = 0   # edits that carried most rows over; that worked out the edited post's alone
    for step in range(30):
        post = rng.choice(posts)
        edit(post, rng, posts)
        post.read_digest = bytes([step]) * 32    # as the build marks a post read again
        worked_out.clear()
        matrix, keys, state = matrices.text_matrix(posts, state)
        carried += worked_out[0] < len(posts) // 2
        alone += worked_out[0] == 1
        whole, whole_keys, _ = matrices.text_matrix(posts)
        assert np.array_equal(keys, whole_keys), f"step {step}"
        for name in ("indptr", "indices", "data"):
            assert getattr(matrix, name).tobytes() == getattr(whole, name).tobytes(), f"step {step}: {name}"
    assert carried >= 20 and alone >= 12
