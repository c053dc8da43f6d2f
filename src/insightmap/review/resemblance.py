"""'This resembles … from Umeå (2024-12)': suggestions of the same learning, for the author and the reviewer.

The moment an insight is added is when someone knows whether it is the same learning as
another organisation's: `insightmap diff` lists, for each added insight, its closest insights
in other organisations (the clustering's related list), and `check --suggest` names, for each
insight without same-as/not-same-as links, an insight the clustering groups it with. Pairs
already confirmed (`same-as`) or declined (`not-same-as`) are never suggested again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from insightmap.records import Corpus, Record

if TYPE_CHECKING:
    from insightmap.analyse.clusters import ClusterReport

#: How many suggestions `diff` shows per added insight.
PER_INSIGHT = 3


@dataclass(frozen=True)
class Resemblance:
    """An insight and another organisation's insight that may teach the same learning."""

    insight: str
    path: str
    other: str
    title: str  # the other insight's
    organisation: str  # the other insight's
    date: str  # the other insight's

    def to_dict(self) -> dict[str, Any]:
        """Return the suggestion as JSON-ready data."""
        return {
            "insight": self.insight,
            "resembles": self.other,
            "title": self.title,
            "organisation": self.organisation,
            "date": self.date,
        }


def resemblances(
    corpus: Corpus, ids: Iterable[str], report: ClusterReport | None = None, limit: int = PER_INSIGHT
) -> list[Resemblance]:
    """Return, for each insight of ids, its closest unlinked insights in other organisations."""
    wanted = [i for i in ids if i in {r.id for r in corpus.insights}]
    if not wanted:
        return []
    report = report or _clusters(corpus)
    linked = _linked(corpus)
    by_id = {r.id: r for r in corpus.insights}
    found = []
    for insight in wanted:
        others = [o for o in report.related.get(insight, []) if _pair(insight, o) not in linked]
        found += [_resemblance(by_id[insight], by_id[o]) for o in others[:limit] if o in by_id]
    return found


def strong_resemblances(corpus: Corpus, report: ClusterReport | None = None) -> list[Resemblance]:
    """Return, per insight with no same-as/not-same-as link, the insight a suggested cluster joins it to."""
    report = report or _clusters(corpus)
    linked = _linked(corpus)
    touched = {i for pair in linked for i in pair}
    by_id = {r.id: r for r in corpus.insights}
    found = []
    for cluster in report.recurring:
        if cluster.confirmed:
            continue
        for insight in cluster.insights:
            record = by_id[insight]
            if insight in touched or record.origin is not None:  # a source's record is edited at home
                continue
            members = [o for o in cluster.insights if by_id[o].organisation != record.organisation]
            # The closest first: the related list's order, then the cluster's.
            ranked = sorted(members, key=lambda o: _rank(report.related.get(insight, []), o))
            if ranked:
                found.append(_resemblance(record, by_id[ranked[0]]))
    return sorted(found, key=lambda r: r.path)


def suggestion_lines(found: Iterable[Resemblance], organisation_name: Any) -> list[str]:
    """Return one line per suggestion, for the terminal (English, as every CLI message)."""
    return [
        f"{r.path}: resembles {r.title} ({organisation_name(r.organisation)}, {r.date}) — "
        f"add `same-as: [{r.other}]` if it is the same learning"
        for r in found
    ]


def _clusters(corpus: Corpus) -> ClusterReport:
    from insightmap.analyse.clusters import compute_clusters

    return compute_clusters(corpus.insights, corpus)


def _linked(corpus: Corpus) -> set[tuple[str, str]]:
    return {*corpus.confirmed_pairs(), *corpus.declined_pairs()}


def _pair(a: str, b: str) -> tuple[str, str]:
    return (min(a, b), max(a, b))


def _rank(related: list[str], other: str) -> tuple[int, str]:
    return (related.index(other) if other in related else len(related), other)


def _resemblance(record: Record, other: Record) -> Resemblance:
    return Resemblance(record.id, record.path, other.id, other.title, other.organisation, other.date)
