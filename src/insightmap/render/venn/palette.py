"""The insight map's colours: one fixed, colour-blind-safe colour per organisation type or organisation.

Markers are coloured in the Okabe–Ito palette, one fixed colour per organisation
type in the vocabulary's order. Colouring by organisation uses Okabe–Ito and then
Paul Tol's muted palette (also colour-blind safe), organisations in key order.
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


def palette(vmap: VennMap, corpus: Corpus) -> dict[str, str]:
    """Return the colour of each colour key on the map (organisation types keep fixed colours)."""
    if vmap.colour_by == "organisation-type":
        types = corpus.vocabulary.keys("organisation-type")
        colours = {t: OKABE_ITO[i] if i < len(OKABE_ITO) else OTHER_COLOUR for i, t in enumerate(types)}
        return {k: colours.get(k, OTHER_COLOUR) for k in vmap.colour_keys()}
    pool = (*OKABE_ITO, *TOL_MUTED)
    return {k: pool[i] if i < len(pool) else OTHER_COLOUR for i, k in enumerate(vmap.colour_keys())}


def colour_label(vmap: VennMap, corpus: Corpus, key: str, language: str) -> str:
    """Return the legend label of a colour key."""
    if vmap.colour_by == "organisation-type":
        return corpus.vocabulary.label("organisation-type", key, language)
    return corpus.organisation(key).name
