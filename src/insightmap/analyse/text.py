"""Swedish text processing for similarity: tokens, stop words, stemming, TF-IDF, nearest neighbours.

The pipeline is `terms(text)` (tokenise, drop stop words, snowball-stem) →
`tfidf(documents)` (sublinear tf × smoothed idf, rows L2-normalised, so a row
product is a cosine) → `nearest(matrix, k)` (top-k neighbours per row).
`nearest` multiplies the matrix by its transpose one block of rows at a time,
so memory stays at about `BLOCK_CELLS` scores however many documents there
are (10,000 insights never need the 10,000² matrix).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
from scipy import sparse

#: Swedish function words and very general verbs that say nothing about an insight's content.
STOP_WORDS: frozenset[str] = frozenset(
    """
alla allt alltid andra annan annat att av bara bli blir blev blivit båda både de dem den denna
deras dess dessa det detta dig din dina ditt där då efter eftersom ej eller en ens er era ert ett
fast fick finns flera fler för före från få får genom gjorde gör göra ha hade har hatt hela hem
hen henne hennes hon honom hos hur här i ibland icke idag ihop in inga ingen inget inte inom
ja jag just kan kanske kommer kunde kunna man med mellan men mer mig min mina mitt mot mycket
många måste ned nej ner ni nog nu när någon något några och oss också om on oftast sedan ska
skall skulle sig sin sina sitt sjäv själv sjävla så sådan sådana sådant som sätt ta tar till
tillsammans tog två under upp ut utan vad var vara varför varit varje vars vem vi vid vilka
vilken vilket vill vore vår våra vårt än ändå är även åt över dvs etc bl osv t ex eg pga ca
https http www com se html
""".split()
)

_URL = re.compile(r"https?://\S+|www\.\S+")
_WORD = re.compile(r"[^\W\d_]+")
#: Score cells computed per block of rows in `nearest` (8 bytes each: ~32 MB).
BLOCK_CELLS = 4_000_000


def raw_words(text: str) -> list[str]:
    """Split text into lower-case words of any length (no digits, no URLs)."""
    text = text.casefold()
    if "http" in text or "www" in text:  # the only texts _URL can match
        text = _URL.sub(" ", text)
    found: list[str] = _WORD.findall(text)
    return found


def tokenise(text: str) -> list[str]:
    """Split text into lower-case words of two or more letters (no digits, no URLs)."""
    return [word for word in raw_words(text) if len(word) > 1]


@cache
def _stemmer():  # type: ignore[no-untyped-def]
    import snowballstemmer

    return snowballstemmer.stemmer("swedish")


@cache
def stem(word: str) -> str:
    """Return the snowball Swedish stem of a lower-case word (`tillgängligheten` → `tillgäng`)."""
    stemmed: str = _stemmer().stemWord(word)
    return stemmed


def terms(text: str) -> list[str]:
    """Return the stems of the text's content words, in order."""
    return [stem(word) for word in tokenise(text) if word not in STOP_WORDS]


def surface_forms(texts: Iterable[str], base: Callable[[str], str] | None = None) -> dict[str, str]:
    """Map each stem (or `base(word)`) to its most frequent word in the texts (ties: shortest, first)."""
    to_base = base or stem
    counts: Counter[tuple[str, str]] = Counter()
    for text in texts:
        counts.update((to_base(w), w) for w in tokenise(text) if w not in STOP_WORDS)
    best: dict[str, tuple[int, int, str]] = {}
    for (root, word), n in counts.items():
        key = (-n, len(word), word)
        if root not in best or key < best[root]:
            best[root] = key
    return {root: key[2] for root, key in best.items()}


@dataclass(frozen=True)
class Tfidf:
    """A TF-IDF matrix (one L2-normalised row per document) and its terms by column."""

    matrix: sparse.csr_matrix
    terms: tuple[str, ...]

    def top_terms(self, rows: Sequence[int], n: int = 5) -> list[str]:
        """Return the n terms with the highest summed weight over the rows (ties by term)."""
        if not rows or not self.terms:
            return []
        weights = np.asarray(self.matrix[list(rows)].sum(axis=0)).ravel()
        order = sorted((-weights[i], self.terms[i]) for i in np.flatnonzero(weights > 0))
        return [term for _, term in order[:n]]


