"""Sparse matrices, a row a post, as related-story scoring builds them: in NumPy alone.
SciPy, a tenth of a second to import, is loaded only to score blocks of rows against
every post (a first build); after an edit, the few rows it changes are scored against
the others here, to the same bits as SciPy's product gives."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from scipy import sparse


@dataclass
class SparseRows:
    """Compressed rows: row i's columns are indices[indptr[i]:indptr[i+1]], ascending."""

    indptr: np.ndarray   # int64
    indices: np.ndarray  # int32
    data: np.ndarray     # float32
    width: int

    @property
    def height(self) -> int:
        return len(self.indptr) - 1

    def kept(self, keep: np.ndarray) -> "SparseRows":
        """The entries where `keep` holds."""
        before = np.zeros(len(keep) + 1, dtype=np.int64)
        np.cumsum(keep, out=before[1:])
        return SparseRows(before[self.indptr], self.indices[keep], self.data[keep], self.width)

    def scaled(self, column_scale: np.ndarray) -> "SparseRows":
        """Each entry times its column's scale; entries that become zero are dropped."""
        data = self.data * column_scale[self.indices]
        return SparseRows(self.indptr, self.indices, data, self.width).kept(data != 0)

    def strongest(self, per_row: int) -> "SparseRows":
        """Each row's `per_row` largest entries (ties as np.argpartition breaks them)."""
        indptr, data = self.indptr, self.data
        keep = np.ones(len(data), dtype=bool)
        for row in np.flatnonzero(np.diff(indptr) > per_row):
            start, end = indptr[row], indptr[row + 1]
            weakest = np.argpartition(data[start:end], end - start - per_row)[: end - start - per_row]
            keep[start + weakest] = False
        return self.kept(keep)

    def normalised(self) -> "SparseRows":
        """Each row divided by its Euclidean length (empty rows stay empty)."""
        lengths = np.diff(self.indptr)
        filled = lengths > 0
        sums = np.zeros(self.height, dtype=np.float32)
        if filled.any():
            # Each row's sum is of its own entries alone: the same bits whatever rows are beside it.
            sums[filled] = np.add.reduceat(self.data * self.data, self.indptr[:-1][filled])
        norms = np.sqrt(sums)
        norms[norms == 0] = 1.0
        return SparseRows(self.indptr, self.indices, self.data * np.repeat((1.0 / norms).astype(np.float32), lengths),
                          self.width)

    def rows(self, chosen: np.ndarray) -> "SparseRows":
        indptr, picks = segments(self.indptr, chosen)
        return SparseRows(indptr, self.indices[picks], self.data[picks], self.width)

    def against(self, targets: np.ndarray) -> np.ndarray:
        """Dense (height × len(targets)) float32: each row's dot product with each target
        row. Each is summed product by product in column order, in single precision, as
        SciPy's product of two sparse matrices sums it (tests compare the bits)."""
        out = np.zeros((len(targets), self.height), dtype=np.float32)
        if not len(targets):
            return out.T
        wanted = np.zeros(self.width, dtype=bool)
        target_rows = self.rows(np.asarray(targets))
        wanted[target_rows.indices] = True
        # Only entries in a target's columns can add anything (the rest would add 0).
        sel = np.flatnonzero(wanted[self.indices])
        row_of = np.searchsorted(self.indptr, sel, side="right") - 1
        columns, values = self.indices[sel], self.data[sel]
        weights = np.zeros(self.width, dtype=np.float32)
        for t in range(len(targets)):
            start, stop = target_rows.indptr[t], target_rows.indptr[t + 1]
            weights[target_rows.indices[start:stop]] = target_rows.data[start:stop]
            # np.add.at adds one product at a time, in order: the sums SciPy makes.
            np.add.at(out[t], row_of, values * weights[columns])
            weights[target_rows.indices[start:stop]] = 0.0
        return out.T

    def distinct(self, most: int) -> tuple[np.ndarray, "SparseRows"] | None:
        """Where the rows take at most `most` distinct values (the same columns and the
        same data): each row's number among them, and those rows, in that order. None
        otherwise, and for matrices over 62 columns wide (told apart by bit masks)."""
        if self.width > 62:
            return None
        lengths = np.diff(self.indptr)
        bits = np.zeros(self.height, dtype=np.int64)
        filled = lengths > 0
        if filled.any():
            bits[filled] = np.bitwise_or.reduceat(np.left_shift(1, self.indices.astype(np.int64)),
                                                  self.indptr[:-1][filled])
        masks, first, of_row = np.unique(bits, return_index=True, return_inverse=True)
        if len(masks) > most:
            return None
        shared = self.rows(first)
        # The same columns, so as many entries in the same places: the data must match too.
        _, entries = segments(shared.indptr, of_row)
        if not np.array_equal(self.data.view(np.uint32), shared.data[entries].view(np.uint32)):
            return None
        return of_row.astype(np.int32), shared

    def scipy(self) -> "sparse.csr_matrix":
        from scipy import sparse
        return sparse.csr_matrix((self.data, self.indices, self.indptr), shape=(self.height, self.width))


def segments(indptr: np.ndarray, chosen: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For rows `chosen` of a matrix compressed by `indptr`: their own indptr, and where
    their entries are, row after row."""
    starts, stops = indptr[chosen], indptr[chosen + 1]
    lengths = stops - starts
    own = np.zeros(len(chosen) + 1, dtype=np.int64)
    np.cumsum(lengths, out=own[1:])
    return own, np.repeat(starts - own[:-1], lengths) + np.arange(own[-1])
