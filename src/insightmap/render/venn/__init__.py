"""The insight map drawn: the figure, its label packing, its colours and its text alternatives.

`figure.py` draws the map (SVG or PNG), `packing.py` places the counts and
markers inside the regions, `palette.py` colours them, `text.py` gives the
Markdown table and the alt text. Import the public functions from here.
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
