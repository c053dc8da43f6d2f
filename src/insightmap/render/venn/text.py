"""The insight map in words: its numbers as a Markdown table and a short description for screen readers."""

from __future__ import annotations

import functools
from typing import Any

from insightmap import glossary
from insightmap.analyse.regions import REGIONS, region_label
from insightmap.analyse.venn import VennMap
from insightmap.records import Corpus


def table_markdown(vmap: VennMap, corpus: Corpus, language: str | None = None) -> str:
    """Return the map's numbers as a Markdown table (region, count, sub-populations)."""
    from insightmap.sanitize import escape_markdown

    lang = language or corpus.language
    rows = [
        (
            escape_markdown(region_label(key, corpus, lang)),
            vmap.regions[key].count,
            ", ".join(
                f"{escape_markdown(corpus.vocabulary.label('subpopulation', s, lang))} ({n})"
                for s, n in vmap.regions[key].subpopulations.items()
            )
            or "–",
        )
        for key in REGIONS
    ]
    return _template("table.md.j2").render(rows=rows, words=glossary.words(lang), total=vmap.total)


def alt_text(vmap: VennMap, corpus: Corpus, language: str | None = None) -> str:
    """Return a one- or two-sentence description of the map for screen readers."""
    lang = language or corpus.language
    regions = sorted(
        (r for r in vmap.regions.values() if r.count), key=lambda r: (-r.count, REGIONS.index(r.key))
    )
    top = regions[0] if regions else None
    largest = None
    if top is not None:
        largest = {
            # Inside a sentence: "i området invånare i allmänhet", each perspective in lower case.
            "label": " + ".join(
                glossary.in_sentence(p) for p in region_label(top.key, corpus, lang).split(" + ")
            ),
            "count": top.count,
            "subpopulation": (
                glossary.in_sentence(
                    corpus.vocabulary.label("subpopulation", next(iter(top.subpopulations)), lang)
                )
                if top.subpopulations
                else None
            ),
        }
    empty = [region_label(k, corpus, lang) for k in REGIONS if not vmap.regions[k].count]
    selection = (
        ""
        if vmap.selection is None or vmap.selection.is_everything()
        else vmap.selection.describe(corpus, lang)
    )
    text = _template("alt.txt.j2").render(
        lang=lang, total=vmap.total, largest=largest, empty=len(empty), selection=selection
    )
    return " ".join(text.split())


@functools.cache
def _template(name: str) -> Any:
    """Return a map text template, compiled once (a site writes one per map)."""
    from insightmap.templating import environment

    env = environment("map", trim=False)
    return env.get_template(name)
