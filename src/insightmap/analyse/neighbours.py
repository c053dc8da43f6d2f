"""Approximate nearest neighbours for large corpora: sparse random projection + HNSW (usearch).

Exact neighbours (`insightmap.analyse.text.nearest`) score every pair: 100,000
insights are 10¹⁰ products. Here each sparse TF-IDF row is projected to
`DIMENSIONS` dense dimensions by a very sparse random projection (every column
goes to `HITS` dimensions with a random sign, seeded from the column number, so
cosines are kept in expectation), the projections go into an HNSW graph
(usearch: a wheel with no other dependency, deterministic when built on one
thread), and each row's `CANDIDATES` approximate neighbours are re-scored
exactly on the sparse rows. Only the exact scores are returned, so the
approximation can miss a neighbour but never invents or mis-scores one.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import sparse

from insightmap.analyse.text import Neighbours

DIMENSIONS = 256
HITS = 4
CANDIDATES = 48
SEED = 20261201
#: HNSW graph degree and search breadths (usearch defaults are 16 / 128 / 64).
CONNECTIVITY = 16
EXPANSION_ADD = 64
EXPANSION_SEARCH = 96
SEARCH_THREADS = 2
#: Rows whose candidates are re-scored at once (a dense block of RESCORE_ROWS x terms floats).
RESCORE_ROWS = 64


def candidate_dots(matrix: sparse.csr_matrix, rows: np.ndarray, cand: np.ndarray) -> np.ndarray:
    """Return the dot product of each row with each of its candidates (`cand`: rows x candidates).

    The rows are made dense once and each candidate's non-zeros are looked up in them,
    which is several times faster than multiplying pairs of sparse rows.
    """
    dense = matrix[rows].toarray()
    picked = matrix[cand.ravel()]
    owner = np.repeat(np.arange(picked.shape[0]) // cand.shape[1], np.diff(picked.indptr))
    products = picked.data * dense[owner, picked.indices]
    pair = np.repeat(np.arange(picked.shape[0]), np.diff(picked.indptr))
    return np.bincount(pair, weights=products, minlength=picked.shape[0]).reshape(cand.shape)


def project(matrix: sparse.csr_matrix, dimensions: int = DIMENSIONS) -> np.ndarray:
    """Return the rows projected to `dimensions` dense float32 columns, unit length."""
    width = matrix.shape[1]
    rng = np.random.default_rng(SEED)
    cols = rng.integers(0, dimensions, size=(width, HITS))
    signs = rng.choice(np.array([-1.0, 1.0]), size=(width, HITS)) / np.sqrt(HITS)
    rows = np.repeat(np.arange(width), HITS)
    projection = sparse.csr_matrix((signs.ravel(), (rows, cols.ravel())), shape=(width, dimensions))
    dense = np.asarray((matrix @ projection).toarray(), dtype=np.float32)
    norms = np.linalg.norm(dense, axis=1)
    norms[norms == 0] = 1.0
    dense /= norms[:, np.newaxis]
    return dense


def approximate(
    matrix: sparse.csr_matrix,
    k: int,
    groups: Sequence[int],
    k_other: int,
    min_score: float,
) -> Neighbours:
    """Return each row's k best neighbours and k_other best from other groups, exactly scored."""
    from usearch.index import Index

    n = matrix.shape[0]
    vectors = project(matrix)
    index = Index(
        ndim=vectors.shape[1],
        metric="ip",
        dtype="f32",
        connectivity=CONNECTIVITY,
        expansion_add=EXPANSION_ADD,
        expansion_search=EXPANSION_SEARCH,
    )
    keys = np.arange(n, dtype=np.uint64)
    index.add(keys, vectors, threads=1)  # one thread: the same graph on every run
    # Searching reads the graph only: every query's answer is the same on any number of threads.
    found = index.search(vectors, min(n, CANDIDATES + 1), threads=SEARCH_THREADS)
    candidates = np.asarray(found.keys, dtype=np.int64).reshape(n, -1)
    group = np.asarray(groups, dtype=np.int64)
    out = [
        np.full((n, k), -1, dtype=np.int64),
        np.zeros((n, k)),
        np.full((n, k_other), -1, dtype=np.int64),
        np.zeros((n, k_other)),
    ]
    for start in range(0, n, RESCORE_ROWS):
        rows = np.arange(start, min(n, start + RESCORE_ROWS))
        cand = candidates[rows]
        valid = (cand >= 0) & (cand < n) & (cand != rows[:, np.newaxis])
        scores = np.where(valid, candidate_dots(matrix, rows, np.where(valid, cand, 0)), 0.0)
        scores[scores < max(min_score, 1e-12)] = 0.0
        # Best first, ties by the lower index: sort by index, then stably by score.
        by_index = np.argsort(cand, axis=1, kind="stable")
        cand_sorted = np.take_along_axis(cand, by_index, axis=1)
        scores_sorted = np.take_along_axis(scores, by_index, axis=1)
        order = np.argsort(-scores_sorted, axis=1, kind="stable")
        ranked = np.take_along_axis(cand_sorted, order, axis=1)
        ranked_scores = np.take_along_axis(scores_sorted, order, axis=1)
        for r, row in enumerate(rows):
            keep = ranked_scores[r] > 0
            best, best_scores = ranked[r][keep], ranked_scores[r][keep]
            out[0][row, : min(k, len(best))] = best[:k]
            out[1][row, : min(k, len(best))] = best_scores[:k]
            other = group[best] != group[row]
            out[2][row, : min(k_other, int(other.sum()))] = best[other][:k_other]
            out[3][row, : min(k_other, int(other.sum()))] = best_scores[other][:k_other]
    return Neighbours(*out)
