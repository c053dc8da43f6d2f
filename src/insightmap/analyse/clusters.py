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
   * `mainly` ("rör främst"): the largest sub-population(s) reach
     `MAINLY_SHARE` (50 %) of the perspective's insights;
   * `spread` ("spridda över många subpopulationer"): otherwise, when spread
     ≥ `SPREAD_ENTROPY` (0.5 — about four or more equally large groups);
   * `mixed` ("fördelade på flera subpopulationer; flest rör …"): the rest.

   `dominant` is the sub-population(s) with the highest count (ties all
   listed). The perspective(s) with the fewest and most insights are named.

2. **Recurring insights**: the same learning written up by two or more
   organisations, found text-first (Swedish lemmas with compound parts; tags
   only support), from mutual nearest neighbours and grouped by complete
   linkage so that a topic never chains into one cluster. See
   `insightmap.analyse.recurring` for the similarity, the thresholds and why.
   Each cluster is labelled with the title of its most central insight and
   its most characteristic words; `cohesion` is the mean similarity of its pairs.
   Reviewers' `same-as` links (confirmed pairs) always join and `not-same-as`
   links (declined pairs) never do. A cluster is `confirmed` ("Bekräftad av
   granskare") when its confirmed links alone connect all its insights — every
   member was said by a person to be the same learning as another member, directly
   or through others; any other cluster is a suggestion ("Förslag från insightmap"),
   even when some of its pairs are confirmed, because someone still has to look at
   the rest.

3. **Similar organisations** ("who to learn from"): each organisation's tag
   profile (share of its insights carrying each tag, × idf over
   organisations), cosine between profiles; for each organisation its
   `SIMILAR_PER_ORGANISATION` (3) best matches with score ≥ `SIMILAR_MIN`
   (0.6), with the tags that contribute most to the score.

4. **Related insights**: for every insight, up to `RELATED_K` (5) insights
   from *other* organisations with similarity ≥ `RELATED_MIN` (0.15).

The pattern and organisation thresholds were tuned on the demo corpus; the
recurring-insight ones on the labelled development set in
`benchmarks/clusters_devset/` (`benchmarks/score_clusters.py` prints the figures).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from insightmap import glossary
from insightmap.analyse.recurring import TAG_FIELDS, settings, tag_features
from insightmap.analyse.similar import SIMILAR_MIN, SimilarOrganisations, similar_organisations
from insightmap.load.vocabulary import PERSPECTIVES
from insightmap.records import Corpus, Record

__all__ = ["TAG_FIELDS", "ClusterReport", "compute_clusters", "similar_organisations", "tag_features"]
Pair = tuple[str, str]

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
    confirmed: bool = False  # reviewers' same-as links connect all its insights

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
            "confirmed": self.confirmed,
        }


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
        **settings(),
        "similar_min": SIMILAR_MIN,
        "mainly_share": MAINLY_SHARE,
        "spread_entropy": SPREAD_ENTROPY,
        "min_pattern_count": MIN_PATTERN_COUNT,
    }


def compute_clusters(
    insights: Sequence[Record],
    corpus: Corpus,
    selection: Any = None,
    confirmed: Iterable[Pair] | None = None,
    declined: Iterable[Pair] | None = None,
) -> ClusterReport:
    """Find patterns, recurring insights, similar organisations and related insights.

    `confirmed` and `declined` are pairs of insight ids that reviewers said are (or are
    not) the same learning: confirmed pairs always share a cluster, declined never do.
    By default they are the corpus's `same-as` and `not-same-as` links, so every caller
    honours what people decided.
    """
    confirmed = corpus.confirmed_pairs() if confirmed is None else list(confirmed)
    declined = corpus.declined_pairs() if declined is None else list(declined)
    records = [r for r in insights if r.kind == "insight"]
    if selection is not None:
        records = selection.apply(records, corpus)
    records.sort(key=lambda r: r.id)
    language = corpus.language
    patterns = compute_patterns(records, corpus)
    recurring, related = _similarity(records, confirmed, declined)
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
    from insightmap.templating import environment

    language = "en" if corpus.language == "en" else "sv"
    env = environment("clusters", trailing_newline=False)  # plain text; renderers escape for HTML
    env.filters["words"] = lambda items: glossary.join(list(items), language)
    vocab = corpus.vocabulary

    def label(name: str, key: str) -> str:
        # Inside a sentence: lower case, the perspective by its long label ("invånare i allmänhet").
        return glossary.in_sentence(vocab.label(name, key, language, long=(name == "perspective")))

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


def _similarity(
    records: list[Record], confirmed: Iterable[Pair] = (), declined: Iterable[Pair] = ()
) -> tuple[list[RecurringCluster], dict[str, list[str]]]:
    """Return the recurring clusters and the related insights of records sorted by id."""
    from insightmap.analyse import recurring as rec

    if not records:
        return [], {}
    sim = rec.similarity(records)
    org_index = {o: i for i, o in enumerate(sorted({r.organisation for r in records}))}
    found = rec.neighbours(sim, [org_index[r.organisation] for r in records])
    index = {r.id: i for i, r in enumerate(records)}

    def pairs(links: Iterable[Pair]) -> list[tuple[int, int]]:
        return [(index[a], index[b]) for a, b in links if a in index and b in index]

    groups = rec.groups(sim, rec.candidate_edges(sim, found), pairs(confirmed), pairs(declined))
    return _recurring(records, groups, sim, pairs(confirmed)), rec.related(records, found)


def _recurring(
    records: list[Record], groups: list[list[int]], sim: Any, confirmed: list[tuple[int, int]]
) -> list[RecurringCluster]:
    """Describe the groups that span two or more organisations, largest first."""
    from insightmap.analyse.recurring import connected, describe, document
    from insightmap.analyse.swedish import lemma
    from insightmap.analyse.text import surface_forms

    clusters = []
    for members in groups:
        organisations = sorted({records[i].organisation for i in members})
        if len(organisations) < 2:
            continue
        central, cohesion = describe(sim, members)
        forms = surface_forms((document(records[i]) for i in members), base=lemma)
        words = [forms.get(t, t) for t in sim.text.top_terms(members, LABEL_TERMS)]
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
                cohesion=cohesion,
                confirmed=connected(members, confirmed),
            )
        )
    clusters.sort(key=lambda c: (-len(c.organisations), -len(c.insights), c.insights))
    return [replace(c, id=f"cluster-{n}") for n, c in enumerate(clusters, start=1)]
