"""The white-spot matrix as an evidence-gap-map chart (SVG or PNG).

Bubble area is the number of insights; white spots are hatched and ringed; a
diamond marks a cell that planned or ongoing studies are filling, a red one
with a number where several studies ask the same residents (insight fatigue).
"""

from __future__ import annotations

import textwrap
from typing import Any

from insightmap import glossary
from insightmap.analyse.gaps import Cell, GapReport
from insightmap.records import Corpus
from insightmap.render.charts import FORMATS, chart_style, save_figure
from insightmap.render.gaps.labels import axis_label, dimension_name, language, report_note, subtitle, title
from insightmap.render.gaps.layout import layout

#: Chart colours: bubbles, white spots, studies, fatigue.
COLOURS = {
    "covered": "#1b7f6b",
    "thin": "#8cc5b3",
    "stale": "#9a9a9a",
    "empty": "#fbf3e4",
    "empty-edge": "#d98c2b",
    "filled": "#2b62b8",
    "fatigue": "#b3245b",
    "not-acted": "#c75b12",
    "grid": "#d8d8d8",
}
#: Text size in points; the chart is sized so that it prints at about this size on an A4 page.
FONT_SIZE = 9.5
#: Inches one character of a label takes at FONT_SIZE (DejaVu Sans), and the height of a row.
CHAR_WIDTH, ROW_HEIGHT = 0.068, 0.46


def _gid(*parts: str) -> str:
    """Return an SVG id for a cell (region keys hold `+`, which XML ids may not)."""
    return "--".join(p.replace("+", "_") for p in parts)


