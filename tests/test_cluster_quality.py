"""Quality of recurring clusters on the labelled Swedish development set, and their stability."""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import score_clusters  # noqa: E402

from insightmap.analyse import recurring  # noqa: E402
from insightmap.analyse.clusters import compute_clusters  # noqa: E402
from insightmap.analyse.swedish import compound_parts, lemma, lemmas  # noqa: E402


@pytest.fixture(scope="module")
def half() -> score_clusters.DevSet:
    return score_clusters.load(half=True)


def test_quality_on_the_development_slice_stays_above_the_floors(half: score_clusters.DevSet) -> None:
    # Measured 0.85 / 0.26 / 11 % when written (today's algorithm before: 0.41 / 0.31 / 61 %);
    # 0.92 / 0.26 / 6 % with no compound split after a particle (0.93 / 0.31 / 6 % with the thesaurus,
    # left out for its cost: see insightmap.analyse.recurring).
    report = compute_clusters(half.records, half.corpus())
    figures = score_clusters.score(half, [c.insights for c in report.recurring])["all"]
    assert figures["precision"] >= 0.88
    assert figures["recall"] >= 0.26
    assert figures["negatives_merged"] <= 0.08


def test_the_same_json_on_a_second_run(half: score_clusters.DevSet) -> None:
    first = json.dumps(compute_clusters(half.records, half.corpus()).to_dict(), ensure_ascii=False)
    second = json.dumps(compute_clusters(half.records, half.corpus()).to_dict(), ensure_ascii=False)
    assert first == second


def test_an_unrelated_record_changes_no_other_cluster(half: score_clusters.DevSet) -> None:
    before = compute_clusters(half.records, half.corpus()).recurring
    extra = replace(
        half.records[0],
        id="kiruna/zz-extra",
        organisation="kiruna",
        title="Snöskotrar i fjällen behöver fler rastplatser med vindskydd.",
        body="Turister och renskötare önskar skyltade leder och grillplatser längs kalfjället.",
        quotes=(),
    )
    records = [*half.records, extra]
    after = compute_clusters(records, replace(half, records=records).corpus()).recurring
    assert [c.insights for c in after] == [c.insights for c in before]


def test_approximate_neighbours_give_the_same_clusters_as_exact(
    half: score_clusters.DevSet, monkeypatch: pytest.MonkeyPatch
) -> None:
    exact = compute_clusters(half.records, half.corpus()).recurring
    monkeypatch.setattr(recurring, "ANN_FROM", 1)
    approximate = compute_clusters(half.records, half.corpus())
    again = compute_clusters(half.records, half.corpus())
    assert [c.insights for c in approximate.recurring] == [c.insights for c in exact]
    assert approximate.to_dict() == again.to_dict()


def test_confirmed_links_hold_and_declined_ones_never_join(half: score_clusters.DevSet) -> None:
    report = compute_clusters(half.records, half.corpus())
    cluster = report.recurring[0].insights
    declined = compute_clusters(half.records, half.corpus(), declined=[(cluster[0], cluster[1])])
    assert not any({cluster[0], cluster[1]} <= set(c.insights) for c in declined.recurring)
    lonely = [r.id for r in half.records if not any(r.id in c.insights for c in report.recurring)]
    a, b = next((x, y) for x in lonely for y in lonely if x.split("/")[0] != y.split("/")[0])
    confirmed = compute_clusters(half.records, half.corpus(), confirmed=[(a, b)])
    assert any({a, b} <= set(c.insights) for c in confirmed.recurring)


def test_lemmas_join_inflections_the_stemmer_split() -> None:
    assert lemma("jobbet") == lemma("jobb")
    assert lemma("kvinnan") == lemma("kvinnor") == "kvinna"
    assert lemma("pappor") != lemma("papper")


def test_compounds_share_their_parts_and_boilerplate_is_dropped() -> None:
    assert compound_parts("telefontid") == ("telefon", "tid")
    assert compound_parts("arbetstid") == ("arbete", "tid")
    words = lemmas("Insikten talar för att flera berättade om telefontiden på kvällen.")
    assert words == ["telefontid", "telefon", "tid", "kväll"]


def test_a_particle_does_not_make_a_compound() -> None:
    # *mottagning* is *ta emot*, not a kind of *tagning*; *underlag* is no *lag*.
    assert compound_parts("mottagning") == ()
    assert compound_parts("underlag") == ()
    assert compound_parts("mottagningstid") == ("mottagning", "tid")


def test_the_hand_labelled_demo_pairs_stay_above_the_floors() -> None:
    # The demo corpus (insights/) was not written for the benchmark: a check closer to a held-out set.
    # Measured 0.75 / 0.14 (3 of 4 predicted pairs true; 7 true groups, 21 true pairs) when written.
    figures = score_clusters.run_demo()
    assert figures["precision"] >= 0.7
    assert figures["recall"] >= 0.14
    assert figures["different_merged"] == 0


def test_counting_the_whole_corpus_at_once_gives_each_texts_lemmas(half: score_clusters.DevSet) -> None:
    from collections import Counter

    from insightmap.analyse.swedish import term_counts

    texts = [recurring.document(r) for r in half.records[:40]] + ["Se https://exempel.se/a b", ""]
    counts, terms = term_counts(texts)
    for row, text in enumerate(texts):
        found = {terms[c]: int(n) for c, n in zip(counts[row].indices, counts[row].data, strict=True)}
        assert found == dict(Counter(lemmas(text)))


def test_words_read_by_forked_workers_give_the_same_counts(
    half: score_clusters.DevSet, monkeypatch: pytest.MonkeyPatch
) -> None:
    from insightmap import parallel
    from insightmap.analyse import swedish

    texts = [recurring.document(r) for r in half.records] + ["Se https://exempel.se/a b", ""]
    counts, terms = swedish.term_counts(texts)
    monkeypatch.setattr(swedish, "PARALLEL_FROM", 1)
    monkeypatch.setattr(parallel, "cores", lambda: 2)
    forked, forked_terms = swedish.term_counts(texts)
    assert forked_terms == terms
    assert (forked != counts).nnz == 0 and np.array_equal(forked.indices, counts.indices)


def test_rescoring_candidates_gives_the_exact_scores(
    half: score_clusters.DevSet, monkeypatch: pytest.MonkeyPatch
) -> None:
    from insightmap import parallel
    from insightmap.analyse import neighbours
    from insightmap.analyse.neighbours import candidate_scores
    from insightmap.analyse.text import row_dots

    matrix = recurring.similarity(half.records).combined
    rows = np.arange(matrix.shape[0])
    # Some pairs come up from both sides (5 -> 40 and 40 -> 5) and are scored once.
    cand = np.array([[(r * 7 + c * 13) % matrix.shape[0] for c in range(5)] for r in rows])
    valid = cand != rows[:, np.newaxis]
    expected = row_dots(matrix, [(int(r), int(c)) for r in rows for c in cand[r]]).reshape(cand.shape)
    assert np.array_equal(candidate_scores(matrix, cand, valid), np.where(valid, expected, 0.0))
    monkeypatch.setattr(neighbours, "PARALLEL_PAIRS", 1)
    monkeypatch.setattr(parallel, "cores", lambda: 2)
    assert np.array_equal(candidate_scores(matrix, cand, valid), np.where(valid, expected, 0.0))
