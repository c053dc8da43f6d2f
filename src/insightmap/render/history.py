"""The history chart and table: insights, actions, empty white-spot cells and waiting insights per month.

A matplotlib line chart with the reproducible settings every chart shares
(render/charts.py), and a Markdown or CSV table; words from the glossary.
"""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

from insightmap import glossary

if TYPE_CHECKING:
    from insightmap.review.history import History

#: The series shown, as (Month attribute, glossary key, colour, line style).
SERIES = (
    ("insights", "Insights", "#1f5f8b", "-"),
    ("actions", "Actions", "#2e7d32", "-"),
    ("empty_cells", "Empty_cells", "#9e9e9e", "--"),
    ("waiting", "Waiting", "#c75b12", ":"),
)
CSV_COLUMNS = ("month", "commit", "insights", "actions", "acted_on", "empty_cells", "waiting", "problems")


def render(history: History, kind: str, language: str = "sv") -> str | bytes:
    """Return the history as `svg`/`png` (the chart), `json`, `csv`, `markdown` or `table` (plain text)."""
    if kind in ("svg", "png"):
        return draw_history_chart(history, kind, language)
    if kind == "json":
        import json

        return json.dumps(history.to_dict(), ensure_ascii=False, indent=2) + "\n"
    if kind == "csv":
        return to_csv(history)
    if kind == "markdown":
        return to_markdown(history, language)
    return to_text(history, language)


def to_text(history: History, language: str = "sv") -> str:
    """Return the months as a plain-text table."""
    w = glossary.words(language)
    head = (w.Month, w.Insights, w.Actions, w.Empty_cells, w.Waiting)
    widths = [max(len(h), 7) for h in head]
    lines = ["  ".join(h.ljust(n) for h, n in zip(head, widths, strict=True)).rstrip()]
    for m in history.months:
        values = (m.month, m.insights, m.actions, m.empty_cells, m.waiting)
        lines.append("  ".join(str(v).ljust(n) for v, n in zip(values, widths, strict=True)).rstrip())
    return "\n".join(lines) + "\n"


def to_csv(history: History) -> str:
    """Return the months as CSV (keys as headers)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for month in history.months:
        data = month.to_dict()
        writer.writerow(["" if data[c] is None else data[c] for c in CSV_COLUMNS])
    return out.getvalue()


def to_markdown(history: History, language: str = "sv") -> str:
    """Return the months as a Markdown table in the language, with the notes below it."""
    w = glossary.words(language)
    head = [w.Month, w.Insights, w.Actions, w.Empty_cells, w.Waiting]
    lines = ["| " + " | ".join(head) + " |", "|---|" + "---:|" * (len(head) - 1)]
    for m in history.months:
        lines.append(f"| {m.month} | {m.insights} | {m.actions} | {m.empty_cells} | {m.waiting} |")
    lines += [f"\n> {note}" for note in history.notes]
    return "\n".join(lines) + "\n"


def draw_history_chart(history: History, fmt: str = "svg", language: str = "sv") -> str | bytes:
    """Draw the monthly series as a line chart (SVG text or PNG bytes)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from insightmap.render.charts import chart_style, save_figure

    w = glossary.words(language)
    months = [m.month for m in history.months]
    with chart_style():
        fig, ax = plt.subplots(figsize=(8, 4))
        for attribute, key, colour, style in SERIES:
            values = [getattr(m, attribute) for m in history.months]
            ax.plot(range(len(months)), values, label=w[key], color=colour, linestyle=style, linewidth=2)
        step = max(1, len(months) // 12)
        ax.set_xticks(range(0, len(months), step))
        ax.set_xticklabels(months[::step], rotation=45, ha="right", fontsize=8)
        ax.set_ylim(bottom=0)
        ax.set_title(w.History_chart_title, fontsize=11, loc="left")
        ax.grid(axis="y", color="#e0e0e0")
        ax.spines[["top", "right"]].set_visible(False)
        ax.legend(frameon=False, fontsize=8, loc="upper left")
        fig.tight_layout()
        return save_figure(fig, fmt)
