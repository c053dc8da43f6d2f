"""Render a white-spot report: terminal table, Markdown, CSV, JSON, the gap-map chart and the summary.

Every renderer takes the same `GapReport`. Tables and the chart put the
dimension with more values down the side, so that labels stay horizontal and
readable; the report's rows and columns are unchanged.
"""

from __future__ import annotations

import csv
import io
import json
import textwrap
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from insightmap import glossary
from insightmap.analyse.gaps import Cell, GapReport

if TYPE_CHECKING:
    from rich.table import Table

    from insightmap.records import Corpus

#: Cell marks shared by the terminal table and Markdown (explained by `legend`).
MARK_EMPTY, MARK_FILLED, MARK_FATIGUE, MARK_STALE = "○", "◆", "◆◆", "†"
#: Chart colours: bubbles, white spots, studies, fatigue.
COLOURS = {
    "covered": "#1b7f6b",
    "thin": "#8cc5b3",
    "stale": "#9a9a9a",
    "empty": "#fbf3e4",
    "empty-edge": "#d98c2b",
    "filled": "#2b62b8",
    "fatigue": "#b3245b",
    "grid": "#d8d8d8",
}


def _lang(corpus: Corpus) -> str:
    return "en" if corpus.language == "en" else "sv"


def axis_label(dimension: str, key: str, corpus: Corpus) -> str:
    """Return the label of one value of a dimension in the corpus's language."""
    lang = _lang(corpus)
    if dimension == "region":
        return " + ".join(corpus.vocabulary.label("perspective", p, lang) for p in key.split("+"))
    if dimension == "organisation":
        return corpus.organisation(key).name
    return corpus.vocabulary.label(dimension, key, lang)


def dimension_name(dimension: str, corpus: Corpus) -> str:
    """Return the name of a dimension in the corpus's language."""
    return glossary.words(_lang(corpus))[dimension.replace("-", "_").capitalize()]


def cell_label(report: GapReport, cell: Cell | Any, corpus: Corpus) -> str:
    """Return `row label × column label` for a cell (or anything with row and col)."""
    return (
        f"{axis_label(report.row_dimension, cell.row, corpus)} × "
        f"{axis_label(report.col_dimension, cell.col, corpus)}"
    )


@dataclass(frozen=True)
class Layout:
    """How a report is laid out on a page: which dimension runs down the side."""

    side: str
    top: str
    side_keys: tuple[str, ...]
    top_keys: tuple[str, ...]
    transposed: bool

    def cell(self, report: GapReport, side_key: str, top_key: str) -> Cell:
        """Return the report's cell shown at (side_key, top_key)."""
        return report.cell(top_key, side_key) if self.transposed else report.cell(side_key, top_key)

    def side_total(self, report: GapReport, key: str) -> int:
        """Return the insights along one side value."""
        return report.col_total(key) if self.transposed else report.row_total(key)

    def top_total(self, report: GapReport, key: str) -> int:
        """Return the insights along one top value."""
        return report.row_total(key) if self.transposed else report.col_total(key)


def layout(report: GapReport) -> Layout:
    """Return the layout that puts the dimension with more values down the side."""
    if len(report.cols) > len(report.rows):
        return Layout(report.col_dimension, report.row_dimension, report.cols, report.rows, True)
    return Layout(report.row_dimension, report.col_dimension, report.rows, report.cols, False)


