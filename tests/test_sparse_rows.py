"""The NumPy sparse rows related-story scoring builds its views with: the same matrices
and the same bits as SciPy's operations, which score blocks of rows in a first build."""
from __future__ import annotations

import numpy as np
import pytest
from scipy import sparse

from childfirst_site.enrich.related.sparse_rows import SparseRows


def random_rows(seed: int, height: int = 300, width: int = 80) -> SparseRows:
    rng = np.random.default_rng(seed)
    lengths = rng.integers(0, 40, height)
    lengths[rng.choice(height, 10)] = 0          # some posts with no terms at all
    indptr = np.zeros(height + 1, dtype=np.int64)
    np.cumsum(lengths, out=indptr[1:])
    # Few columns, so rows share many of them; magnitudes far apart, so the order of
    # summing shows in the last bits.
    indices = np.concatenate([np.sort(rng.choice(width, n, replace=False)) for n in lengths]).astype(np.int32)
    data = (rng.random(len(indices)) * 10.0 ** rng.integers(-3, 3, len(indices))).astype(np.float32)
    return SparseRows(indptr, indices, data, width).normalised()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_rows_against_a_few_are_scipys_products_to_the_bit(seed):
    rows = random_rows(seed)
    matrix = rows.scipy()
    targets = np.random.default_rng(seed).choice(rows.height, 12, replace=False)
    got = rows.against(targets)
    # The two ways scoring multiplies: every row against a few, a few against every row.
    every_against_few = (matrix @ matrix[targets].T.tocsr()).toarray()
    few_against_every = (matrix[targets] @ matrix.T.tocsr()).toarray().T
    assert got.dtype == np.float32 and got.shape == (rows.height, len(targets))
    assert got.tobytes() == every_against_few.tobytes() == few_against_every.tobytes()
    assert np.count_nonzero(got) > got.size // 4   # rows do share columns: sums were made


def test_normalised_rows_are_unit_length_and_empty_rows_stay_empty():
    rows = random_rows(4)
    lengths = np.sqrt(np.asarray(rows.scipy().multiply(rows.scipy()).sum(axis=1)).ravel())
    filled = np.diff(rows.indptr) > 0
    assert np.allclose(lengths[filled], 1.0, atol=1e-6) and not lengths[~filled].any()


def test_scaling_drops_what_becomes_zero_and_strongest_keeps_the_largest():
    rows = random_rows(5)
    scale = np.ones(rows.width, dtype=np.float32)
    scale[::3] = 0.0
    scaled = rows.scaled(scale)
    expected = sparse.csr_matrix(rows.scipy() @ sparse.diags(scale))
    expected.eliminate_zeros()
    assert not (scaled.indices % 3 == 0).any()
    assert np.array_equal(scaled.scipy().toarray(), expected.toarray())
    strongest = scaled.strongest(5)
    for i in range(rows.height):
        row = scaled.data[scaled.indptr[i]:scaled.indptr[i + 1]]
        kept = strongest.data[strongest.indptr[i]:strongest.indptr[i + 1]]
        assert len(kept) == min(5, len(row))
        assert sorted(kept) == sorted(row)[len(row) - len(kept):]


def test_chosen_rows_are_those_rows():
    rows = random_rows(6)
    chosen = np.array([3, 0, 299, 17])
    assert np.array_equal(rows.rows(chosen).scipy().toarray(), rows.scipy()[chosen].toarray())


def label_rows(seed: int, height: int = 400, width: int = 8, weighted: bool = False) -> SparseRows:
    """Rows as topics make them: each a few of a handful of columns, normalised, so that
    many rows are the same row."""
    from childfirst_site.enrich.related.matrices import label_matrix
    rng = np.random.default_rng(seed)
    names = [f"label-{j}" for j in range(width)]
    labels = [set(rng.choice(names, rng.integers(0, 4), replace=False).tolist()) for _ in range(height)]
    return label_matrix(labels, weighted=weighted)[0]


@pytest.mark.parametrize("weighted", [False, True])
def test_rows_taking_few_values_are_numbered_by_them(weighted):
    rows = label_rows(7, weighted=weighted)
    found = rows.distinct(most=1000)
    assert found is not None
    of_row, shared = found
    assert len(set(of_row.tolist())) == shared.height < rows.height
    assert np.array_equal(shared.scipy().toarray()[of_row], rows.scipy().toarray())


def test_rows_taking_many_values_or_too_wide_are_not_numbered():
    rows = label_rows(8)
    count = rows.distinct(most=1000)[1].height
    assert rows.distinct(most=count - 1) is None
    assert rows.distinct(most=count) is not None
    assert random_rows(9, width=63).distinct(most=10_000) is None
    # The same columns with other data (another weighting): not the same row.
    tampered = SparseRows(rows.indptr, rows.indices, rows.data.copy(), rows.width)
    twin = next(i for i in range(rows.height) if np.diff(rows.indptr)[i] == 2)
    tampered.data[rows.indptr[twin]] *= np.float32(1.5)
    assert tampered.distinct(most=1000) is None


@pytest.mark.parametrize("seed", [10, 11])
def test_products_looked_up_by_distinct_rows_are_scipys_to_the_bit(seed):
    from childfirst_site.enrich.related.scoring import Products
    for rows in (label_rows(seed), label_rows(seed, weighted=True), random_rows(seed)):
        products = Products.of(rows)
        matrix = rows.scipy()
        block = np.arange(5, 70)
        assert products.block(block).tobytes() == (matrix[block] @ matrix.T.tocsr()).toarray().tobytes()
    assert Products.of(label_rows(seed)).table is not None      # the lookup was taken
    assert Products.of(random_rows(seed)).table is None        # rows all different: SciPy's product