def tfidf(documents: Sequence[Sequence[str]]) -> Tfidf:
    """Return the TF-IDF matrix of documents given as term lists (sublinear tf, smoothed idf)."""
    vocabulary = sorted({t for doc in documents for t in doc})
    column = {t: i for i, t in enumerate(vocabulary)}
    rows: list[int] = []
    cols: list[int] = []
    data: list[float] = []
    for r, doc in enumerate(documents):
        for term, count in sorted(Counter(doc).items()):
            rows.append(r)
            cols.append(column[term])
            data.append(count)
    shape = (len(documents), len(vocabulary))
    counts = sparse.csr_matrix((data, (rows, cols)), shape=shape, dtype=np.float64)
    return weigh(counts, tuple(vocabulary))


def weigh(counts: sparse.csr_matrix, terms: tuple[str, ...]) -> Tfidf:
    """Return the TF-IDF of a term count matrix (sublinear tf, smoothed idf, rows L2-normalised)."""
    matrix = sparse.csr_matrix(counts, dtype=np.float64, copy=True)
    matrix.sum_duplicates()
    # 1 + ln(count) from a table of the scalar values: the same bits as counting one text at a time.
    top = int(matrix.data.max()) if matrix.nnz else 0
    table = np.array([0.0, *(1.0 + np.log(c) for c in range(1, top + 1))])
    matrix.data = table[matrix.data.astype(np.int64)]
    df = np.bincount(matrix.indices, minlength=len(terms))
    idf = np.log((1.0 + matrix.shape[0]) / (1.0 + df)) + 1.0
    weighted = matrix.multiply(idf[np.newaxis, :]).tocsr()
    return Tfidf(normalise_rows(weighted), terms)


def normalise_rows(matrix: sparse.spmatrix) -> sparse.csr_matrix:
    """Return the matrix with every non-empty row scaled to unit length."""
    matrix = sparse.csr_matrix(matrix, dtype=np.float64)
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    scaled = sparse.csr_matrix(sparse.diags(1.0 / norms) @ matrix)
    scaled.sort_indices()  # the product leaves each row's columns unordered; sums follow column order
    return scaled


def row_dots(matrix: sparse.csr_matrix, pairs: Sequence[tuple[int, int]]) -> np.ndarray:
    """Return the dot product of the two rows of each pair (cosines for normalised rows)."""
    left = np.fromiter((a for a, _ in pairs), dtype=np.int64, count=len(pairs))
    right = np.fromiter((b for _, b in pairs), dtype=np.int64, count=len(pairs))
    return pair_dots(matrix, left, right)


#: Distinct left rows scored at once by `pair_dots` (a dense block of rows × their columns).
PAIR_ROWS = 1024


