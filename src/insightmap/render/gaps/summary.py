"""The white-spot report in sentences: what is missing, what is being filled, where residents are asked twice.

`summary_facts` gathers the numbers and names; the templates
`templates/gaps/summary.{sv,en}.j2` turn them into sentences, so the wording
lives in one place per language.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from insightmap import glossary
from insightmap.analyse.gaps import Cell, GapReport
from insightmap.render.gaps.labels import (
    cells_in_words,
    dimension_name,
    language,
    sentence_label,
    study_name,
)

if TYPE_CHECKING:
    from insightmap.records import Corpus

#: At least this many insights before the summary compares the perspectives at all.
MIN_INSIGHTS_FOR_PERSPECTIVES = 3
#: How many cells a sentence names before it says "and N more".
MAX_NAMED = 6


def perspective_pattern(report: GapReport) -> str | None:
    """Classify how the insights spread over the three perspectives, for the summary.

    Returns `"pilots"` when the numbers support the pilots' sentence — strictly
    more insights touch current clients than the general public, and strictly
    more the general public than the risk group (an insight counts once in each
    perspective it touches) — and at least `MIN_INSIGHTS_FOR_PERSPECTIVES`
    insights are selected; `"order"` for any other spread with a single largest
    and a single smallest perspective (the summary then states that order);
    None when there are too few insights or ties at the top or bottom.
    """
    counts = report.perspective_counts
    if report.total < MIN_INSIGHTS_FOR_PERSPECTIVES or len(counts) < 3:
        return None
    ac, rg, gp = counts["active-client"], counts["risk-group"], counts["general-public"]
    if ac > gp > rg:
        return "pilots"
    ordered = sorted(counts.values())
    if ordered[0] < ordered[1] and ordered[1] < ordered[2]:
        return "order"
    return None


def summary_facts(report: GapReport, corpus: Corpus) -> dict[str, Any]:
    """Return the numbers and names the summary template speaks from."""
    lang = language(corpus)
    empty = report.with_status("empty")
    empty_rows = [r for r in report.rows if all(report.cell(r, c).count == 0 for c in report.cols)]
    empty_cols = [c for c in report.cols if all(report.cell(r, c).count == 0 for r in report.rows)]
    if len(empty_rows) == len(report.rows):  # nothing at all: say so once, not per row and column
        empty_rows, empty_cols = [], []
    # With no insights at all, the first sentence says it all.
    rest = [c for c in empty if report.total and c.row not in empty_rows and c.col not in empty_cols]
    # The remaining white spots, one sentence per row, the row with most white spots first.
    groups: list[dict[str, Any]] = []
    for row in report.rows:
        cols = [c.col for c in rest if c.row == row]
        if cols:
            groups.append(
                {
                    "label": sentence_label(report.row_dimension, row, corpus),
                    "long": _long_label(report.row_dimension, row, corpus),
                    "n": len(cols),
                    "of": len(report.cols),
                    "values": [sentence_label(report.col_dimension, c, corpus) for c in cols],
                }
            )
    groups.sort(key=lambda g: -g["n"])

    def studies(cell: Cell) -> list[str]:
        return [study_name(report, s, corpus) for s in cell.filled_by]

    def cell(c: Cell) -> str:
        return cells_in_words(report, [c], corpus, in_sentence=True)

    filled_empty = [{"cell": cell(c), "studies": studies(c)} for c in empty if c.filled_by]
    filled_thin = [
        {"cell": cell(c), "studies": studies(c)} for c in report.with_status("thin") if c.filled_by
    ]
    # One warning per set of studies, naming every cell they share.
    fatigue_cells: dict[tuple[str, ...], list[Any]] = {}
    for f in report.fatigue:
        fatigue_cells.setdefault(f.studies, []).append(f)
    fatigue = [
        {
            "cells": cells_in_words(report, cells, corpus, in_sentence=True),
            "n": len(ids),
            "studies": [study_name(report, s, corpus) for s in ids],
            "organisations": len({report.studies[s].organisation for s in ids}),
        }
        for ids, cells in fatigue_cells.items()
    ]
    stale = [cell(c) for c in report.cells if c.stale]
    counts = report.perspective_counts
    by_count = sorted(counts, key=lambda p: counts[p])
    coverage = sorted(report.organisations.values(), key=lambda c: (-c.share, c.organisation))
    return {
        "row_dimension": report.row_dimension,
        "col_dimension": report.col_dimension,
        "rows": dimension_name(report.row_dimension, corpus).lower(),
        "cols": dimension_name(report.col_dimension, corpus).lower(),
        "cells": len(report.cells),
        "total": report.total,
        "thin": report.thin,
        "n_empty": len(empty),
        "n_thin": len(report.with_status("thin")),
        "n_covered": len(report.with_status("covered")),
        "empty_rows": [sentence_label(report.row_dimension, r, corpus) for r in empty_rows],
        "empty_cols": [sentence_label(report.col_dimension, c, corpus) for c in empty_cols],
        "groups": groups,
        "max_named": MAX_NAMED,
        "filled_empty": filled_empty,
        "filled_thin": filled_thin,
        "fatigue": fatigue,
        "stale": stale,
        "stale_years": report.stale_years,
        "pattern": perspective_pattern(report),
        "most": glossary.in_sentence(corpus.vocabulary.label("perspective", by_count[-1], lang, long=True)),
        "most_n": counts[by_count[-1]],
        "fewest": glossary.in_sentence(corpus.vocabulary.label("perspective", by_count[0], lang, long=True)),
        "fewest_n": counts[by_count[0]],
        "best": (
            {"name": coverage[0].name, "covered": coverage[0].covered, "cells": coverage[0].cells}
            if len(coverage) >= 2 and coverage[0].covered
            else None
        ),
    }


def _long_label(dimension: str, key: str, corpus: Corpus) -> str:
    """Return a value inside a sentence; a perspective by its long label (`invånare i allmänhet`)."""
    if dimension != "perspective":
        return sentence_label(dimension, key, corpus)
    return glossary.in_sentence(corpus.vocabulary.label("perspective", key, language(corpus), long=True))


def summarise(report: GapReport, corpus: Corpus) -> list[str]:
    """Return the written summary, one sentence (or short paragraph) per item, in the corpus's language."""
    lang = language(corpus)
    text = _summary_template(lang).render(**summary_facts(report, corpus))
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


@functools.cache
def _summary_template(lang: str) -> Any:
    """Return the summary template of a language, compiled once (a site summarises once per organisation)."""
    from insightmap.templating import environment

    env = environment("gaps", trailing_newline=False)
    env.filters["listing"] = lambda items, limit=None: glossary.join(list(items), lang, limit)
    return env.get_template(f"summary.{lang}.j2")
