"""Recurring insights: the same learning written up by several organisations, and related insights.

**Similarity.** Each insight becomes one sparse vector whose dot products are
the weighted similarity `TEXT_WEIGHT` × text cosine + `TAG_WEIGHT` × tag cosine.
The text is the title twice, the body and the quotes as Swedish lemmas with
compound parts (`insightmap.analyse.swedish`), TF-IDF weighted (sublinear tf,
smoothed idf). Tags (perspective, sub-population, shift, theme, area; idf
weighted) only support: they are a small share of the score, and an edge also
needs the text cosine alone to reach `TEXT_MIN`.

**Candidates.** Each insight's `NEIGHBOURS_K` nearest neighbours, exact (blocked
sparse products, `insightmap.analyse.text.nearest`) up to `ANN_FROM` insights and
approximate above (`insightmap.analyse.neighbours`). A pair is a candidate edge
when each is among the other's neighbours (mutual nearest neighbours) and its
score reaches `EDGE_MIN` and beats both records' median neighbour score by `CONTRAST`.

**Groups.** Complete linkage over the candidate edges, strongest first: two
groups join only when *every* pair across them scores at least `LINK_MIN` and the
result has at most `MAX_GROUP` insights, so a topic never chains into one group
through a series of near neighbours. Confirmed links (`confirmed`) always join
and declined ones (`declined`) never do; they are the seam for reviewers'
same-as / not-same-as decisions. Groups spanning two or more organisations are
the recurring clusters. Everything is ordered by index and score, so the result
is the same on every run; an unrelated record adds no edge and changes no group.

**Measured and kept** (`benchmarks/score_clusters.py`; dev set P/R/hard negatives
merged, CI half, demo labels): no compound split after a particle (0.60/0.29/17 %
→ 0.66/0.29/13 %, half 0.85/0.26/11 % → 0.92/0.26/6 %, demo unchanged 0.83/0.24).

**Measured and not kept**: a Swedish thesaurus (Viggo Kann's, KTH, from
LibreOffice) beside the lemmas, the text score 0.6 × lemma cosine + 0.4 × the
cosine of the lemmas seen through it (each word for itself and 1/sqrt(its
synonyms × theirs) for each synonym; commits edd03a2, 7cad0e5): dev set
0.66/0.29/13 % → 0.63/0.33/14 % (recall +0.04, precision −0.03), half
0.92/0.26 → 0.93/0.31, demo unchanged, and no synonym group gained an edge (it
lifted a synonym partner into the related top 5 from 37 % to 41 % of pairs, but
the thesaurus lacks most of the words that differ: *reception*/*mottagning*,
*handläggare*). Its cost: the text vectors held ~4× the entries (10,000 synthetic
insights: similarity 2.3 → 3.6 s, exact neighbours 7.9 → 14.1 s CPU). Variants:
its synonyms alone as the second vector (without the word itself: 0.51/0.27/20 %),
synonyms added into the lemma vector (0.67/0.33/14 % at weight 0.5, but
0.51-0.56/0.29-0.33/20-21 % at 0.8-1.0: not stable), synonyms weighted 1/senses
or unweighted (more hard negatives); character 3-5-grams within words, BM25,
binary tf, the title as its own field or three times, LSA (50 dimensions) beside
the terms, and lower bars with or without the contrast rule. None separates hard
negatives from true pairs (AUC 0.44-0.46 for all) or finds a synonym pair: those
score 0.0-0.17, like random pairs, so every gain in recall on one set cost
precision or hard negatives on the other.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import sparse

from insightmap.analyse.text import Neighbours, Tfidf, nearest, normalise_rows, row_dots, weigh
from insightmap.records import Record

TAG_FIELDS = ("perspective", "subpopulation", "shift", "theme", "area")
TEXT_WEIGHT = 0.95
TAG_WEIGHT = 0.05
NEIGHBOURS_K = 10
#: A candidate edge joins records that are among each other's EDGE_K nearest (mutual).
EDGE_K = 3
#: An edge must beat both records' usual neighbour score (median of their k) by this much.
CONTRAST = 0.1
EDGE_MIN = 0.35
TEXT_MIN = 0.3
LINK_MIN = 0.25
MAX_GROUP = 12
RELATED_K = 5
RELATED_MIN = 0.15
#: From this many insights on, neighbours are found approximately (sub-quadratic).
ANN_FROM = 20_000
Pair = tuple[int, int]


def document(record: Record) -> str:
    """Return the text compared between insights: the title twice, the body and the quotes."""
    return "\n".join([record.title, record.title, record.body, *record.quotes])


def tag_features(record: Record) -> list[str]:
    """Return the record's tags as `field:key` strings."""
    return [f"{name}:{key}" for name in TAG_FIELDS for key in record.values(name)]