def pair_dots(matrix: sparse.csr_matrix, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Return the dot product of rows left[p] and right[p] for each p, in O(non-zeros) per pair.

    The distinct left rows are made dense a block at a time, in the block's own columns
    only (not rows × vocabulary), and each right row's entries are looked up in them.
    Products are summed in the right row's column order, so the result does not depend
    on how the pairs are blocked.
    """
    out = np.zeros(len(left))
    if not len(left):
        return out
    if not matrix.has_sorted_indices:  # a sorted copy: the same sums however the rows were built
        matrix = matrix.sorted_indices()
    distinct, owner = np.unique(left, return_inverse=True)
    by_owner = np.argsort(owner, kind="stable")
    bounds = np.searchsorted(owner[by_owner], np.arange(0, len(distinct) + PAIR_ROWS, PAIR_ROWS))
    # Column -> position in the current block's dense columns; -1 is the block's all-zero last column.
    position = np.full(matrix.shape[1], -1, dtype=np.int64)
    for number, start in enumerate(range(0, len(distinct), PAIR_ROWS)):
        rows = distinct[start : start + PAIR_ROWS]
        pairs = by_owner[bounds[number] : bounds[number + 1]]
        block = matrix[rows]
        columns = np.unique(block.indices)
        position[columns] = np.arange(len(columns))
        dense = np.zeros((len(rows), len(columns) + 1))
        dense[np.repeat(np.arange(len(rows)), np.diff(block.indptr)), position[block.indices]] = block.data
        picked = matrix[right[pairs]]
        pair = np.repeat(np.arange(len(pairs)), np.diff(picked.indptr))
        products = picked.data * dense[owner[pairs][pair] - start, position[picked.indices]]
        out[pairs] = np.bincount(pair, weights=products, minlength=len(pairs))
        position[columns] = -1
    return out


@dataclass(frozen=True)
class Neighbours:
    """Top-k neighbours per row: indices and scores, best first, -1 where there are fewer."""

    index: np.ndarray  # (n, k) int64
    score: np.ndarray  # (n, k) float64
    other_index: np.ndarray  # (n, k_other): neighbours in other groups only
    other_score: np.ndarray

    def of(self, row: int, other: bool = False) -> list[tuple[int, float]]:
        """Return the neighbours of a row as (index, score) pairs, best first."""
        index, score = (self.other_index, self.other_score) if other else (self.index, self.score)
        return [(int(j), float(s)) for j, s in zip(index[row], score[row], strict=True) if j >= 0]


def nearest(
    matrix: sparse.csr_matrix,
    k: int,
    groups: Sequence[int] | None = None,
    k_other: int = 0,
    min_score: float = 0.0,
    block_cells: int = BLOCK_CELLS,
) -> Neighbours:
    """Return each row's k most similar rows by dot product, and k_other from other groups.

    Rows are scored in blocks (`block_cells` scores at a time), never all pairs at
    once. Ties are broken by the lower index, so the result is deterministic.
    Scores below `min_score` (and zero scores) are left out.
    """
    n = matrix.shape[0]
    dense, rest = _split_frequent(sparse.csr_matrix(matrix))
    dense_t = np.ascontiguousarray(dense.T)
    transposed = rest.T.tocsc()
    group = np.asarray(groups if groups is not None else np.zeros(n), dtype=np.int64)
    out = [
        np.full((n, k), -1, dtype=np.int64),
        np.zeros((n, k)),
        np.full((n, k_other), -1, dtype=np.int64),
        np.zeros((n, k_other)),
    ]
    block = max(1, min(n, block_cells // max(n, 1)))
    for start in range(0, n, block):
        stop = min(n, start + block)
        # Frequent terms make the product dense: they go through BLAS, rare ones stay sparse.
        scores = dense[start:stop] @ dense_t
        scores += (rest[start:stop] @ transposed).toarray()
        scores[np.arange(stop - start), np.arange(start, stop)] = 0.0  # not its own neighbour
        scores[scores < max(min_score, 1e-12)] = 0.0
        _top(scores, k, out[0], out[1], start)
        if k_other:
            scores[group[start:stop, np.newaxis] == group[np.newaxis, :]] = 0.0
            _top(scores, k_other, out[2], out[3], start)
    return Neighbours(*out)


#: Columns present in more than this share of rows are multiplied as dense arrays.
DENSE_SHARE = 0.01
#: At most this many dense columns (memory: rows × columns × 8 bytes).
DENSE_COLUMNS = 256


def _split_frequent(matrix: sparse.csr_matrix) -> tuple[np.ndarray, sparse.csr_matrix]:
    """Split a matrix into its most frequent columns (dense) and the rest (sparse).

    A sparse product whose output is nearly dense is the slow path of scipy (measured:
    6 s of 8 s for 10,000 insights); frequent columns cause that density.
    """
    n, width = matrix.shape
    counts = np.diff(matrix.tocsc().indptr)
    order = np.argsort(-counts, kind="stable")[:DENSE_COLUMNS]
    frequent = np.sort(order[counts[order] > max(1.0, n * DENSE_SHARE)])
    keep = np.ones(width, dtype=bool)
    keep[frequent] = False
    dense = matrix[:, frequent].toarray() if len(frequent) else np.zeros((n, 0))
    return dense, sparse.csr_matrix(matrix[:, np.flatnonzero(keep)])


def _top(scores: np.ndarray, k: int, index: np.ndarray, score: np.ndarray, start: int) -> None:
    """Write the k best columns of each score row (ties: lower column first) into index/score."""
    if k == 0 or scores.shape[1] == 0:
        return
    k_here = min(k, scores.shape[1])
    # A stable sort on the negated scores keeps equal scores in column order.
    if k_here < scores.shape[1]:
        # The k-th largest score of each row; every column tied with it stays a candidate.
        width = scores.shape[1]
        kth = np.partition(scores, width - k_here, axis=1)[:, width - k_here]
    for r in range(scores.shape[0]):
        row = scores[r]
        if k_here < scores.shape[1]:
            cols = np.flatnonzero(row >= kth[r]) if kth[r] > 0 else np.flatnonzero(row > 0)
        else:
            cols = np.flatnonzero(row > 0)
        cols = cols[np.argsort(-row[cols], kind="stable")][:k_here]
        index[start + r, : len(cols)] = cols
        score[start + r, : len(cols)] = row[cols]
