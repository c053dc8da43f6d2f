"""What a white-spot report calls things: axis values, dimensions, cells, studies, its title.

Tables, the chart and the written summary all name things through these
functions, in the corpus's language, so a cell reads the same everywhere.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from insightmap import glossary
from insightmap.analyse.gaps import Cell, GapReport
from insightmap.analyse.regions import region_label

if TYPE_CHECKING:
    from insightmap.records import Corpus


def language(corpus: Corpus) -> str:
    """Return the language the report speaks: the corpus's, sv unless it is en."""
    return "en" if corpus.language == "en" else "sv"


def axis_label(dimension: str, key: str, corpus: Corpus) -> str:
    """Return the label of one value of a dimension in the corpus's language."""
    lang = language(corpus)
    if dimension == "region":
        return region_label(key, corpus, lang)
    if dimension == "organisation":
        return corpus.organisation(key).name
    return corpus.vocabulary.label(dimension, key, lang)


def dimension_name(dimension: str, corpus: Corpus) -> str:
    """Return the name of a dimension in the corpus's language."""
    return glossary.words(language(corpus))[dimension.replace("-", "_").capitalize()]


def cell_label(report: GapReport, cell: Cell | Any, corpus: Corpus) -> str:
    """Return `row label × column label` for a cell (or anything with row and col)."""
    return cells_in_words(report, [cell], corpus)


def cells_in_words(report: GapReport, cells: list[Any], corpus: Corpus) -> str:
    """Name cells compactly, one group per row: `Riskgrupp × Barn och unga och Familjer; Vuxna × …`."""
    by_row: dict[str, list[str]] = {}
    for cell in cells:
        by_row.setdefault(cell.row, []).append(axis_label(report.col_dimension, cell.col, corpus))
    return "; ".join(
        f"{axis_label(report.row_dimension, row, corpus)} × {glossary.join(cols, language(corpus))}"
        for row, cols in by_row.items()
    )


def title(report: GapReport, corpus: Corpus) -> str:
    """Return the report's title: `White spots: Perspective × sub-population`."""
    rows, cols = (dimension_name(d, corpus) for d in (report.row_dimension, report.col_dimension))
    return f"{glossary.words(language(corpus))['White_spots']}: {rows} × {cols.lower()}"


def subtitle(report: GapReport, corpus: Corpus) -> str:
    """Return the line under the title: the selection, the number of insights and the day."""
    text = glossary.words(language(corpus))
    return (
        f"{report.selection.describe(corpus)} · {report.total} {text['insights']} · "
        f"{text['as_of']} {report.today.isoformat()}"
    )


def study_name(report: GapReport, study_id: str, corpus: Corpus) -> str:
    """Return a study as `”Title” (Organisation, planned)`."""
    study = report.studies[study_id]
    lang = language(corpus)
    status = corpus.vocabulary.label("status", study.status or "", lang).lower()
    quoted = glossary.quoted(study.title, lang)
    return f"{quoted} ({corpus.organisation(study.organisation).name}, {status})"