def legend(report: GapReport, corpus: Corpus, markdown: bool = False) -> list[tuple[str, str]]:
    """Return (mark, meaning) pairs for the marks tables use (thin is yellow, or italic in Markdown)."""
    text = glossary.words(_lang(corpus))
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
    text = glossary.words(_lang(corpus))
    # Project text goes in as Text, never as rich markup (a label like `[x]` must print as is).
    table = Table(
        title=Text(_title(report, corpus)),
        caption=Text(_subtitle(report, corpus)),
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
    text = glossary.words(_lang(corpus))
    lay = layout(report)
    h = "#" * heading_level
    # Labels, names and study titles come from the project's files: escape them as text.
    esc = md_escape
    out = [f"{h} {esc(_title(report, corpus))}", "", f"*{esc(_subtitle(report, corpus))}*", ""]
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
            studies = "; ".join(esc(_study_name(report, s, corpus)) for s in c.filled_by)
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


def _title(report: GapReport, corpus: Corpus) -> str:
    return (
        f"{glossary.words(_lang(corpus))['White_spots']}: {dimension_name(report.row_dimension, corpus)} × "
        f"{dimension_name(report.col_dimension, corpus).lower()}"
    )


def _subtitle(report: GapReport, corpus: Corpus) -> str:
    text = glossary.words(_lang(corpus))
    return (
        f"{report.selection.describe(corpus)} · {report.total} {text['insights']} · "
        f"{text['as_of']} {report.today.isoformat()}"
    )


def _study_name(report: GapReport, study_id: str, corpus: Corpus) -> str:
    study = report.studies[study_id]
    status = corpus.vocabulary.label("status", study.status or "", _lang(corpus)).lower()
    quoted = glossary.quoted(study.title, _lang(corpus))
    return f"{quoted} ({corpus.organisation(study.organisation).name}, {status})"


# --- the written summary -------------------------------------------------------------------------

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
    lang = _lang(corpus)
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
                    "label": axis_label(report.row_dimension, row, corpus),
                    "n": len(cols),
                    "of": len(report.cols),
                    "values": [axis_label(report.col_dimension, c, corpus) for c in cols],
                }
            )
    groups.sort(key=lambda g: -g["n"])

    def studies(cell: Cell) -> list[str]:
        return [_study_name(report, s, corpus) for s in cell.filled_by]

    filled_empty = [
        {"cell": cell_label(report, c, corpus), "studies": studies(c)} for c in empty if c.filled_by
    ]
    filled_thin = [
        {"cell": cell_label(report, c, corpus), "studies": studies(c)}
        for c in report.with_status("thin")
        if c.filled_by
    ]
    # One warning per set of studies, naming every cell they share.
    fatigue_cells: dict[tuple[str, ...], list[Any]] = {}
    for f in report.fatigue:
        fatigue_cells.setdefault(f.studies, []).append(f)
    fatigue = [
        {
            "cells": _cells_in_words(report, cells, corpus),
            "n": len(ids),
            "studies": [_study_name(report, s, corpus) for s in ids],
            "organisations": len({report.studies[s].organisation for s in ids}),
        }
        for ids, cells in fatigue_cells.items()
    ]
    stale = [cell_label(report, c, corpus) for c in report.cells if c.stale]
    counts = report.perspective_counts
    by_count = sorted(counts, key=lambda p: counts[p])
    coverage = sorted(report.organisations.values(), key=lambda c: (-c.share, c.organisation))
    return {
        "rows": dimension_name(report.row_dimension, corpus).lower(),
        "cols": dimension_name(report.col_dimension, corpus).lower(),
        "cells": len(report.cells),
        "total": report.total,
        "thin": report.thin,
        "n_empty": len(empty),
        "n_thin": len(report.with_status("thin")),
        "n_covered": len(report.with_status("covered")),
        "empty_rows": [axis_label(report.row_dimension, r, corpus) for r in empty_rows],
        "empty_cols": [axis_label(report.col_dimension, c, corpus) for c in empty_cols],
        "groups": groups,
        "max_named": MAX_NAMED,
        "filled_empty": filled_empty,
        "filled_thin": filled_thin,
        "fatigue": fatigue,
        "stale": stale,
        "stale_years": report.stale_years,
        "pattern": perspective_pattern(report),
        "most": corpus.vocabulary.label("perspective", by_count[-1], lang, long=True),
        "most_n": counts[by_count[-1]],
        "fewest": corpus.vocabulary.label("perspective", by_count[0], lang, long=True),
        "fewest_n": counts[by_count[0]],
        "best": (
            {"name": coverage[0].name, "covered": coverage[0].covered, "cells": coverage[0].cells}
            if len(coverage) >= 2 and coverage[0].covered
            else None
        ),
    }


def _cells_in_words(report: GapReport, cells: list[Any], corpus: Corpus) -> str:
    """Name cells compactly, one group per row: `Riskgrupp × Barn och unga och Familjer; Vuxna × …`."""
    lang = _lang(corpus)
    by_row: dict[str, list[str]] = {}
    for cell in cells:
        by_row.setdefault(cell.row, []).append(axis_label(report.col_dimension, cell.col, corpus))
    return "; ".join(
        f"{axis_label(report.row_dimension, row, corpus)} × {glossary.join(cols, lang)}"
        for row, cols in by_row.items()
    )


def summarise(report: GapReport, corpus: Corpus) -> list[str]:
    """Return the written summary, one sentence (or short paragraph) per item, in the corpus's language."""
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(
        loader=PackageLoader("insightmap", "templates/gaps"),
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        undefined=StrictUndefined,
    )
    lang = _lang(corpus)
    env.filters["listing"] = lambda items, limit=None: glossary.join(list(items), lang, limit)
    text = env.get_template(f"summary.{lang}.j2").render(**summary_facts(report, corpus))
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


# --- the chart -----------------------------------------------------------------------------------


