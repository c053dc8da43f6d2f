"""Cross-municipality clusters: aggregated map patterns, recurring insights, similar organisations.

`compute_clusters(insights, corpus, selection=None)` returns a `ClusterReport`
with four parts (see `ClusterReport.to_dict` for the JSON):

1. **Patterns** (*klustring*): per perspective, how its insights spread over
   the sub-populations, and a summary written from a Jinja2 template
   (`templates/clusters/summary.<language>.j2`). An insight with two
   perspectives or sub-populations counts in each. For a perspective with
   `count` insights, the *share* of a sub-population is the fraction of those
   insights that concern it, and *spread* is the normalised Shannon entropy
   of its sub-population tags, `H / ln K` with K the number of sub-populations
   in the vocabulary (13 built in): 0 = all one sub-population, 1 = evenly
   over all of them. The wording follows from the numbers:

   * `none`: no insights; `few`: fewer than `MIN_PATTERN_COUNT` (3) — too few
     for a pattern;
   * `mainly` ("kommer främst från"): the largest sub-population(s) reach
     `MAINLY_SHARE` (50 %) of the perspective's insights;
   * `spread` ("spridda över många subpopulationer"): otherwise, when spread
     ≥ `SPREAD_ENTROPY` (0.5 — about four or more equally large groups);
   * `mixed` ("fördelade på flera subpopulationer, flest från …"): the rest.

   `dominant` is the sub-population(s) with the highest count (ties all
   listed). The perspective(s) with the fewest and most insights are named.

2. **Recurring insights**: the similarity of two insights is
   `TEXT_WEIGHT` (0.7) × the TF-IDF cosine of their text (title twice, body,
   quotes; Swedish stop words removed, snowball-stemmed) + `TAG_WEIGHT` (0.3)
   × the cosine of their tags (perspective, sub-population, shift, theme,
   area; idf-weighted so that rare tags count more). Each insight's
   `NEIGHBOURS_K` (10) nearest neighbours are found in blocks (never all
   pairs); a neighbour becomes a graph edge when the similarity is at least
   `EDGE_MIN` (0.3), the text cosine alone is at least `EDGE_TEXT_MIN` (0.12),
   so shared tags alone never make two insights "the same", *and* it exceeds
   both insights' usual similarity (the median of their k neighbour scores)
   by `EDGE_CONTRAST` (0.1) — without that, a large corpus chains whole topics
   into communities of hundreds (10,000 synthetic insights: 0 of 400 planted
   groups recovered exactly without it, 396 with it). Louvain
   communities (networkx, seed `SEED`, nodes and edges inserted sorted,
   communities sorted before numbering) of two or more insights that span at
   least two organisations are the recurring clusters. Each is labelled with
   the title of its most central insight (highest weighted degree) and its
   most characteristic words.

3. **Similar organisations** ("who to learn from"): each organisation's tag
   profile (share of its insights carrying each tag, × idf over
   organisations), cosine between profiles; for each organisation its
   `SIMILAR_PER_ORGANISATION` (3) best matches with score ≥ `SIMILAR_MIN`
   (0.6), with the tags that contribute most to the score.

4. **Related insights**: for every insight, up to `RELATED_K` (5) insights
   from *other* organisations with similarity ≥ `RELATED_MIN` (0.15).

The thresholds were tuned on the demo corpus (hand-written paraphrases of one
finding score 0.33–0.48 combined, text cosine 0.18–0.36; the median pair
0.09, the 99th percentile 0.32), on the planted test corpus in
`tests/test_clusters.py` and on `benchmarks/bench_clusters.py`.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from insightmap.records import Corpus, Record
from insightmap.vocabulary import PERSPECTIVES

#: Tag fields that make two insights (or two organisations) similar.
TAG_FIELDS = ("perspective", "subpopulation", "shift", "theme", "area")
TEXT_WEIGHT = 0.7
TAG_WEIGHT = 0.3
NEIGHBOURS_K = 10
EDGE_MIN = 0.3
EDGE_TEXT_MIN = 0.12
EDGE_CONTRAST = 0.1
SEED = 42
RELATED_K = 5
RELATED_MIN = 0.15
SIMILAR_MIN = 0.6
SIMILAR_PER_ORGANISATION = 3
SHARED_TAGS = 5
MAINLY_SHARE = 0.5
SPREAD_ENTROPY = 0.5
MIN_PATTERN_COUNT = 3
LABEL_TERMS = 5


@dataclass(frozen=True)
class Pattern:
    """How one perspective's insights spread over the sub-populations."""

    perspective: str
    count: int
    subpopulations: dict[str, int]  # largest first, ties in vocabulary order
    dominant: tuple[str, ...]
    top_share: float
    spread: float
    wording: str  # none | few | mainly | spread | mixed

    def to_dict(self) -> dict[str, Any]:
        """Return the pattern as JSON-ready data."""
        return {
            "dominant": list(self.dominant),
            "spread": self.spread,
            "count": self.count,
            "top_share": self.top_share,
            "wording": self.wording,
            "subpopulations": dict(self.subpopulations),
        }


