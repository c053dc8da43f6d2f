"""The insight map: insights counted in the 7 regions of the three-perspective Venn diagram.

An insight belongs to exactly one region, the set of its perspectives. Inside a
region we count sub-populations (an insight with two sub-populations counts for
both, so those counts may sum to more than the region's count), organisation
types and organisations (one each per insight, so those sum to the count).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from insightmap.analyse.regions import REGIONS, region_label, region_perspectives
from insightmap.load.vocabulary import PERSPECTIVES
from insightmap.records import Corpus, Record
from insightmap.select import Selection

COLOUR_BY = ("organisation-type", "organisation")


@dataclass(frozen=True)
class Region:
    """The insights in one Venn region and their breakdowns."""

    key: str
    count: int = 0
    subpopulations: dict[str, int] = field(default_factory=dict)
    organisation_types: dict[str, int] = field(default_factory=dict)
    organisations: dict[str, int] = field(default_factory=dict)
    insights: tuple[str, ...] = ()
    #: sub-population → {colour key (organisation type or organisation) → insights}
    colours: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def perspectives(self) -> tuple[str, ...]:
        """Return the perspectives whose circles make up the region."""
        return region_perspectives(self.key)

    def to_dict(self) -> dict[str, Any]:
        """Return the region as JSON-ready data."""
        return {
            "count": self.count,
            "subpopulations": dict(self.subpopulations),
            "organisation_types": dict(self.organisation_types),
            "organisations": dict(self.organisations),
            "insights": list(self.insights),
            "slug": region_slug(self.key),
        }


@dataclass(frozen=True)
class VennMap:
    """An insight map: the selection it shows and its 7 regions (all present, in REGIONS order)."""

    regions: dict[str, Region]
    selection: Selection | None = None
    colour_by: str = "organisation-type"

    @property
    def total(self) -> int:
        """Return the number of insights on the map."""
        return sum(r.count for r in self.regions.values())

    def colour_keys(self) -> list[str]:
        """Return the colour keys (organisation types or organisations) present on the map."""
        found = {k for r in self.regions.values() for c in r.colours.values() for k in c}
        return [k for k in self._colour_order() if k in found]

    def _colour_order(self) -> list[str]:
        attr = "organisation_types" if self.colour_by == "organisation-type" else "organisations"
        keys = {k for r in self.regions.values() for k in getattr(r, attr)}
        if self.colour_by == "organisation-type":
            from insightmap.load.organisations import ORGANISATION_TYPES

            return [t for t in ORGANISATION_TYPES if t in keys] + sorted(keys - set(ORGANISATION_TYPES))
        return sorted(keys)

    def to_dict(self) -> dict[str, Any]:
        """Return the map as JSON: `{"selection", "total", "colour_by", "regions": {key: …}}`."""
        return {
            "selection": self.selection.to_dict() if self.selection is not None else {},
            "total": self.total,
            "colour_by": self.colour_by,
            "regions": {key: self.regions[key].to_dict() for key in REGIONS},
        }


def compute_map(
    insights: list[Record],
    corpus: Corpus,
    colour_by: str = "organisation-type",
    selection: Selection | None = None,
) -> VennMap:
    """Count the insights (filtered by selection, if given) in each of the 7 Venn regions."""
    if colour_by not in COLOUR_BY:
        raise ValueError(f"colour_by must be one of {', '.join(COLOUR_BY)}, not {colour_by!r}")
    records = selection.apply(insights, corpus) if selection is not None else list(insights)
    grouped: dict[str, list[Record]] = {key: [] for key in REGIONS}
    for record in sorted(records, key=lambda r: r.id):
        if record.kind == "insight" and record.region in grouped:
            grouped[record.region].append(record)
    subpopulation_order = {k: i for i, k in enumerate(corpus.vocabulary.keys("subpopulation"))}
    regions = {
        key: _region(key, members, corpus, colour_by, subpopulation_order) for key, members in grouped.items()
    }
    return VennMap(regions=regions, selection=selection, colour_by=colour_by)


def _region(key: str, members: list[Record], corpus: Corpus, colour_by: str, order: dict[str, int]) -> Region:
    subpopulations: Counter[str] = Counter()
    types: Counter[str] = Counter()
    organisations: Counter[str] = Counter()
    colours: dict[str, Counter[str]] = {}
    for record in members:
        org_type = corpus.organisation(record.organisation).type
        types[org_type] += 1
        organisations[record.organisation] += 1
        colour = org_type if colour_by == "organisation-type" else record.organisation
        for sub in dict.fromkeys(record.subpopulation):
            subpopulations[sub] += 1
            colours.setdefault(sub, Counter())[colour] += 1
    # Largest first; ties in vocabulary order so the output is stable and reads naturally.
    ranked = sorted(subpopulations, key=lambda s: (-subpopulations[s], order.get(s, len(order)), s))
    return Region(
        key=key,
        count=len(members),
        subpopulations={s: subpopulations[s] for s in ranked},
        organisation_types=_sorted_counts(types),
        organisations=_sorted_counts(organisations),
        insights=tuple(r.id for r in members),
        colours={s: _sorted_counts(colours[s]) for s in ranked},
    )


def _sorted_counts(counter: Counter[str]) -> dict[str, int]:
    return {k: counter[k] for k in sorted(counter, key=lambda k: (-counter[k], k))}


def region_slug(key: str) -> str:
    """Return the URL slug of a region key: `+` becomes `--` (`active-client--risk-group`)."""
    return key.replace("+", "--")


def region_from_slug(slug: str) -> str:
    """Return the region key of a slug made by region_slug."""
    return slug.replace("--", "+")


__all__ = [
    "PERSPECTIVES",
    "REGIONS",
    "Region",
    "VennMap",
    "compute_map",
    "region_slug",
    "region_from_slug",
    "region_label",
]
