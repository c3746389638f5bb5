"""Small sparse-matrix helpers of the suggester and its lexicon (scipy CSR, rows L2-normalised)."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    from scipy.sparse import csr_matrix


def csr_from(rows: np.ndarray, cols: np.ndarray, n_rows: int, n_cols: int, weights: np.ndarray | None = None) -> "csr_matrix":
    from scipy.sparse import csr_matrix

    data = np.ones(len(rows), np.float32) if weights is None else weights.astype(np.float32)
    m = csr_matrix((data, (rows, cols)), shape=(n_rows, n_cols), dtype=np.float32)
    m.sum_duplicates()
    return m

def tfidf(counts: "csr_matrix", idf: np.ndarray) -> "csr_matrix":
    m = counts.copy()
    m.data = (1.0 + np.log(m.data)) * idf[m.indices]
    return l2_rows(m)

def l2_rows(m: "csr_matrix") -> "csr_matrix":
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    from scipy.sparse import diags

    return (diags((1.0 / norms).astype(np.float32)) @ m).tocsr()