@dataclass(frozen=True)
class RecurringCluster:
    """A group of similar insights found in two or more organisations."""

    id: str
    label: str
    terms: tuple[str, ...]
    insights: tuple[str, ...]
    organisations: tuple[str, ...]
    date_from: str
    date_to: str
    central: str
    cohesion: float  # mean similarity over the cluster's edges

    def to_dict(self) -> dict[str, Any]:
        """Return the cluster as JSON-ready data."""
        return {
            "id": self.id,
            "label": self.label,
            "terms": list(self.terms),
            "insights": list(self.insights),
            "organisations": list(self.organisations),
            "date_from": self.date_from,
            "date_to": self.date_to,
            "central": self.central,
            "cohesion": self.cohesion,
        }


@dataclass(frozen=True)
class SimilarOrganisations:
    """Two organisations with similar insight profiles and the tags they share most."""

    a: str
    b: str
    score: float
    shared: tuple[str, ...]  # "field:key", strongest first

    def to_dict(self) -> dict[str, Any]:
        """Return the pair as JSON-ready data."""
        return {"a": self.a, "b": self.b, "score": self.score, "shared": list(self.shared)}


@dataclass
class ClusterReport:
    """Everything `insightmap clusters` shows, for the terminal, Markdown, JSON and the site."""

    summary: list[str]
    patterns: dict[str, Pattern]
    recurring: list[RecurringCluster]
    similar_organisations: list[SimilarOrganisations]
    related: dict[str, list[str]]
    language: str = "sv"
    insight_count: int = 0
    organisations: list[str] = field(default_factory=list)
    regions: dict[str, dict[str, dict[str, int]]] = field(default_factory=dict)
    selection: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Return the report as JSON-ready data (the `--format json` contract)."""
        return {
            "summary": list(self.summary),
            "patterns": {k: p.to_dict() for k, p in self.patterns.items()},
            "recurring": [c.to_dict() for c in self.recurring],
            "similar_organisations": [s.to_dict() for s in self.similar_organisations],
            "related": {k: list(v) for k, v in self.related.items()},
            "language": self.language,
            "insight_count": self.insight_count,
            "organisations": list(self.organisations),
            "regions": self.regions,
            "selection": self.selection,
            "thresholds": thresholds(),
        }


def thresholds() -> dict[str, float | int]:
    """Return the tuned thresholds, for the record in JSON output."""
    return {
        "text_weight": TEXT_WEIGHT,
        "tag_weight": TAG_WEIGHT,
        "neighbours_k": NEIGHBOURS_K,
        "edge_min": EDGE_MIN,
        "edge_text_min": EDGE_TEXT_MIN,
        "edge_contrast": EDGE_CONTRAST,
        "seed": SEED,
        "related_k": RELATED_K,
        "related_min": RELATED_MIN,
        "similar_min": SIMILAR_MIN,
        "mainly_share": MAINLY_SHARE,
        "spread_entropy": SPREAD_ENTROPY,
        "min_pattern_count": MIN_PATTERN_COUNT,
    }


def compute_clusters(
    insights: Sequence[Record],
    corpus: Corpus,
    selection: Any = None,
) -> ClusterReport:
    """Find patterns, recurring insights, similar organisations and related insights."""
    records = [r for r in insights if r.kind == "insight"]
    if selection is not None:
        records = selection.apply(records, corpus)
    records.sort(key=lambda r: r.id)
    language = corpus.language
    patterns = compute_patterns(records, corpus)
    recurring, related = _similarity(records)
    report = ClusterReport(
        summary=[],
        patterns=patterns,
        recurring=recurring,
        similar_organisations=similar_organisations(records),
        related=related,
        language=language,
        insight_count=len(records),
        organisations=sorted({r.organisation for r in records}),
        regions=_regions(records, corpus),
        selection=selection.to_dict() if selection is not None else {},
    )
    report.summary = summarise(report, corpus)
    return report


# --- 1. patterns -------------------------------------------------------------------------------


def compute_patterns(records: Sequence[Record], corpus: Corpus) -> dict[str, Pattern]:
    """Return, per perspective, the sub-population counts, dominant ones, spread and wording."""
    order = corpus.vocabulary.keys("subpopulation")
    rank = {k: i for i, k in enumerate(order)}
    patterns: dict[str, Pattern] = {}
    for perspective in PERSPECTIVES:
        members = [r for r in records if perspective in r.perspective]
        counts = Counter(s for r in members for s in r.subpopulation)
        ranked = sorted(counts.items(), key=lambda kv: (-kv[1], rank.get(kv[0], len(rank)), kv[0]))
        top = ranked[0][1] if ranked else 0
        dominant = tuple(k for k, n in ranked if n == top) if top else ()
        share = top / len(members) if members else 0.0
        spread = _spread(list(counts.values()), max(len(order), len(counts)))
        patterns[perspective] = Pattern(
            perspective=perspective,
            count=len(members),
            subpopulations=dict(ranked),
            dominant=dominant,
            top_share=round(share, 3),
            spread=spread,
            wording=_wording(len(members), share, spread),
        )
    return patterns


def _spread(counts: list[int], categories: int) -> float:
    """Return the normalised Shannon entropy of counts over `categories` possible values."""
    total = sum(counts)
    if total == 0 or categories < 2:
        return 0.0
    entropy = -sum(n / total * math.log(n / total) for n in counts if n)
    return round(entropy / math.log(categories), 3)


def _wording(count: int, share: float, spread: float) -> str:
    """Return how to describe a perspective's pattern (see the module docstring)."""
    if count == 0:
        return "none"
    if count < MIN_PATTERN_COUNT:
        return "few"
    if share >= MAINLY_SHARE:
        return "mainly"
    if spread >= SPREAD_ENTROPY:
        return "spread"
    return "mixed"


