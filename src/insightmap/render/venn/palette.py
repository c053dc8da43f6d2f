"""The insight map's colours: one fixed, colour-blind-safe colour per organisation type or organisation.

Markers are coloured in the Okabe–Ito palette, one fixed colour per organisation
type in the vocabulary's order. Colouring by organisation uses Okabe–Ito and then
the four of Paul Tol's muted colours least like them (also colour-blind safe),
organisations in key order. More colours than that cannot be told apart on a
marker, so with more organisations than colours the ones with fewest insights
share one grey as "Övriga", and the legend names them: no two legend entries
ever look the same.
"""

from __future__ import annotations

from insightmap.analyse.venn import VennMap
from insightmap.records import Corpus

#: Okabe & Ito (2008), ordered so the common types (municipality, city district, civil society,
#: region) get colours far apart; indexed by the organisation-type vocabulary's order.
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#F0E442", "#56B4E9", "#000000")
#: Paul Tol's muted palette, used after Okabe–Ito when colouring by organisation.
TOL_MUTED = (
    "#332288",
    "#882255",
    "#999933",
    "#DDCC77",
    "#CC6677",
    "#AA4499",
    "#117733",
    "#44AA99",
    "#88CCEE",
)  # the ones least like an Okabe–Ito colour first
OTHER_COLOUR = "#BBBBBB"
#: The colours an organisation can get: more would be too alike to tell apart in a small wedge.
ORGANISATION_COLOURS = (*OKABE_ITO, *TOL_MUTED[:4])


def palette(vmap: VennMap, corpus: Corpus) -> dict[str, str]:
    """Return the colour of each colour key on the map (organisation types keep fixed colours).

    Organisations beyond the distinct colours (`others`) all get OTHER_COLOUR.
    """
    if vmap.colour_by == "organisation-type":
        types = corpus.vocabulary.keys("organisation-type")
        colours = {t: OKABE_ITO[i] if i < len(OKABE_ITO) else OTHER_COLOUR for i, t in enumerate(types)}
        return {k: colours.get(k, OTHER_COLOUR) for k in vmap.colour_keys()}
    grouped = set(others(vmap))
    pool = iter(ORGANISATION_COLOURS)
    return {k: OTHER_COLOUR if k in grouped else next(pool) for k in vmap.colour_keys()}


def others(vmap: VennMap) -> list[str]:
    """Return the organisations grouped as "Övriga" (fewest insights first out), in key order."""
    keys = vmap.colour_keys()
    if vmap.colour_by != "organisation" or len(keys) <= len(ORGANISATION_COLOURS):
        return []
    weight = {k: 0 for k in keys}
    for region in vmap.regions.values():
        for counts in region.colours.values():
            for k, n in counts.items():
                weight[k] += n
    # One colour is grey, for the group: the rest go to the organisations with most insights.
    kept = sorted(keys, key=lambda k: (-weight[k], keys.index(k)))[: len(ORGANISATION_COLOURS) - 1]
    return [k for k in keys if k not in kept]


def colour_label(vmap: VennMap, corpus: Corpus, key: str, language: str) -> str:
    """Return the legend label of a colour key."""
    if vmap.colour_by == "organisation-type":
        return corpus.vocabulary.label("organisation-type", key, language)
    return corpus.organisation(key).name
