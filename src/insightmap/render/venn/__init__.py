"""The insight map drawn: the figure, its label packing, its colours and its text alternatives.

`layout.py` places everything (circles from `shapes.py`, counts and markers by
`packing.py`, text measured by `metrics.py`, colours from `palette.py`);
`figure.py` draws it: SVG written directly by `svgmap.py` (no matplotlib), PNG
with matplotlib. `text.py` gives the Markdown table and the alt text. Import the
public functions from here.
"""

from __future__ import annotations

from insightmap.render.svg import svg_for_inline
from insightmap.render.venn.figure import build_figure, default_prefix, draw_map
from insightmap.render.venn.palette import colour_label, palette
from insightmap.render.venn.text import alt_text, table_markdown

__all__ = [
    "alt_text",
    "build_figure",
    "colour_label",
    "default_prefix",
    "draw_map",
    "palette",
    "svg_for_inline",  # site/generate.py imports it from here; its home is render/svg.py
    "table_markdown",
]