@dataclass(frozen=True)
class Similarity:
    """The lemma TF-IDF and the combined vectors (one row per record) whose products are scores."""

    text: Tfidf
    combined: sparse.csr_matrix

    def scores(self, pairs: Sequence[Pair]) -> tuple[np.ndarray, np.ndarray]:
        """Return the combined and the text similarity of each pair."""
        return row_dots(self.combined, pairs), row_dots(self.text.matrix, pairs)


def similarity(records: Sequence[Record]) -> Similarity:
    """Return the similarity vectors of the records."""
    from insightmap.analyse.swedish import term_counts

    text = weigh(*term_counts([document(r) for r in records]))
    tags = normalise_rows(tag_matrix(records))
    combined = sparse.hstack(
        [text.matrix * math.sqrt(TEXT_WEIGHT), tags * math.sqrt(TAG_WEIGHT)], format="csr"
    )
    return Similarity(text, combined)


def tag_matrix(records: Sequence[Record]) -> sparse.csr_matrix:
    """Return the idf-weighted tag matrix (one row per record, one column per `field:key`)."""
    features = [tag_features(r) for r in records]
    columns = {f: i for i, f in enumerate(sorted({f for fs in features for f in fs}))}
    rows = [i for i, fs in enumerate(features) for _ in fs]
    cols = [columns[f] for fs in features for f in fs]
    matrix = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(records), len(columns)))
    matrix.sum_duplicates()
    matrix.data[:] = 1.0
    df = np.asarray((matrix > 0).sum(axis=0)).ravel()
    idf = np.log((1.0 + len(records)) / (1.0 + df)) + 1.0
    return sparse.csr_matrix(matrix.multiply(idf[np.newaxis, :]))


def neighbours(sim: Similarity, organisations: Sequence[int], exact: bool | None = None) -> Neighbours:
    """Return each record's nearest neighbours and nearest from other organisations."""
    n = sim.combined.shape[0]
    if exact if exact is not None else n < ANN_FROM:
        return nearest(
            sim.combined,
            NEIGHBOURS_K,
            groups=organisations,
            k_other=RELATED_K,
            min_score=min(EDGE_MIN, RELATED_MIN),
        )
    from insightmap.analyse.neighbours import approximate

    return approximate(sim.combined, NEIGHBOURS_K, organisations, RELATED_K, min(EDGE_MIN, RELATED_MIN))


def candidate_edges(sim: Similarity, found: Neighbours) -> list[tuple[int, int, float]]:
    """Return mutual-nearest-neighbour pairs that reach the score bars, sorted by index."""
    tops = [{j for j, _ in found.of(i)[:EDGE_K]} for i in range(found.index.shape[0])]
    pairs = sorted({(i, j) for i, top in enumerate(tops) for j in top if i < j and i in tops[j]})
    combined, text = sim.scores(pairs)
    # Text-dominated scores: a record in a crowded topic has high usual scores and needs more.
    usual = np.median(found.score, axis=1) if found.score.size else np.zeros(len(tops))
    return [
        (i, j, float(s))
        for (i, j), s, t in zip(pairs, combined, text, strict=True)
        if s >= EDGE_MIN and t >= TEXT_MIN and s >= max(usual[i], usual[j]) + CONTRAST
    ]


