"""The white-spot matrix as tables: Markdown, CSV and JSON (the terminal's is in `terminal.py`).

White spots stand out in every form: a mark in the terminal and Markdown, a
status column in CSV. The same marks are explained by `legend`.
"""

from __future__ import annotations

import csv
import io
import json
from typing import TYPE_CHECKING

from insightmap import glossary
from insightmap.analyse.gaps import Cell, GapReport
from insightmap.render.gaps.labels import (
    axis_label,
    cell_label,
    dimension_name,
    language,
    report_note,
    study_name,
    subtitle,
    title,
)
from insightmap.render.gaps.layout import layout
from insightmap.render.gaps.summary import summarise

if TYPE_CHECKING:
    from insightmap.records import Corpus

#: Cell marks shared by the terminal table and Markdown (explained by `legend`).
MARK_EMPTY, MARK_FILLED, MARK_FATIGUE, MARK_STALE = "○", "◆", "◆◆", "†"
#: A cell with insights on which no action builds (shown when the project records actions).
MARK_NOT_ACTED = "△"


def legend(report: GapReport, corpus: Corpus, markdown: bool = False) -> list[tuple[str, str]]:
    """Return (mark, meaning) pairs for the marks tables use (thin is yellow, or italic in Markdown)."""
    text = glossary.words(language(corpus))
    thin = text["legend_thin"].format(thin=report.thin)
    return [
        (MARK_EMPTY, text["legend_empty"]),
        ("*n*", f"({text['italic_number']}) {thin}") if markdown else ("n", thin),
        (MARK_FILLED, text["legend_filled"]),
        (MARK_FATIGUE, text["legend_fatigue"]),
        (MARK_STALE, text["legend_stale"].format(years=report.stale_years)),
        *([(MARK_NOT_ACTED, text["not_acted_on"])] if report.tracks_actions else []),
    ]


def _marks(cell: Cell, acting: bool = False) -> str:
    marks = ""
    if cell.stale:
        marks += MARK_STALE
    if len(cell.filled_by) >= 2:
        marks += " " + MARK_FATIGUE
    elif cell.filled_by:
        marks += " " + MARK_FILLED
    if acting and cell.acted is False:
        marks += " " + MARK_NOT_ACTED
    return marks


def cell_text(cell: Cell, acting: bool = False) -> str:
    """Return a cell's plain text: the count (or the white-spot mark) and its marks."""
    return (MARK_EMPTY if cell.status == "empty" else str(cell.count)) + _marks(cell, acting)


def to_markdown(report: GapReport, corpus: Corpus, heading_level: int = 2, summary: bool = True) -> str:
    """Return the report as Markdown: summary (unless shown elsewhere), matrix, legend, studies, coverage."""
    text = glossary.words(language(corpus))
    lay = layout(report)
    h = "#" * heading_level
    # Labels, names and study titles come from the project's files: escape them as text.
    esc = md_escape
    out = [f"{h} {esc(title(report, corpus))}", "", f"*{esc(subtitle(report, corpus))}*", ""]
    if summary:
        out += [f"- {esc(line)}" for line in summarise(report, corpus)]
        out.append("")
    header = [
        esc(dimension_name(lay.side, corpus)),
        *(esc(axis_label(lay.top, k, corpus)) for k in lay.top_keys),
        text["Total"],
    ]
    out.append(_md_row(header))
    out.append(_md_row([":--", *(":-:" for _ in lay.top_keys), "--:"]))
    for side_key in lay.side_keys:
        cells = [lay.cell(report, side_key, k) for k in lay.top_keys]
        out.append(
            _md_row(
                [
                    esc(axis_label(lay.side, side_key, corpus)),
                    *(_md_cell(c, report.tracks_actions) for c in cells),
                    str(lay.side_total(report, side_key)),
                ]
            )
        )
    out.append(
        _md_row([text["Total"], *(str(lay.top_total(report, k)) for k in lay.top_keys), str(report.total)])
    )
    marks = legend(report, corpus, markdown=True)
    out += ["", " · ".join(f"{mark} {meaning}" for mark, meaning in marks), ""]
    note = report_note(report, corpus)
    if note:
        out += [f"*{esc(note)}*", ""]
    filled = [c for c in report.cells if c.filled_by]
    if filled:
        out += [
            f"{h}# {text['planned_and_ongoing_studies']}",
            "",
            _md_row([text["Cell"], text["Count"], text["Studies"]]),
            _md_row(["--", "--:", "--"]),
        ]
        for c in filled:
            studies = "; ".join(esc(study_name(report, s, corpus)) for s in c.filled_by)
            mark = f" {MARK_FATIGUE}" if len(c.filled_by) >= 2 else ""
            out.append(_md_row([esc(cell_label(report, c, corpus)) + mark, str(c.count), studies]))
        out.append("")
    if report.organisations:
        out += [
            f"{h}# {text['coverage_per_organisation']}",
            "",
            _md_row(
                [text["Organisation"], text["insights"].capitalize(), text["Coverage"], text["White_spots"]]
            ),
            _md_row(["--", "--:", "--:", "--:"]),
        ]
        for cov in report.organisations.values():
            out.append(
                _md_row(
                    [
                        esc(cov.name),
                        str(cov.insights),
                        f"{cov.covered}/{cov.cells} ({round(100 * cov.share)} %)",
                        str(len(cov.empty)),
                    ]
                )
            )
        out.append("")
    return "\n".join(out)


def md_escape(text: str) -> str:
    """Escape project text for Markdown: no HTML, links, emphasis or table breaks of its own."""
    from insightmap.sanitize import escape_markdown

    return escape_markdown(text)


def _md_cell(cell: Cell, acting: bool = False) -> str:
    if cell.status == "empty":
        return f"**{cell_text(cell)}**"
    return f"*{cell.count}*{_marks(cell, acting)}" if cell.status == "thin" else cell_text(cell, acting)


def _md_row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def to_csv(report: GapReport, corpus: Corpus) -> str:
    """Return one CSV line per cell (keys, labels, count, status, staleness, studies, distinct totals)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        [
            "row",
            "col",
            "row_label",
            "col_label",
            "count",
            "status",
            "stale",
            "newest",
            "filled_by",
            "organisations",
            "actions",
            "acted",
            # Distinct insights: an insight in several cells of a row counts once in row_insights.
            "row_insights",
            "col_insights",
            "all_insights",
        ]
    )
    for c in report.cells:
        writer.writerow(
            [
                c.row,
                c.col,
                axis_label(report.row_dimension, c.row, corpus),
                axis_label(report.col_dimension, c.col, corpus),
                c.count,
                c.status,
                "yes" if c.stale else "no",
                c.newest or "",
                ";".join(c.filled_by),
                ";".join(c.organisations),
                ";".join(c.actions),
                "" if c.acted is None else "yes" if c.acted else "no",
                report.row_total(c.row),
                report.col_total(c.col),
                report.total,
            ]
        )
    return out.getvalue()


def to_json(report: GapReport, corpus: Corpus) -> str:
    """Return the report as stable, indented JSON with the summary sentences and the note on totals."""
    data = report.to_dict()
    data["summary"] = summarise(report, corpus)
    # `totals.insights` counts each insight once; the cells add up to `cell_sum`.
    data["totals"]["cell_sum"] = sum(c.count for c in report.cells)
    data["totals_note"] = report_note(report, corpus)
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