def summarise(report: ClusterReport, corpus: Corpus) -> list[str]:
    """Write the summary sentences of a report from the template for the corpus language."""
    from jinja2 import Environment, PackageLoader, StrictUndefined

    language = "en" if corpus.language == "en" else "sv"
    env = Environment(
        loader=PackageLoader("insightmap", "templates/clusters"),
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=StrictUndefined,
        autoescape=False,
    )  # plain text sentences; renderers escape for HTML
    env.filters["words"] = lambda items: _join_words(list(items), language)
    vocab = corpus.vocabulary

    def label(name: str, key: str) -> str:
        text = vocab.label(name, key, language, long=(name == "perspective"))
        return text[:1].lower() + text[1:]

    patterns = [
        dict(
            p.to_dict(),
            label=label("perspective", p.perspective),
            dominant_labels=[label("subpopulation", s) for s in p.dominant],
            top=p.subpopulations[p.dominant[0]] if p.dominant else 0,
            kinds=len(p.subpopulations),
        )
        for p in report.patterns.values()
    ]
    counts = {p.perspective: p.count for p in report.patterns.values()}
    low, high = min(counts.values()), max(counts.values())
    template = env.get_template(f"summary.{language}.j2")
    text = template.render(
        total=report.insight_count,
        patterns=patterns,
        equal=(low == high),
        fewest=[label("perspective", k) for k, n in counts.items() if n == low],
        low=low,
        most=[label("perspective", k) for k, n in counts.items() if n == high],
        high=high,
        recurring=len(report.recurring),
        recurring_insights=sum(len(c.insights) for c in report.recurring),
        organisations=len(report.organisations),
    )
    return [line.strip() for line in text.splitlines() if line.strip()]