def draw_gap_chart(
    report: GapReport, corpus: Corpus, fmt: str = "svg", note_on_chart: bool = True
) -> str | bytes:
    """Draw the evidence-gap-map chart: bubble area = count, white spots hatched and ringed,
    cells being filled by planned or ongoing studies marked with a diamond; SVG (str) or PNG (bytes).

    Under the legend stands why the totals do not add up (`note_on_chart=False` leaves it to the
    page around the chart). Every cell's background carries the SVG id `cell--ROW--COL--STATUS`
    (plus `--filled`, `--fatigue`, `--stale`) so the data drawn can be checked without looking at pixels.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    from matplotlib.patches import Ellipse, Patch, Rectangle

    if fmt not in FORMATS:
        raise ValueError(f"unknown chart format {fmt!r}")
    lay = layout(report)
    n_side, n_top = len(lay.side_keys), len(lay.top_keys)
    side_text = [axis_label(lay.side, k, corpus) for k in lay.side_keys]
    top_text = [axis_label(lay.top, k, corpus) for k in lay.top_keys]
    # Size a column so the longest word of a column label fits on one line (no broken words);
    # rows stay low, so a long matrix still fits an A4 page at the size the fonts were set in.
    longest = max((len(w) for t in top_text for w in t.split()), default=6)
    cell_w = min(max(0.66, longest * CHAR_WIDTH + 0.12), 1.5)
    cell_h = min(cell_w, ROW_HEIGHT)
    top_labels = [textwrap.fill(t, max(int((cell_w - 0.12) / CHAR_WIDTH), longest)) for t in top_text]
    side_labels = [textwrap.fill(t, 34) for t in side_text]
    top_lines = max((t.count("\n") + 1 for t in top_labels), default=1)
    side_chars = max((len(line) for t in side_labels for line in t.split("\n")), default=8)

    with chart_style({"font.size": FONT_SIZE}):
        # Inches: the axes hold the cells plus a totals column and row.
        left, right = 0.35 + side_chars * CHAR_WIDTH, 0.2
        axes_w, axes_h = (n_top + 0.75) * cell_w, (n_side + 0.4) * cell_h
        fig_w = max(left + axes_w + right, 6.4)
        note = report_note(report, corpus) if note_on_chart else ""
        note_lines = textwrap.wrap(note, int((fig_w - 0.3) / (CHAR_WIDTH * 0.95))) if note else []
        top = 0.95 + top_lines * 0.19 + 0.3
        legend_h = 0.75
        bottom = 0.55 + legend_h + 0.19 * len(note_lines)
        fig_h = top + axes_h + bottom
        fig = plt.figure(figsize=(fig_w, fig_h))
        ax = fig.add_axes((left / fig_w, bottom / fig_h, axes_w / fig_w, axes_h / fig_h))
        ax.set_xlim(-0.5, n_top + 0.25)
        ax.set_ylim(n_side - 0.1, -0.5)
        _draw_grid(ax, report, Ellipse, Rectangle, (cell_w, cell_h))
        ax.set_xticks(range(n_top), top_labels, fontsize=FONT_SIZE)
        ax.set_yticks(range(n_side), side_labels, fontsize=FONT_SIZE)
        ax.xaxis.tick_top()
        ax.tick_params(length=0)
        ax.set_xlabel(
            dimension_name(lay.top, corpus), fontweight="bold", labelpad=8, fontsize=FONT_SIZE + 0.5
        )
        ax.xaxis.set_label_position("top")
        for spine in ax.spines.values():
            spine.set_visible(False)
        _draw_headings(fig, report, corpus, (fig_w, fig_h), top)
        fig.legend(
            handles=_legend_handles(report, corpus, Line2D, Patch),
            loc="upper left",
            bbox_to_anchor=(0.1 / fig_w, (0.25 + legend_h + 0.19 * len(note_lines)) / fig_h),
            ncol=2,
            frameon=False,
            fontsize=FONT_SIZE - 0.5,
            handlelength=1.6,
            columnspacing=1.5,
        )
        if note_lines:
            fig.text(
                0.15 / fig_w,
                0.2 / fig_h,
                "\n".join(note_lines),
                ha="left",
                va="bottom",
                fontsize=FONT_SIZE - 0.5,
                color="#444444",
                linespacing=1.4,
            )
        return save_figure(fig, fmt)


def _draw_grid(ax: Any, report: GapReport, Ellipse: Any, Rectangle: Any, cell: tuple[float, float]) -> None:  # noqa: N803
    """Draw every cell, row by row with the row's total, then the column totals and the grand total.

    `cell` is a cell's (width, height) in inches: a circle is an ellipse in data units, round on paper.
    """
    ratio = cell[1] / cell[0]
    peak = max((c.count for c in report.cells), default=0) or 1
    lay = layout(report)
    n_side, n_top = len(lay.side_keys), len(lay.top_keys)
    for y, side_key in enumerate(lay.side_keys):
        for x, top_key in enumerate(lay.top_keys):
            here = lay.cell(report, side_key, top_key)
            _draw_cell(ax, here, (x, y, ratio), peak, Ellipse, Rectangle, report.tracks_actions)
        ax.text(
            n_top - 0.35,
            y,
            str(lay.side_total(report, side_key)),
            ha="left",
            va="center",
            color="#555555",
            fontsize=FONT_SIZE - 0.5,
        )
    for x, key in enumerate(lay.top_keys):
        ax.text(
            x,
            n_side - 0.38,
            str(lay.top_total(report, key)),
            ha="center",
            va="top",
            color="#555555",
            fontsize=FONT_SIZE - 0.5,
        )
    ax.text(
        n_top - 0.35,
        n_side - 0.38,
        f"Σ {report.total}",
        ha="left",
        va="top",
        color="#555555",
        fontsize=FONT_SIZE - 0.5,
        fontweight="bold",
    )


def _draw_headings(
    fig: Any, report: GapReport, corpus: Corpus, size: tuple[float, float], top: float
) -> None:
    """Write the title, the subtitle and the name of the side dimension above the matrix."""
    fig_w, fig_h = size
    lay = layout(report)
    headings = (
        (1 - 0.2 / fig_h, title(report, corpus), "top", {"fontsize": FONT_SIZE + 3, "fontweight": "bold"}),
        (1 - 0.5 / fig_h, subtitle(report, corpus), "top", {"fontsize": FONT_SIZE - 0.5, "color": "#444444"}),
        (
            1 - (top - 0.1) / fig_h,
            dimension_name(lay.side, corpus),
            "bottom",
            {"fontsize": FONT_SIZE + 0.5, "fontweight": "bold"},
        ),
    )
    for y, text, va, style in headings:
        fig.text(0.15 / fig_w, y, text, ha="left", va=va, **style)


def _legend_handles(report: GapReport, corpus: Corpus, Line2D: Any, Patch: Any) -> list[Any]:  # noqa: N803
    """Return the legend entries of the chart."""
    text = glossary.words(language(corpus))

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
        *(
            [
                Line2D(
                    [],
                    [],
                    marker="^",
                    linestyle="none",
                    markersize=6.5,
                    markerfacecolor="white",
                    markeredgecolor=COLOURS["not-acted"],
                    label=text["not_acted_on"],
                )
            ]
            if report.tracks_actions
            else []
        ),
    ]


def _draw_cell(
    ax: Any,
    cell: Cell,
    at: tuple[int, int, float],
    peak: int,
    Ellipse: Any,  # noqa: N803 - matplotlib classes passed in
    Rectangle: Any,  # noqa: N803
    acting: bool = False,
) -> None:
    """Draw one cell: background, bubble (area = count) or white-spot ring, study diamond.

    `at` is the cell's place and its height/width ratio; radii are in row heights.
    """
    x, y, ratio = at
    r_max = 0.44

    def circle(radius: float, **style: Any) -> Any:
        return Ellipse((x, y), 2 * radius * ratio, 2 * radius, **style)

    flags = [
        f
        for f, on in (
            ("filled", bool(cell.filled_by)),
            ("fatigue", len(cell.filled_by) >= 2),
            ("stale", cell.stale),
            ("not-acted", acting and cell.acted is False),
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
        ring = circle(
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
        bubble = circle(radius, facecolor=colour, edgecolor="white", linewidth=0.8, zorder=2)
        bubble.set_gid(_gid("bubble", cell.row, cell.col, str(cell.count)))
        ax.add_patch(bubble)
        inside = radius >= 0.17
        ax.text(
            x if inside else x + (radius + 0.06) * ratio,
            y,
            str(cell.count),
            ha="center" if inside else "left",
            va="center",
            fontsize=FONT_SIZE - 0.5,
            color="white" if inside else "#333333",
            zorder=3,
            fontweight="bold",
        )
    back.set_gid(gid)
    ax.add_patch(back)
    _corner_marks(ax, cell, x, y, acting)


def _corner_marks(ax: Any, cell: Cell, x: float, y: float, acting: bool) -> None:
    """Draw a cell's corner marks: not acted on (bottom left), studies filling it (bottom right)."""
    if acting and cell.acted is False:  # insights, but no action builds on them
        ax.plot(
            [x - 0.33],
            [y - 0.33],
            marker="^",
            markersize=6.5,
            linestyle="none",
            markerfacecolor="white",
            markeredgecolor=COLOURS["not-acted"],
            markeredgewidth=1.3,
            zorder=4,
            gid=_gid("not-acted", cell.row, cell.col),
        )
    if cell.filled_by:
        many = len(cell.filled_by) >= 2
        ax.plot(
            [x + 0.33],
            [y - 0.33],
            marker="D",
            markersize=8.5 if many else 6,
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
                fontsize=6,
                color="white",
                zorder=5,
                fontweight="bold",
            )
