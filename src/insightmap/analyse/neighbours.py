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

The graph stores the projections as 8-bit integers (`DTYPE`): its distances are
integer sums, the same on any CPU's SIMD, and 100,000 generated insights are
added and searched in 12.5 + 17 CPU s instead of 32 + 57 (f32; f16: 22 + 30).
Measured on 2,000 sampled rows of those 100,000 against exact search, the true
10 nearest found: f32 with 48 candidates 98.7 %, i8 with 48 98.2 %, i8 with 64
(kept) 99.0 % for 3 CPU s more; on 20,000 (every row) 99.0 % → 99.4 %, and the
clusters equal exact search's there and on the dev set forced through this path.
Measured and not kept: 128 or 64 dimensions (95.9 % / 86.9 % at 20,000, and the
clusters change: a missed neighbour makes another pair mutual), 32 candidates,
smaller graphs or breadths (`CONNECTIVITY` 12, `EXPANSION_ADD` 32,
`EXPANSION_SEARCH` 64: 98.6-98.7 % for 10-30 % less time in one phase), and wider
ones (`EXPANSION_SEARCH` 160 or `EXPANSION_ADD` 128: +0.1 % for 40-60 % more time).
Not solved: on `benchmarks/bench_clusters.py`'s corpus (a 4,000-word lexicon, so
a wide vocabulary squeezed into 256 dimensions) at 20,000 the clusters are not all
exact search's: of 758, i8 with 64 candidates adds 19 and misses 9 (f32 with 48,
before: 21 and 9; i8 with 128: 11 and 6). `--compare-exact` there measures it.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

import numpy as np
from scipy import sparse

from insightmap.analyse.text import Neighbours, pair_dots

DIMENSIONS = 256
HITS = 4
CANDIDATES = 64
SEED = 20261201
#: HNSW graph degree and search breadths (usearch defaults are 16 / 128 / 64).
CONNECTIVITY = 16
EXPANSION_ADD = 64
EXPANSION_SEARCH = 96
SEARCH_THREADS = 2
#: How the graph stores the projected vectors (the distances it computes are this precise).
DTYPE = "i8"
#: From this many distinct candidate pairs on, they are scored by forked workers, one per core.
PARALLEL_PAIRS = 500_000
#: Rows whose candidates are ranked at once.
RESCORE_ROWS = 1024


def candidate_scores(matrix: sparse.csr_matrix, candidates: np.ndarray, valid: np.ndarray) -> np.ndarray:
    """Return each row's dot product with each of its valid candidates (0 elsewhere).

    Neighbourhoods are mostly mutual, so a pair often comes up from both sides: each
    unordered pair is scored once (the dot of i and j sums the same products in the same
    column order as that of j and i, so the scores are the same bits either way).
    """
    n = candidates.shape[0]
    rows = np.broadcast_to(np.arange(n, dtype=np.int64)[:, np.newaxis], candidates.shape)[valid]
    cand = candidates[valid]
    pairs, back = np.unique(np.minimum(rows, cand) * n + np.maximum(rows, cand), return_inverse=True)
    from insightmap.parallel import cores, in_parallel

    # Every pair's score is computed alone, so forked workers (one per core) give the same bits.
    workers = cores() if len(pairs) >= PARALLEL_PAIRS else 1
    size = -(-len(pairs) // workers)
    left, right = pairs // n, pairs % n
    spans = [(i, i + size) for i in range(0, len(pairs), size)]
    parts = in_parallel([partial(pair_dots, matrix, left[a:b], right[a:b]) for a, b in spans], workers)
    scores = np.zeros(candidates.shape)
    scores[valid] = np.concatenate([np.zeros(0), *parts])[back]
    return scores


def project(matrix: sparse.csr_matrix, dimensions: int | None = None) -> np.ndarray:
    """Return the rows projected to `dimensions` dense float32 columns, unit length."""
    dimensions = dimensions or DIMENSIONS
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
    if not matrix.has_sorted_indices:
        matrix = matrix.sorted_indices()  # once, not in every block's `candidate_dots`
    vectors = project(matrix)
    index = Index(
        ndim=vectors.shape[1],
        metric="ip",
        dtype=DTYPE,
        connectivity=CONNECTIVITY,
        expansion_add=EXPANSION_ADD,
        expansion_search=EXPANSION_SEARCH,
    )
    keys = np.arange(n, dtype=np.uint64)
    index.add(keys, vectors, threads=1)  # one thread: the same graph on every run
    # Searching reads the graph only: every query's answer is the same on any number of threads.
    found = index.search(vectors, min(n, CANDIDATES + 1), threads=SEARCH_THREADS)
    candidates = np.asarray(found.keys, dtype=np.int64).reshape(n, -1)
    valid = (candidates >= 0) & (candidates < n) & (candidates != np.arange(n)[:, np.newaxis])
    candidates = np.where(valid, candidates, 0)
    all_scores = np.where(valid, candidate_scores(matrix, candidates, valid), 0.0)
    all_scores[all_scores < max(min_score, 1e-12)] = 0.0
    group = np.asarray(groups, dtype=np.int64)
    out = [
        np.full((n, k), -1, dtype=np.int64),
        np.zeros((n, k)),
        np.full((n, k_other), -1, dtype=np.int64),
        np.zeros((n, k_other)),
    ]
    for start in range(0, n, RESCORE_ROWS):
        rows = np.arange(start, min(n, start + RESCORE_ROWS))
        cand, scores = candidates[rows], all_scores[rows]
        # Best first, ties by the lower index; the dropped (zero) scores go last.
        order = np.lexsort((cand, -scores), axis=1)
        ranked = np.take_along_axis(cand, order, axis=1)
        ranked_scores = np.take_along_axis(scores, order, axis=1)
        kept = ranked_scores > 0
        _first(out[0], out[1], rows, ranked, ranked_scores, kept, k)
        elsewhere = kept & (group[ranked] != group[rows, np.newaxis])
        _first(out[2], out[3], rows, ranked, ranked_scores, elsewhere, k_other)
    return Neighbours(*out)


def _first(
    index: np.ndarray,
    score: np.ndarray,
    rows: np.ndarray,
    ranked: np.ndarray,
    ranked_scores: np.ndarray,
    keep: np.ndarray,
    k: int,
) -> None:
    """Write the first k kept candidates of each row (in rank order) into index/score rows."""
    if k == 0:
        return
    # A stable sort of "not kept" brings the kept ones to the front, still in rank order.
    front = np.argsort(~keep, axis=1, kind="stable")[:, :k]
    taken = np.take_along_axis(keep, front, axis=1)
    index[rows, : front.shape[1]] = np.where(taken, np.take_along_axis(ranked, front, axis=1), -1)
    score[rows, : front.shape[1]] = np.where(taken, np.take_along_axis(ranked_scores, front, axis=1), 0.0)
