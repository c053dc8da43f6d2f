"""Every analysis of a corpus, run once: what the site, the board report and reviews show.

The site's page generator, `serve` and the MkDocs plugin turn this object into pages;
none of them runs an analysis or reads a file themselves.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from insightmap.analyse.actions import ActionReport, compute_actions
from insightmap.analyse.clusters import ClusterReport, compute_clusters
from insightmap.analyse.gaps import GapReport, compute_gaps
from insightmap.analyse.venn import VennMap, compute_map
from insightmap.records import Corpus, Record
from insightmap.select import Selection

if TYPE_CHECKING:
    from insightmap.load.maps import MapDefinition


@dataclass(frozen=True)
class OrganisationResults:
    """One organisation's records, its map and its white spots (None without insights)."""

    key: str
    insights: list[Record]
    studies: list[Record]
    map: VennMap | None
    gaps: GapReport | None


@dataclass(frozen=True)
class DefinitionResults:
    """The map of one map definition (`maps/*.yml`)."""

    definition: MapDefinition
    map: VennMap


@dataclass(frozen=True)
class Results:
    """The analyses of a corpus: the overall map, white spots, clusters, and per organisation and map."""

    map: VennMap
    aggregated: VennMap
    gaps: GapReport
    clusters: ClusterReport
    organisations: list[OrganisationResults]
    definitions: list[DefinitionResults]
    actions: ActionReport
    action_maps: dict[str, VennMap]  # action id → the map of the insights it builds on
    timings: dict[str, float] = field(default_factory=dict)


def analyse_corpus(
    corpus: Corpus,
    definitions: list[MapDefinition],
    today: datetime.date | None = None,
) -> Results:
    """Run every analysis once: overall and aggregated maps, white spots, clusters, organisations, maps."""
    import time

    timings: dict[str, float] = {}

    def timed(name: str, start: float) -> None:
        timings[name] = timings.get(name, 0.0) + time.perf_counter() - start

    insights = corpus.insights
    start = time.perf_counter()
    clusters = compute_clusters(insights, corpus)
    timed("clusters", start)
    start = time.perf_counter()
    gaps = compute_gaps(insights, corpus, today=today)
    organisations = [_organisation(corpus, org.key, today) for org in corpus.organisations()]
    timed("gaps", start)
    start = time.perf_counter()
    overall = compute_map(insights, corpus)
    aggregated = compute_map(insights, corpus, colour_by="organisation")
    maps = [
        DefinitionResults(d, compute_map(insights, corpus, colour_by=d.colour_by, selection=d.selection))
        for d in definitions
    ]
    timed("maps", start)
    start = time.perf_counter()
    actions = compute_actions(corpus, today=today)
    by_id = {r.id: r for r in insights}
    action_maps = {
        chain.action.id: compute_map([by_id[link.id] for link in chain.builds_on], corpus)
        for chain in actions.actions
    }
    timed("actions", start)
    return Results(overall, aggregated, gaps, clusters, organisations, maps, actions, action_maps, timings)


def _organisation(corpus: Corpus, key: str, today: datetime.date | None) -> OrganisationResults:
    insights = [r for r in corpus.insights if r.organisation == key]
    studies = [r for r in corpus.studies if r.organisation == key]
    if not insights:
        return OrganisationResults(key, insights, studies, None, None)
    vmap = compute_map(insights, corpus)
    gaps = compute_gaps(None, corpus, today=today, selection=Selection(organisations=(key,)))
    return OrganisationResults(key, insights, studies, vmap, gaps)
