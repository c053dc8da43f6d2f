"""Tests of the Swedish text pipeline: tokens, stop words, stemming, TF-IDF, nearest neighbours."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import sparse

from insightmap.analyse.text import (
    STOP_WORDS,
    nearest,
    normalise_rows,
    row_dots,
    stem,
    surface_forms,
    terms,
    tfidf,
    tokenise,
)


def test_tokenise_lowercases_and_drops_digits_urls_and_single_letters() -> None:
    text = "Öppettider 08–17, se https://example.se/sida och i Socialtjänstens R&D-rapport."
    assert tokenise(text) == ["öppettider", "se", "och", "socialtjänstens", "rapport"]


def test_stop_words_are_removed() -> None:
    assert "och" in STOP_WORDS and "att" in STOP_WORDS
    assert terms("Det är viktigt att man kan ringa och att någon svarar") == [
        stem("viktigt"),
        stem("ringa"),
        stem("svarar"),
    ]


def test_stemming_joins_inflections() -> None:
    assert stem("tillgängligheten") == stem("tillgänglig") == stem("tillgängliga")
    assert stem("socialtjänsten") == stem("socialtjänst")
    assert stem("barnen") == stem("barn")
    assert terms("Tillgängligheten brister")[0] == terms("Socialtjänsten är tillgänglig")[1]


def test_surface_forms_pick_the_most_frequent_word() -> None:
    forms = surface_forms(["barnen och barnen", "barn"])
    assert forms[stem("barn")] == "barnen"


def test_tfidf_rows_are_unit_length_and_rare_terms_weigh_more() -> None:
    result = tfidf([["ring", "kväll"], ["ring", "lunch"], ["ring", "kväll", "kväll"]])
    norms = np.sqrt(np.asarray(result.matrix.multiply(result.matrix).sum(axis=1)).ravel())
    assert np.allclose(norms, 1.0)
    row = result.matrix[1].toarray().ravel()
    assert row[result.terms.index("lunch")] > row[result.terms.index("ring")]
    assert result.top_terms([0, 2], 1) == ["kväll"]


def test_tfidf_of_empty_documents() -> None:
    result = tfidf([[], ["a"]])
    assert result.matrix.shape == (2, 1)
    assert result.matrix[0].nnz == 0


def _random_matrix(n: int, seed: int = 1) -> sparse.csr_matrix:
    rng = np.random.default_rng(seed)
    dense = rng.random((n, 30)) * (rng.random((n, 30)) < 0.2)
    return normalise_rows(sparse.csr_matrix(dense))


def test_nearest_in_blocks_equals_brute_force() -> None:
    matrix = _random_matrix(60)
    brute = (matrix @ matrix.T).toarray()
    np.fill_diagonal(brute, 0)
    found = nearest(matrix, 4, block_cells=200)  # 3 rows per block: many blocks
    for row in range(60):
        best = sorted(range(60), key=lambda j: (-brute[row, j], j))[:4]
        best = [j for j in best if brute[row, j] > 0]
        assert [j for j, _ in found.of(row)] == best
        assert all(np.isclose(s, brute[row, j]) for j, s in found.of(row))


def test_nearest_other_groups_skips_own_group_and_respects_min_score() -> None:
    matrix = _random_matrix(40, seed=7)
    groups = [i % 4 for i in range(40)]
    found = nearest(matrix, 3, groups=groups, k_other=5, min_score=0.3, block_cells=100)
    for row in range(40):
        others = found.of(row, other=True)
        assert all(groups[j] != groups[row] for j, _ in others)
        assert all(s >= 0.3 for _, s in [*others, *found.of(row)])
        assert [s for _, s in others] == sorted((s for _, s in others), reverse=True)


def test_nearest_breaks_ties_by_lower_index() -> None:
    matrix = normalise_rows(sparse.csr_matrix(np.ones((6, 2))))
    found = nearest(matrix, 2)
    assert [j for j, _ in found.of(5)] == [0, 1]
    assert [j for j, _ in found.of(0)] == [1, 2]


def test_row_dots() -> None:
    matrix = _random_matrix(10)
    brute = (matrix @ matrix.T).toarray()
    assert np.allclose(row_dots(matrix, [(0, 1), (3, 3)]), [brute[0, 1], brute[3, 3]])
    assert row_dots(matrix, []).shape == (0,)


def test_pair_dots_are_the_same_however_the_pairs_are_blocked(monkeypatch: pytest.MonkeyPatch) -> None:
    from insightmap.analyse import text

    matrix = _random_matrix(40)
    rng = np.random.default_rng(3)
    left, right = rng.integers(0, 40, 300), rng.integers(0, 40, 300)
    brute = (matrix @ matrix.T).toarray()
    whole = text.pair_dots(matrix, left, right)
    assert np.allclose(whole, brute[left, right], rtol=0, atol=1e-12)
    monkeypatch.setattr(text, "PAIR_ROWS", 3)
    assert np.array_equal(text.pair_dots(matrix, left, right), whole)
    # Columns stored out of order (as a sparse product leaves them) sum in column order all the same.
    shuffled = sparse.csr_matrix(matrix)
    for r in range(shuffled.shape[0]):
        a, b = shuffled.indptr[r], shuffled.indptr[r + 1]
        shuffled.indices[a:b], shuffled.data[a:b] = shuffled.indices[a:b][::-1], shuffled.data[a:b][::-1]
    shuffled.has_sorted_indices = False
    assert np.array_equal(text.pair_dots(shuffled, left, right), whole)
