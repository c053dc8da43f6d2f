"""The white-spot matrix as tables: the terminal (rich), Markdown, CSV and JSON.

White spots stand out in every form: a mark in the terminal and Markdown, a
status column in CSV. The same marks are explained by `legend`.
"""

from __future__ import annotations

import csv
import io
import json
from typing import TYPE_CHECKING, Any

from insightmap import glossary
from insightmap.analyse.gaps import Cell, GapReport
from insightmap.render.gaps.labels import (
    axis_label,
    cell_label,
    dimension_name,
    language,
    study_name,
    subtitle,
    title,
)
from insightmap.render.gaps.layout import layout
from insightmap.render.gaps.summary import summarise

if TYPE_CHECKING:
    from rich.table import Table

    from insightmap.records import Corpus

#: Cell marks shared by the terminal table and Markdown (explained by `legend`).
MARK_EMPTY, MARK_FILLED, MARK_FATIGUE, MARK_STALE = "○", "◆", "◆◆", "†"


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
    ]


def _marks(cell: Cell) -> str:
    marks = ""
    if cell.stale:
        marks += MARK_STALE
    if len(cell.filled_by) >= 2:
        marks += " " + MARK_FATIGUE
    elif cell.filled_by:
        marks += " " + MARK_FILLED
    return marks


def cell_text(cell: Cell) -> str:
    """Return a cell's plain text: the count (or the white-spot mark) and its marks."""
    return (MARK_EMPTY if cell.status == "empty" else str(cell.count)) + _marks(cell)


def to_table(report: GapReport, corpus: Corpus) -> Table:
    """Return a rich table of the matrix in which white spots stand out."""
    from rich.table import Table
    from rich.text import Text

    lay = layout(report)
    text = glossary.words(language(corpus))
    # Project text goes in as Text, never as rich markup (a label like `[x]` must print as is).
    table = Table(
        title=Text(title(report, corpus)),
        caption=Text(subtitle(report, corpus)),
        header_style="bold",
        show_lines=False,
    )
    side_labels = [axis_label(lay.side, k, corpus) for k in lay.side_keys]
    longest_word = max((len(w) for label in side_labels for w in label.split()), default=8)
    table.add_column(Text(dimension_name(lay.side, corpus)), overflow="fold", min_width=longest_word)
    for key in lay.top_keys:
        table.add_column(Text(axis_label(lay.top, key, corpus)), justify="center", overflow="fold")
    table.add_column(text["Total"], justify="right", style="dim")
    for side_key in lay.side_keys:
        row: list[Any] = [Text(side_labels[lay.side_keys.index(side_key)])]
        for top_key in lay.top_keys:
            cell = lay.cell(report, side_key, top_key)
            styled = Text()
            if cell.status == "empty":
                styled.append(MARK_EMPTY, style="bold red")
            else:
                styled.append(str(cell.count), style="yellow" if cell.status == "thin" else "bold green")
            if cell.stale:
                styled.append(MARK_STALE, style="dim")
            if cell.filled_by:
                many = len(cell.filled_by) >= 2
                styled.append(
                    " " + (MARK_FATIGUE if many else MARK_FILLED), style="bold magenta" if many else "cyan"
                )
            row.append(styled)
        row.append(str(lay.side_total(report, side_key)))
        table.add_row(*row)
    table.add_row(
        text["Total"], *(str(lay.top_total(report, k)) for k in lay.top_keys), str(report.total), style="dim"
    )
    return table


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
                    *(_md_cell(c) for c in cells),
                    str(lay.side_total(report, side_key)),
                ]
            )
        )
    out.append(
        _md_row([text["Total"], *(str(lay.top_total(report, k)) for k in lay.top_keys), str(report.total)])
    )
    marks = legend(report, corpus, markdown=True)
    out += ["", " · ".join(f"{mark} {meaning}" for mark, meaning in marks), ""]
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


def _md_cell(cell: Cell) -> str:
    if cell.status == "empty":
        return f"**{cell_text(cell)}**"
    return f"*{cell.count}*{_marks(cell)}" if cell.status == "thin" else cell_text(cell)


def _md_row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def to_csv(report: GapReport, corpus: Corpus) -> str:
    """Return one CSV line per cell (keys, labels, count, status, staleness, studies)."""
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
            ]
        )
    return out.getvalue()


def to_json(report: GapReport, corpus: Corpus) -> str:
    """Return the report as stable, indented JSON with the summary sentences."""
    data = report.to_dict()
    data["summary"] = summarise(report, corpus)
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