def _join_words(items: list[str], language: str) -> str:
    """Join words as prose: `a, b och c` (Swedish) or `a, b and c`."""
    conjunction = " och " if language == "sv" else " and "
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + conjunction + items[-1]


def _regions(records: Sequence[Record], corpus: Corpus) -> dict[str, dict[str, dict[str, int]]]:
    """Return counts per Venn region → sub-population → organisation type (the aggregated map)."""
    counts: Counter[tuple[str, str, str]] = Counter()
    for r in records:
        kind = corpus.organisation(r.organisation).type
        for s in r.subpopulation:
            counts[(r.region, s, kind)] += 1
    regions: dict[str, dict[str, dict[str, int]]] = {}
    for (region, sub, kind), n in sorted(counts.items()):
        regions.setdefault(region, {}).setdefault(sub, {})[kind] = n
    return regions


# --- 2 and 4. recurring and related insights ---------------------------------------------------


def document(record: Record) -> str:
    """Return the text compared between insights: the title twice, the body and the quotes."""
    return "\n".join([record.title, record.title, record.body, *record.quotes])


def tag_features(record: Record) -> list[str]:
    """Return the record's tags as `field:key` strings."""
    return [f"{name}:{key}" for name in TAG_FIELDS for key in record.values(name)]


def _similarity(records: list[Record]) -> tuple[list[RecurringCluster], dict[str, list[str]]]:
    """Return the recurring clusters and the related insights of records sorted by id."""
    from scipy import sparse

    from insightmap.analyse.text import nearest, normalise_rows, row_dots, terms, tfidf

    if not records:
        return [], {}
    text = tfidf([terms(document(r)) for r in records])
    tags = normalise_rows(_tag_matrix(records))
    combined = sparse.hstack([text.matrix * math.sqrt(TEXT_WEIGHT), tags * math.sqrt(TAG_WEIGHT)]).tocsr()
    org_index = {o: i for i, o in enumerate(sorted({r.organisation for r in records}))}
    found = nearest(
        combined,
        NEIGHBOURS_K,
        groups=[org_index[r.organisation] for r in records],
        k_other=RELATED_K,
        min_score=min(EDGE_MIN, RELATED_MIN),
    )
    related = {
        r.id: [records[j].id for j, s in found.of(i, other=True) if s >= RELATED_MIN]
        for i, r in enumerate(records)
    }
    # Each pair may be found from both ends; keep one score per pair.
    pair_scores = {
        (min(i, j), max(i, j)): s for i in range(len(records)) for j, s in found.of(i) if s >= EDGE_MIN
    }
    candidates = sorted((i, j, s) for (i, j), s in pair_scores.items())
    text_scores = row_dots(text.matrix, [(i, j) for i, j, _ in candidates])
    # An edge must stand out from both insights' usual neighbours, or a large corpus
    # chains whole topics together (absent neighbours count as 0).
    usual = np.median(found.score, axis=1) if found.score.size else np.zeros(len(records))
    edges = [
        (i, j, round(s, 6))
        for (i, j, s), t in zip(candidates, text_scores, strict=True)
        if t >= EDGE_TEXT_MIN and s >= max(usual[i], usual[j]) + EDGE_CONTRAST
    ]
    return _recurring(records, edges, text), related


def _tag_matrix(records: list[Record]) -> Any:
    """Return the idf-weighted tag matrix (one row per record, one column per `field:key`)."""
    from scipy import sparse

    features = [tag_features(r) for r in records]
    columns = {f: i for i, f in enumerate(sorted({f for fs in features for f in fs}))}
    rows = [i for i, fs in enumerate(features) for _ in fs]
    cols = [columns[f] for fs in features for f in fs]
    matrix = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(records), len(columns)))
    matrix.sum_duplicates()
    matrix.data[:] = 1.0
    df = np.asarray((matrix > 0).sum(axis=0)).ravel()
    idf = np.log((1.0 + len(records)) / (1.0 + df)) + 1.0
    return matrix.multiply(idf[np.newaxis, :]).tocsr()


