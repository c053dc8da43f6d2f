"""What a white-spot report calls things: axis values, dimensions, cells, studies, its title.

Tables, the chart and the written summary all name things through these
functions, in the corpus's language, so a cell reads the same everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable
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


def sentence_label(dimension: str, key: str, corpus: Corpus) -> str:
    """Return a value's label as written inside a sentence: `äldre`, `riskgrupp + invånare i allmänhet`.

    Swedish writes vocabulary labels as common nouns (lower case) inside a
    sentence; organisation names are proper nouns and stay as written.
    """
    label = axis_label(dimension, key, corpus)
    if dimension == "organisation":
        return label
    return " + ".join(glossary.in_sentence(part) for part in label.split(" + "))


def dimension_name(dimension: str, corpus: Corpus) -> str:
    """Return the name of a dimension in the corpus's language."""
    return glossary.words(language(corpus))[dimension.replace("-", "_").capitalize()]


def cell_label(report: GapReport, cell: Cell | Any, corpus: Corpus) -> str:
    """Return `row label × column label` for a cell (or anything with row and col)."""
    return cells_in_words(report, [cell], corpus)


def cells_in_words(report: GapReport, cells: list[Any], corpus: Corpus, in_sentence: bool = False) -> str:
    """Name cells compactly, one group per row: `Riskgrupp × Barn och unga och Familjer; Vuxna × …`.

    `in_sentence` writes the labels as inside a sentence (`riskgrupp × barn och unga`).
    """
    label = sentence_label if in_sentence else axis_label
    by_row: dict[str, list[str]] = {}
    for cell in cells:
        by_row.setdefault(cell.row, []).append(label(report.col_dimension, cell.col, corpus))
    return "; ".join(
        f"{label(report.row_dimension, row, corpus)} × {glossary.join(cols, language(corpus))}"
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


#: Dimensions an insight can have several values of, with the glossary word for "several of them".
SEVERAL = {
    "perspective": "perspectives",
    "subpopulation": "subpopulations",
    "shift": "shifts",
    "theme": "themes",
    "area": "areas",
    "method": "methods",
}


def counted_note(
    cells: Iterable[Any],
    insights: int,
    language: str,
    dimensions: tuple[str, str] = ("perspective", "subpopulation"),
) -> str:
    """Say why the cells add up to more than the insights (an insight counts in each of its cells).

    Empty when they do not: then every insight is in one cell and the numbers add up.
    """
    counted = sum(cell.count for cell in cells)
    if counted <= insights:
        return ""
    text = glossary.words(language)
    several = [text[SEVERAL[d]] for d in dimensions if d in SEVERAL]
    values = f" {text['or']} ".join(several) or text["values"]
    return text["counted_in_cells"].format(cells=counted, insights=insights, values=values)


def report_note(report: GapReport, corpus: Corpus) -> str:
    """Explain the report's totals: insights counted in several cells, insights in none."""
    lang = language(corpus)
    notes = [counted_note(report.cells, report.total, lang, (report.row_dimension, report.col_dimension))]
    outside = report.total - len({i for cell in report.cells for i in cell.insights})
    if outside > 0:
        optional = [dimension_name(d, corpus).lower() for d in (report.row_dimension, report.col_dimension)]
        optional = [
            name
            for d, name in zip((report.row_dimension, report.col_dimension), optional, strict=True)
            if d in SEVERAL
        ]
        missing = f" {glossary.words(lang)['or']} ".join(optional)
        notes.append(glossary.words(lang)["outside_matrix"].format(n=outside, dimensions=missing))
    return " ".join(note for note in notes if note)
