"""The 7 regions of the three-perspective Venn diagram: their keys, their order and their names.

A region is the set of perspectives an insight touches, written as the perspective
keys in the vocabulary's fixed order joined by `+` (`active-client+risk-group`),
the key `Record.region` gives. The map, the white-spot matrix, the site and the
report all list regions in the order of REGIONS.
"""

from __future__ import annotations

from itertools import combinations
from typing import TYPE_CHECKING

from insightmap.load.vocabulary import PERSPECTIVES

if TYPE_CHECKING:
    from insightmap.records import Corpus

#: The region keys in drawing and reporting order: the single circles, the pairs, all three.
REGIONS: tuple[str, ...] = tuple(
    "+".join(combo) for size in (1, 2, 3) for combo in combinations(PERSPECTIVES, size)
)


def region_perspectives(key: str) -> tuple[str, ...]:
    """Return the perspectives whose circles make up a region."""
    return tuple(key.split("+"))


def region_label(key: str, corpus: Corpus, language: str | None = None) -> str:
    """Return a region's name in words, e.g. `Riskgrupp + Invånare i allmänhet`."""
    lang = language or corpus.language
    return " + ".join(corpus.vocabulary.label("perspective", p, lang) for p in region_perspectives(key))


__all__ = ["REGIONS", "region_label", "region_perspectives"]