def _recurring(
    records: list[Record], edges: list[tuple[int, int, float]], text: Any
) -> list[RecurringCluster]:
    """Find Louvain communities in the similarity graph and keep those across organisations."""
    import networkx as nx

    from insightmap.analyse.text import surface_forms

    graph = nx.Graph()
    graph.add_nodes_from(range(len(records)))
    graph.add_weighted_edges_from(edges)  # already sorted: the seed reproduces only in one order
    communities = nx.community.louvain_communities(graph, weight="weight", seed=SEED)
    groups = sorted(sorted(c) for c in communities if len(c) > 1)
    clusters = []
    for members in groups:
        organisations = sorted({records[i].organisation for i in members})
        if len(organisations) < 2:
            continue
        sub = graph.subgraph(members)
        degree = {i: sum(d["weight"] for d in sub[i].values()) for i in members}
        central = min(members, key=lambda i: (-degree[i], records[i].id))
        weights = [d["weight"] for _, _, d in sub.edges(data=True)]
        forms = surface_forms(document(records[i]) for i in members)
        words = [forms.get(t, t) for t in text.top_terms(members, LABEL_TERMS)]
        dates = sorted(records[i].date for i in members)
        clusters.append(
            RecurringCluster(
                id="",
                label=records[central].title,
                terms=tuple(words),
                insights=tuple(records[i].id for i in members),
                organisations=tuple(organisations),
                date_from=dates[0],
                date_to=dates[-1],
                central=records[central].id,
                cohesion=round(sum(weights) / len(weights), 3) if weights else 0.0,
            )
        )
    clusters.sort(key=lambda c: (-len(c.organisations), -len(c.insights), c.insights))
    return [replace(c, id=f"cluster-{n}") for n, c in enumerate(clusters, start=1)]


# --- 3. similar organisations ------------------------------------------------------------------


def similar_organisations(records: Sequence[Record]) -> list[SimilarOrganisations]:
    """Return pairs of organisations whose tag profiles are most alike, best first."""
    by_org: dict[str, list[Record]] = {}
    for r in records:
        by_org.setdefault(r.organisation, []).append(r)
    orgs = sorted(by_org)
    features = sorted({f for r in records for f in tag_features(r)})
    if len(orgs) < 2 or not features:
        return []
    column = {f: i for i, f in enumerate(features)}
    profile = np.zeros((len(orgs), len(features)))
    for o, key in enumerate(orgs):
        for r in by_org[key]:
            for f in set(tag_features(r)):
                profile[o, column[f]] += 1.0 / len(by_org[key])
    df = (profile > 0).sum(axis=0)
    profile *= np.log((1.0 + len(orgs)) / (1.0 + df)) + 1.0
    norms = np.linalg.norm(profile, axis=1)
    norms[norms == 0] = 1.0
    profile /= norms[:, np.newaxis]
    scores = profile @ profile.T
    np.fill_diagonal(scores, -1.0)
    pairs: set[tuple[int, int]] = set()
    for o in range(len(orgs)):
        best = sorted(range(len(orgs)), key=lambda p: (-scores[o, p], p))[:SIMILAR_PER_ORGANISATION]
        pairs.update((min(o, p), max(o, p)) for p in best if scores[o, p] >= SIMILAR_MIN)
    result = []
    for a, b in pairs:
        contribution = profile[a] * profile[b]
        shared = sorted((-c, features[i]) for i, c in enumerate(contribution) if c > 0)
        result.append(
            SimilarOrganisations(
                orgs[a], orgs[b], round(float(scores[a, b]), 3), tuple(f for _, f in shared[:SHARED_TAGS])
            )
        )
    result.sort(key=lambda s: (-s.score, s.a, s.b))
    return result