def groups(
    sim: Similarity,
    edges: Iterable[tuple[int, int, float]],
    confirmed: Iterable[Pair] = (),
    declined: Iterable[Pair] = (),
) -> list[list[int]]:
    """Join records by complete linkage over the edges, strongest first; return groups of 2+."""
    no = {(min(a, b), max(a, b)) for a, b in declined}
    group_of: dict[int, int] = {}
    members: dict[int, list[int]] = {}

    def join(a: int, b: int) -> None:
        ga, gb = group_of.setdefault(a, a), group_of.setdefault(b, b)
        if ga == gb:
            return
        keep, drop = min(ga, gb), max(ga, gb)
        moved = members.pop(drop, [drop])
        members.setdefault(keep, [keep]).extend(moved)
        for m in moved:
            group_of[m] = keep

    for a, b in sorted((min(a, b), max(a, b)) for a, b in confirmed):
        join(a, b)
    for a, b, _ in sorted(edges, key=lambda e: (-e[2], e[0], e[1])):
        left = members.get(group_of.get(a, a), [a])
        right = members.get(group_of.get(b, b), [b])
        if left is right or left == right or len(left) + len(right) > MAX_GROUP:
            continue
        across = [(min(x, y), max(x, y)) for x in left for y in right]
        if no.intersection(across):
            continue
        if len(across) > 1 and float(np.min(sim.scores(across)[0])) < LINK_MIN:
            continue
        join(a, b)
    return sorted(sorted(m) for m in members.values() if len(m) > 1)


def related(records: Sequence[Record], found: Neighbours) -> dict[str, list[str]]:
    """Return each record's most similar insights from other organisations."""
    return {
        r.id: [records[j].id for j, s in found.of(i, other=True) if s >= RELATED_MIN]
        for i, r in enumerate(records)
    }


def connected(members: Sequence[int], links: Iterable[tuple[int, int]]) -> bool:
    """Return True when the links between members alone connect all of them."""
    inside = set(members)
    reached = {members[0]}
    frontier = [members[0]]
    adjacent: dict[int, list[int]] = {}
    for a, b in links:
        if a in inside and b in inside:
            adjacent.setdefault(a, []).append(b)
            adjacent.setdefault(b, []).append(a)
    while frontier:
        for other in adjacent.get(frontier.pop(), []):
            if other not in reached:
                reached.add(other)
                frontier.append(other)
    return reached == inside


def describe(sim: Similarity, members: Sequence[int]) -> tuple[int, float]:
    """Return a group's most central member (highest summed similarity) and mean pair score."""
    pairs = [(a, b) for x, a in enumerate(members) for b in members[x + 1 :]]
    scores = sim.scores(pairs)[0] if pairs else np.zeros(0)
    total = {m: 0.0 for m in members}
    for (a, b), s in zip(pairs, scores, strict=True):
        total[a] += float(s)
        total[b] += float(s)
    central = min(members, key=lambda m: (-round(total[m], 9), m))
    return central, round(float(scores.mean()), 3) if len(scores) else 0.0


def settings() -> dict[str, Any]:
    """Return the thresholds, for the record in JSON output."""
    return {
        "text_weight": TEXT_WEIGHT,
        "tag_weight": TAG_WEIGHT,
        "neighbours_k": NEIGHBOURS_K,
        "edge_k": EDGE_K,
        "contrast": CONTRAST,
        "edge_min": EDGE_MIN,
        "text_min": TEXT_MIN,
        "link_min": LINK_MIN,
        "max_group": MAX_GROUP,
        "related_k": RELATED_K,
        "related_min": RELATED_MIN,
    }
