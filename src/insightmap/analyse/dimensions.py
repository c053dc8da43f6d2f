"""The dimensions a white-spot matrix can have: the values along each axis and the values of a record.

A dimension is a vocabulary field (perspective, sub-population, …), the Venn
region, the organisation or the organisation type. `dimension_values` gives an
axis (the whole vocabulary, narrowed by a filter on the dimension itself);
`record_values` and `study_targets` say where an insight or a planned study falls.
"""

from __future__ import annotations

from insightmap.analyse.regions import REGIONS, region_perspectives
from insightmap.records import Corpus, Record
from insightmap.select import Selection

#: The dimensions a matrix can have, in the order the CLI lists them.
DIMENSIONS = (
    "perspective",
    "region",
    "subpopulation",
    "shift",
    "theme",
    "area",
    "method",
    "organisation",
    "organisation-type",
)


def check_dimension(dimension: str) -> None:
    """Raise ValueError when dimension is not one of DIMENSIONS."""
    if dimension not in DIMENSIONS:
        raise ValueError(f"unknown dimension {dimension!r}; choose one of {', '.join(DIMENSIONS)}")


def dimension_values(dimension: str, corpus: Corpus, selection: Selection | None = None) -> list[str]:
    """Return the values a dimension's axis shows: the whole vocabulary (or what the selection keeps)."""
    selection = selection or Selection()
    if dimension == "region":
        return list(REGIONS)
    if dimension == "organisation":
        return organisations_in_scope(corpus, selection)
    if dimension == "organisation-type":
        keys = corpus.vocabulary.keys("organisation-type")
        types = selection.organisation_types
        return [k for k in keys if k in types] if types else keys
    check_dimension(dimension)
    keys = corpus.vocabulary.keys(dimension)
    # A filter on the dimension itself narrows the axis to what was asked for.
    wanted = selection.values.get(dimension) or ()
    return [k for k in keys if k in wanted] if wanted else keys


def record_values(record: Record, dimension: str, corpus: Corpus) -> tuple[str, ...]:
    """Return the values a record has on a dimension (empty when it does not declare any)."""
    if dimension == "region":
        return (record.region,) if record.region else ()
    if dimension == "organisation":
        return (record.organisation,)
    if dimension == "organisation-type":
        return (corpus.organisation(record.organisation).type,)
    return record.values(dimension)


def study_targets(study: Record, dimension: str, corpus: Corpus) -> set[str]:
    """Return the values of a dimension a study targets; none when it does not declare the dimension.

    For regions, a study targeting several perspectives may yield insights in any
    region made only of those perspectives, so it fills every such region.
    """
    if dimension == "region":
        targeted = set(study.perspective)
        return {r for r in REGIONS if targeted and set(region_perspectives(r)) <= targeted}
    return set(record_values(study, dimension, corpus))


def organisations_in_scope(corpus: Corpus, selection: Selection) -> list[str]:
    """Return the organisations a matrix speaks of: those with records, within the selection's
    organisation filters (a vocabulary filter does not drop an organisation: its gap is the point)."""
    scope = Selection(
        organisations=selection.organisations,
        organisation_types=selection.organisation_types,
        counties=selection.counties,
    )
    return sorted({r.organisation for r in [*corpus.insights, *corpus.studies] if scope.matches(r, corpus)})