def _gid(*parts: str) -> str:
    """Return an SVG id for a cell (region keys hold `+`, which XML ids may not)."""
    return "--".join(p.replace("+", "_") for p in parts)


def draw_gap_chart(report: GapReport, corpus: Corpus, fmt: str = "svg") -> bytes | str:
    """Draw the evidence-gap-map chart: bubble area = count, white spots hatched and ringed,
    cells being filled by planned or ongoing studies marked with a diamond; SVG (str) or PNG (bytes).

    Every cell's background carries the SVG id `cell--ROW--COL--STATUS` (plus `--filled`,
    `--fatigue`, `--stale`) so the data drawn can be checked without looking at pixels.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    from matplotlib.patches import Circle, Patch, Rectangle

    if fmt not in ("svg", "png"):
        raise ValueError(f"unknown chart format {fmt!r}")
    lay = layout(report)
    n_side, n_top = len(lay.side_keys), len(lay.top_keys)
    side_text = [axis_label(lay.side, k, corpus) for k in lay.side_keys]
    top_text = [axis_label(lay.top, k, corpus) for k in lay.top_keys]
    # Size a cell so the longest word of a column label fits on one line (no broken words).
    longest = max((len(w) for t in top_text for w in t.split()), default=6)
    cell = min(max(0.62, longest * 0.058 + 0.1), 1.4)
    top_labels = [textwrap.fill(t, max(int((cell - 0.1) / 0.058), longest)) for t in top_text]
    side_labels = [textwrap.fill(t, 36) for t in side_text]
    top_lines = max((t.count("\n") + 1 for t in top_labels), default=1)
    side_chars = max((len(line) for t in side_labels for line in t.split("\n")), default=8)
    peak = max((c.count for c in report.cells), default=0) or 1

    with plt.rc_context(
        {"svg.hashsalt": "insightmap", "svg.fonttype": "none", "font.size": 9, "font.family": "DejaVu Sans"}
    ):
        # Inches: the axes hold the cells plus a totals column and row, so circles stay round.
        left, right = 0.45 + side_chars * 0.066, 0.2
        top, bottom = 0.95 + top_lines * 0.16 + 0.3, 0.95
        axes_w, axes_h = (n_top + 0.75) * cell, (n_side + 0.35) * cell
        fig_w = max(left + axes_w + right, 6.4)
        fig_h = top + axes_h + bottom
        fig = plt.figure(figsize=(fig_w, fig_h))
        ax = fig.add_axes((left / fig_w, bottom / fig_h, axes_w / fig_w, axes_h / fig_h))
        ax.set_xlim(-0.5, n_top + 0.25)
        ax.set_ylim(n_side - 0.15, -0.5)
        for y, side_key in enumerate(lay.side_keys):
            for x, top_key in enumerate(lay.top_keys):
                _draw_cell(ax, lay.cell(report, side_key, top_key), x, y, peak, Circle, Rectangle)
            ax.text(
                n_top - 0.35,
                y,
                str(lay.side_total(report, side_key)),
                ha="left",
                va="center",
                color="#555555",
                fontsize=8,
            )
        for x, key in enumerate(lay.top_keys):
            ax.text(
                x,
                n_side - 0.38,
                str(lay.top_total(report, key)),
                ha="center",
                va="top",
                color="#555555",
                fontsize=8,
            )
        ax.text(
            n_top - 0.35,
            n_side - 0.38,
            f"Σ {report.total}",
            ha="left",
            va="top",
            color="#555555",
            fontsize=8,
            fontweight="bold",
        )
        ax.set_xticks(range(n_top), top_labels, fontsize=8.5)
        ax.set_yticks(range(n_side), side_labels, fontsize=8.5)
        ax.xaxis.tick_top()
        ax.tick_params(length=0)
        ax.set_xlabel(dimension_name(lay.top, corpus), fontweight="bold", labelpad=8)
        ax.xaxis.set_label_position("top")
        for spine in ax.spines.values():
            spine.set_visible(False)
        fig.text(
            0.15 / fig_w,
            1 - 0.2 / fig_h,
            _title(report, corpus),
            ha="left",
            va="top",
            fontsize=12,
            fontweight="bold",
        )
        fig.text(
            0.15 / fig_w,
            1 - 0.5 / fig_h,
            _subtitle(report, corpus),
            ha="left",
            va="top",
            fontsize=8.5,
            color="#444444",
        )
        fig.text(
            0.15 / fig_w,
            1 - (top - 0.1) / fig_h,
            dimension_name(lay.side, corpus),
            ha="left",
            va="bottom",
            fontsize=9,
            fontweight="bold",
        )
        fig.legend(
            handles=_legend_handles(report, corpus, Line2D, Patch),
            loc="lower left",
            bbox_to_anchor=(0.1 / fig_w, 0.05 / fig_h),
            ncol=2,
            frameon=False,
            fontsize=8,
            handlelength=1.6,
            columnspacing=1.5,
        )
        out = io.BytesIO()
        if fmt == "svg":
            fig.savefig(out, format="svg", metadata={"Date": None})
        else:
            fig.savefig(out, format="png", dpi=150, metadata={"Software": None})
        plt.close(fig)
    data = out.getvalue()
    return data.decode("utf-8") if fmt == "svg" else data


def _legend_handles(report: GapReport, corpus: Corpus, Line2D: Any, Patch: Any) -> list[Any]:  # noqa: N803
    """Return the legend entries of the chart."""
    text = glossary.words(_lang(corpus))

    def dot(colour: str, size: float, label: str, marker: str = "o") -> Any:
        return Line2D(
            [],
            [],
            marker=marker,
            linestyle="none",
            markersize=size,
            markerfacecolor=colour,
            markeredgecolor="white" if marker == "o" else colour,
            label=label,
        )

    return [
        dot(COLOURS["covered"], 11, text["legend_covered"]),
        dot(COLOURS["thin"], 7, text["legend_thin"].format(thin=report.thin)),
        Patch(
            facecolor=COLOURS["empty"],
            edgecolor=COLOURS["empty-edge"],
            hatch="////",
            label=text["legend_empty"],
        ),
        dot(COLOURS["stale"], 9, text["legend_stale"].format(years=report.stale_years)),
        dot(COLOURS["filled"], 6, text["legend_filled"], marker="D"),
        dot(COLOURS["fatigue"], 7, text["legend_fatigue"], marker="D"),
    ]


def _draw_cell(ax: Any, cell: Cell, x: int, y: int, peak: int, Circle: Any, Rectangle: Any) -> None:  # noqa: N803 - matplotlib classes passed in
    """Draw one cell: background, bubble (area = count) or white-spot ring, study diamond."""
    r_max = 0.44
    flags = [
        f
        for f, on in (
            ("filled", bool(cell.filled_by)),
            ("fatigue", len(cell.filled_by) >= 2),
            ("stale", cell.stale),
        )
        if on
    ]
    gid = _gid("cell", cell.row, cell.col, cell.status, *flags)
    if cell.status == "empty":
        back = Rectangle(
            (x - 0.47, y - 0.47),
            0.94,
            0.94,
            facecolor=COLOURS["empty"],
            edgecolor=COLOURS["empty-edge"],
            hatch="////",
            linewidth=0.0,
            zorder=1,
        )
        # A white spot someone is already filling gets a blue ring: the gap is being closed.
        ring = Circle(
            (x, y),
            0.2,
            facecolor="white",
            edgecolor=COLOURS["filled" if cell.filled_by else "empty-edge"],
            linewidth=1.3,
            linestyle=(0, (2, 1.5)),
            zorder=2,
        )
        ring.set_gid(_gid("ring", cell.row, cell.col))
        ax.add_patch(ring)
    else:
        back = Rectangle(
            (x - 0.47, y - 0.47),
            0.94,
            0.94,
            facecolor="white",
            edgecolor=COLOURS["grid"],
            linewidth=0.6,
            zorder=1,
        )
        colour = COLOURS["stale"] if cell.stale else COLOURS[cell.status]
        radius = max(r_max * (cell.count / peak) ** 0.5, 0.09)
        bubble = Circle((x, y), radius, facecolor=colour, edgecolor="white", linewidth=0.8, zorder=2)
        bubble.set_gid(_gid("bubble", cell.row, cell.col, str(cell.count)))
        ax.add_patch(bubble)
        inside = radius >= 0.17
        ax.text(
            x if inside else x + radius + 0.04,
            y,
            str(cell.count),
            ha="center" if inside else "left",
            va="center",
            fontsize=8,
            color="white" if inside else "#333333",
            zorder=3,
            fontweight="bold",
        )
    back.set_gid(gid)
    ax.add_patch(back)
    if cell.filled_by:
        many = len(cell.filled_by) >= 2
        ax.plot(
            [x + 0.33],
            [y - 0.33],
            marker="D",
            markersize=6.5 if many else 5.5,
            linestyle="none",
            color=COLOURS["fatigue" if many else "filled"],
            zorder=4,
            gid=_gid("study", cell.row, cell.col),
        )
        if many:
            ax.text(
                x + 0.33,
                y - 0.33,
                str(len(cell.filled_by)),
                ha="center",
                va="center",
                fontsize=5.5,
                color="white",
                zorder=5,
                fontweight="bold",
            )
