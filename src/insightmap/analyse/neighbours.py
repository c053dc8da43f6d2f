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

from insightmap.analyse.text import Neighbours, row_dots

DIMENSIONS = 256
HITS = 4
CANDIDATES = 48
SEED = 20261201
#: HNSW graph degree and search breadths (usearch defaults are 16 / 128 / 64).
CONNECTIVITY = 16
EXPANSION_ADD = 64
EXPANSION_SEARCH = 96


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
    found = index.search(vectors, min(n, CANDIDATES + 1), threads=1)
    candidates = np.asarray(found.keys, dtype=np.int64).reshape(n, -1)
    group = np.asarray(groups, dtype=np.int64)
    out = [
        np.full((n, k), -1, dtype=np.int64),
        np.zeros((n, k)),
        np.full((n, k_other), -1, dtype=np.int64),
        np.zeros((n, k_other)),
    ]
    block = 20_000
    for start in range(0, n, block):
        rows = np.arange(start, min(n, start + block))
        cand = candidates[rows]
        valid = (cand >= 0) & (cand < n) & (cand != rows[:, np.newaxis])
        left = np.repeat(rows, cand.shape[1])[valid.ravel()]
        right = cand.ravel()[valid.ravel()]
        scores = np.zeros(cand.shape)
        scores[valid] = row_dots(matrix, list(zip(left.tolist(), right.tolist(), strict=True)))
        scores[~valid | (scores < max(min_score, 1e-12))] = 0.0
        for r, row in enumerate(rows):
            order = sorted(
                ((-s, int(j)) for s, j in zip(scores[r], cand[r], strict=True) if s > 0), key=lambda x: x
            )
            best = order[:k]
            other = [(s, j) for s, j in order if group[j] != group[row]][:k_other]
            for slot, (s, j) in enumerate(best):
                out[0][row, slot], out[1][row, slot] = j, -s
            for slot, (s, j) in enumerate(other):
                out[2][row, slot], out[3][row, slot] = j, -s
    return Neighbours(*out)
