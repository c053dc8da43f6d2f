"""A white-spot report rendered: tables (terminal, Markdown, CSV, JSON), the chart and the summary.

Every renderer takes the same `GapReport`. `labels.py` names things, `layout.py`
decides which dimension runs down the side, `tables.py`, `terminal.py`, `chart.py` and
`summary.py` render. Import the public functions from here.
"""

from __future__ import annotations

from insightmap.render.gaps.chart import draw_gap_chart
from insightmap.render.gaps.labels import axis_label, cell_label, counted_note, dimension_name
from insightmap.render.gaps.layout import Layout, layout
from insightmap.render.gaps.summary import perspective_pattern, summarise, summary_facts
from insightmap.render.gaps.tables import cell_text, legend, md_escape, to_csv, to_json, to_markdown
from insightmap.render.gaps.terminal import to_table

__all__ = [
    "Layout",
    "axis_label",
    "cell_label",
    "cell_text",
    "counted_note",
    "dimension_name",
    "draw_gap_chart",
    "layout",
    "legend",
    "md_escape",
    "perspective_pattern",
    "summarise",
    "summary_facts",
    "to_csv",
    "to_json",
    "to_markdown",
    "to_table",
]
