"""Draw an insight map (three-circle Venn of perspectives) as SVG or PNG.

The layout (`layout.py`) places everything once; SVG is written from it directly
(`svgmap.py`, no matplotlib: a site draws one map per organisation and map
definition), PNG is drawn from the same layout with matplotlib, so both show the
same picture.

Links. Each region's patch, count and markers link to `link(region_key)` (no
link when it returns None, e.g. for empty regions). The region group's id is
`<id_prefix>region-<region slug>`; every id in the SVG carries the prefix so that
two inlined maps on one page do not collide. Links open in the same tab.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable
from typing import TYPE_CHECKING

from insightmap import glossary
from insightmap.analyse.venn import VennMap
from insightmap.records import Corpus
from insightmap.render.charts import FORMATS, chart_style, save_figure
from insightmap.render.venn.layout import MapLayout, Marker, Text, compute_layout
from insightmap.render.venn.shapes import CENTRES, outlines, point, sweep
from insightmap.render.venn.svgmap import write_svg
from insightmap.render.venn.text import alt_text

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

#: matplotlib's names for SVG's text anchors.
HA = {"start": "left", "middle": "center", "end": "right"}


def draw_map(
    vmap: VennMap,
    corpus: Corpus,
    fmt: str = "svg",
    link: Callable[[str], str | None] | None = None,
    title: str | None = None,
    subtitle: str | None = None,
    id_prefix: str | None = None,
    language: str | None = None,
    dpi: int = 150,
) -> str | bytes:
    """Draw the map; return SVG text (fmt "svg") or PNG bytes (fmt "png")."""
    if fmt not in FORMATS:
        raise ValueError(f"fmt must be svg or png, not {fmt!r}")
    lang = language or corpus.language
    title = title or glossary.words(lang)["Insight_map"]
    layout = compute_layout(vmap, corpus, link=link, title=title, subtitle=subtitle, language=lang)
    if fmt == "png":
        with chart_style({"figure.facecolor": "white"}):
            return save_figure(_figure(layout), fmt, dpi)
    prefix = id_prefix if id_prefix is not None else default_prefix(vmap, title)
    return write_svg(layout, prefix, alt_text(vmap, corpus, lang))


def default_prefix(vmap: VennMap, title: str) -> str:
    """Return a stable id prefix for a map, derived from its title and selection."""
    seed = repr((title, vmap.selection.to_dict() if vmap.selection else {}, vmap.colour_by))
    return "imap-" + hashlib.sha1(seed.encode("utf-8")).hexdigest()[:6] + "-"


def build_figure(
    vmap: VennMap,
    corpus: Corpus,
    title: str | None = None,
    subtitle: str | None = None,
    language: str | None = None,
) -> Figure:
    """Build the matplotlib figure of a map as in the PNG (callers save or inspect it, then close it)."""
    return _figure(compute_layout(vmap, corpus, title=title, subtitle=subtitle, language=language))


def _figure(layout: MapLayout) -> Figure:
    """Draw a layout with matplotlib, on axes in the layout's points (y down)."""
    import matplotlib.pyplot as plt
    from matplotlib.patches import Circle, Polygon

    fig = plt.figure(figsize=(layout.width / 72, layout.height / 72))
    ax = fig.add_axes((0.0, 0.0, 1.0, 1.0))
    ax.set_axis_off()
    ax.set_xlim(0, layout.width)
    ax.set_ylim(layout.height, 0)
    for region in layout.regions:
        points = [layout.xy(*p) for p in _outline_points(region.key)]
        ax.add_patch(Polygon(points, closed=True, facecolor=region.fill, edgecolor="none", gid=region.key))
    for cx, cy in CENTRES:
        circle = Circle(layout.xy(cx, cy), layout.radius, fill=False, edgecolor="#555555", linewidth=1.6)
        ax.add_patch(circle)
    texts = [*layout.circle_labels, *layout.texts]
    for region in layout.regions:
        for marker in region.markers:
            _marker(ax, marker)
        texts += region.texts
    for marker in layout.legend:
        _marker(ax, marker)
    for n, text in enumerate(texts):
        _text(ax, text, f"text-{n}")
    return fig


def _outline_points(key: str) -> list[tuple[float, float]]:
    """Return a region's outline as points in data units, every arc in steps of at most a degree."""
    points = []
    for arc in outlines()[key]:
        steps = max(2, math.ceil(math.degrees(sweep(arc))))
        turn = sweep(arc) if arc[3] else -sweep(arc)
        points += [point(arc[0], arc[1] + turn * i / steps) for i in range(steps)]
    return points


def _marker(ax: Axes, marker: Marker) -> None:
    from matplotlib.patches import Circle, Wedge

    centre = (marker.x, marker.y)
    if len(marker.wedges) <= 1:
        colour = marker.wedges[0][0] if marker.wedges else "#ffffff"
        ax.add_patch(
            Circle(centre, marker.radius, facecolor=colour, edgecolor="#333333", linewidth=0.6, zorder=4)
        )
        return
    total = sum(n for _, n in marker.wedges) or 1
    start = 90.0
    for colour, n in marker.wedges:
        turn = 360.0 * n / total
        # The axes' y points down, so counter-clockwise on the page is clockwise in its angles.
        wedge = Wedge(centre, marker.radius, -start - turn, -start, facecolor=colour, edgecolor="white")
        wedge.set(linewidth=0.6, zorder=4)
        ax.add_patch(wedge)
        start += turn
    ax.add_patch(Circle(centre, marker.radius, fill=False, edgecolor="#333333", linewidth=0.6, zorder=5))


def _text(ax: Axes, text: Text, gid: str) -> None:
    """Draw a text block line by line, each line a Text whose gid names the block."""
    for y, line in text.baselines():
        ax.text(
            text.x,
            y,
            line,
            ha=HA[text.anchor],
            va="baseline",
            fontsize=text.size,
            fontweight=text.weight,
            color=text.colour,
            zorder=6,
            gid=gid,
        )
