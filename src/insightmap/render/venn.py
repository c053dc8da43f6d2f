"""Draw an insight map (three-circle Venn of perspectives) as SVG or PNG, plus its text alternatives.

Layout. The circles come from matplotlib-venn's equal-area layout, so every one
of the 7 regions has the same area however the insights are spread: the picture
shows *where* insights are by the numbers and markers, not by distorted areas,
and even the centre region has room for markers. Inside each region we lay out
a heading (the count, zeros included) and one labelled marker per
sub-population on horizontal rows: each row is cut to the part of the band that
lies inside the region (with a margin), items are packed left to right and the
rows nearest the region's centre are used first. When a region is crowded the
fonts and markers shrink step by step; when even the smallest size does not fit,
the smallest sub-populations are folded into a "+N fler" line. Text never
overlaps because every item sits in its own measured box.

Markers. A marker's area is proportional to the number of insights. It is a
small pie: one wedge per organisation type (or organisation, with
`colour_by="organisation"`) sized by that group's share, in the Okabe–Ito
colour-blind-safe palette with one fixed colour per organisation type in the
vocabulary's order. Colouring by organisation uses Okabe–Ito and then Paul
Tol's muted palette (also colour-blind safe), organisations in key order.

Links. Each region's patch, count and markers link to `link(region_key)` (no
link when it returns None, e.g. for empty regions). The region group's id is
`<id_prefix>region-<region slug>`; every id in the SVG carries the prefix so that
two inlined maps on one page do not collide. Links open in the same tab.
"""

from __future__ import annotations

import hashlib
import io
import math
import re
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from insightmap import glossary
from insightmap.analyse.venn import REGIONS, VennMap, region_label, region_slug
from insightmap.records import Corpus

if TYPE_CHECKING:
    from matplotlib.figure import Figure

#: Okabe & Ito (2008), ordered so the common types (municipality, city district, civil society,
#: region) get colours far apart; indexed by the organisation-type vocabulary's order.
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#F0E442", "#56B4E9", "#000000")
#: Paul Tol's muted palette, used after Okabe–Ito when colouring by organisation.
TOL_MUTED = (
    "#332288",
    "#882255",
    "#999933",
    "#DDCC77",
    "#CC6677",
    "#AA4499",
    "#117733",
    "#44AA99",
    "#88CCEE",
)  # the ones least like an Okabe–Ito colour first
OTHER_COLOUR = "#BBBBBB"
#: matplotlib-venn's subset ids for our region keys (A = active-client, B = risk-group, C = general-public).
VENN_IDS = dict(zip(REGIONS, ("100", "010", "001", "110", "101", "011", "111"), strict=True))
REGION_FILL = {1: "#F7F7F7", 2: "#EBEBEB", 3: "#DEDEDE"}
FIG_WIDTH = 10.0  # inches; PNG at 150 dpi is 1500 px wide
INCH_PER_UNIT = 6.8  # the circles' union (1.2 units wide) spans 8.2 of the 10 inches
Y_RANGE = (-0.71, 0.60)  # data units: circles plus their labels above and below
VENN_HEIGHT = (Y_RANGE[1] - Y_RANGE[0]) * INCH_PER_UNIT
SCALES = (1.0, 0.9, 0.8, 0.7, 0.62)  # font and marker shrink steps for crowded regions
LABEL_WRAP = 18
#: The legend's title for each way of colouring (glossary keys).
LEGEND_TITLES = {"organisation-type": "who_behind_type", "organisation": "who_behind_organisation"}


def palette(vmap: VennMap, corpus: Corpus) -> dict[str, str]:
    """Return the colour of each colour key on the map (organisation types keep fixed colours)."""
    if vmap.colour_by == "organisation-type":
        types = corpus.vocabulary.keys("organisation-type")
        colours = {t: OKABE_ITO[i] if i < len(OKABE_ITO) else OTHER_COLOUR for i, t in enumerate(types)}
        return {k: colours.get(k, OTHER_COLOUR) for k in vmap.colour_keys()}
    pool = (*OKABE_ITO, *TOL_MUTED)
    return {k: pool[i] if i < len(pool) else OTHER_COLOUR for i, k in enumerate(vmap.colour_keys())}


def colour_label(vmap: VennMap, corpus: Corpus, key: str, language: str) -> str:
    """Return the legend label of a colour key."""
    if vmap.colour_by == "organisation-type":
        return corpus.vocabulary.label("organisation-type", key, language)
    return corpus.organisation(key).name


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
    import matplotlib

    if fmt not in ("svg", "png"):
        raise ValueError(f"fmt must be svg or png, not {fmt!r}")
    lang = language or corpus.language
    title = title or glossary.words(lang)["Insight_map"]
    with matplotlib.rc_context(_RC):  # type: ignore[arg-type]
        fig = build_figure(vmap, corpus, link=link, title=title, subtitle=subtitle, language=lang)
        out: io.BytesIO | io.StringIO
        try:
            if fmt == "png":
                out = io.BytesIO()
                fig.savefig(out, format="png", dpi=dpi, metadata={"Software": None})
                return out.getvalue()
            out = io.StringIO()
            fig.savefig(out, format="svg", metadata={"Date": None})
        finally:
            _close(fig)
    prefix = id_prefix if id_prefix is not None else default_prefix(vmap, title)
    return _finish_svg(out.getvalue(), vmap, corpus, prefix, alt_text(vmap, corpus, lang), lang)


_RC: dict[str, Any] = {
    "svg.fonttype": "none",
    "svg.hashsalt": "insightmap",
    "font.family": "DejaVu Sans",
    "figure.facecolor": "white",
}


def default_prefix(vmap: VennMap, title: str) -> str:
    """Return a stable id prefix for a map, derived from its title and selection."""
    seed = repr((title, vmap.selection.to_dict() if vmap.selection else {}, vmap.colour_by))
    return "imap-" + hashlib.sha1(seed.encode("utf-8")).hexdigest()[:6] + "-"


def _close(fig: Figure) -> None:
    import matplotlib.pyplot as plt

    plt.close(fig)


@dataclass
class _Item:
    """One thing to place in a region: the count heading, a sub-population marker or `+N fler`."""

    text: str  # unwrapped
    size: float  # font size in points at scale 1
    weight: str = "normal"
    marker: float = 0.0  # marker radius in data units at scale 1 (0: no marker)
    wedges: tuple[tuple[str, int], ...] = ()
    colour: str = "#222222"
    suffix: str = ""  # kept on the last line when the text wraps, e.g. " (3)"

    def lines(self, wrap: int) -> str:
        """Return the text wrapped at wrap characters (0: one line) with the suffix."""
        return (_wrap(self.text, wrap) if wrap else self.text) + self.suffix


@dataclass
class _Placed:
    item: _Item
    x: float  # left edge of the item's box
    y: float  # centre line of its row
    scale: float
    wrap: int


class _Geometry:
    """The three circles in data units and the conversion between points and data units."""

    def __init__(self, centres: list[tuple[float, float]], radius: float, scale: float) -> None:
        self.centres = centres
        self.radius = radius
        self.inch = scale  # inches per data unit

    def pt(self, points: float) -> float:
        """Return a length in points as data units."""
        return points / 72.0 / self.inch

    def inside(self, key: str, xs: Any, ys: Any, margin: float) -> Any:
        """Return a boolean array: which points lie in the region, at least margin from its edges."""
        import numpy as np

        members = set(key.split("+"))
        ok = np.ones(np.shape(xs), dtype=bool)
        for perspective, (cx, cy) in zip(REGIONS[:3], self.centres, strict=True):
            dist = np.hypot(xs - cx, ys - cy)
            ok &= dist <= self.radius - margin if perspective in members else dist >= self.radius + margin
        return ok


def build_figure(
    vmap: VennMap,
    corpus: Corpus,
    link: Callable[[str], str | None] | None = None,
    title: str | None = None,
    subtitle: str | None = None,
    language: str | None = None,
) -> Figure:
    """Build the matplotlib figure of a map (callers save or inspect it, then close it)."""
    import matplotlib.pyplot as plt
    from matplotlib.patches import Circle
    from matplotlib_venn import venn3
    from matplotlib_venn.layout.venn3 import DefaultLayoutAlgorithm

    lang = language or corpus.language
    words = glossary.words(lang)
    colours = palette(vmap, corpus)
    legend_rows = math.ceil(len(colours) / 3) if colours else 0
    legend_height = 0.75 + 0.24 * legend_rows
    head_height = 1.0
    height = head_height + VENN_HEIGHT + legend_height
    fig = plt.figure(figsize=(FIG_WIDTH, height))
    ax = fig.add_axes((0.0, legend_height / height, 1.0, VENN_HEIGHT / height))
    ax.set_axis_off()

    sizes = (1,) * 7
    diagram = venn3(
        sizes, set_labels=None, ax=ax, layout_algorithm=DefaultLayoutAlgorithm(fixed_subset_sizes=sizes)
    )
    for venn_id in VENN_IDS.values():
        label = diagram.get_label_by_id(venn_id)
        if label is not None:
            label.set_visible(False)
    centres = [(float(c.x), float(c.y)) for c in diagram.centers]
    radius = float(diagram.radii[0])
    # Fix the data → inch scale ourselves so that measured text sizes convert exactly.
    inch = INCH_PER_UNIT
    ax.set_xlim(-FIG_WIDTH / inch / 2, FIG_WIDTH / inch / 2)
    ax.set_ylim(*Y_RANGE)
    geometry = _Geometry(centres, radius, inch)

    links = {key: (link(key) if link and vmap.regions[key].count else None) for key in REGIONS}
    for key in REGIONS:
        patch = diagram.get_patch_by_id(VENN_IDS[key])
        if patch is None:
            continue
        patch.set_facecolor(REGION_FILL[len(key.split("+"))])
        patch.set_edgecolor("none")
        patch.set_alpha(1.0)
        patch.set_gid(f"region-{region_slug(key)}")
        if links[key]:
            patch.set_url(links[key])
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    for (cx, cy), perspective in zip(centres, REGIONS[:3], strict=True):
        ax.add_patch(Circle((cx, cy), radius, fill=False, edgecolor="#555555", linewidth=1.6))
        _circle_label(ax, perspective, geometry, renderer, fig.dpi, corpus, lang)
    max_count = max((n for r in vmap.regions.values() for n in r.subpopulations.values()), default=1)
    fitter = _Fitter(geometry, renderer, fig.dpi)
    items = {key: _items(vmap, corpus, key, colours, max_count, geometry, lang) for key in REGIONS}
    for key, placed in _layout_all(items, fitter, words["more"]).items():
        _draw_items(ax, placed, geometry, links[key], key)

    fig.text(
        0.5,
        1 - 0.38 / height,
        title or words["Insight_map"],
        ha="center",
        va="center",
        fontsize=17,
        fontweight="bold",
        color="#111111",
    )
    total = vmap.total
    count_text = f"{total} {words['insight'] if total == 1 else words['insights']}"
    everything = vmap.selection is None or vmap.selection.is_everything()
    selection = "" if everything else vmap.selection.describe(corpus, lang)  # type: ignore[union-attr]
    if selection == title:
        selection = ""  # an organisation's map is titled with its name already
    sub = subtitle if subtitle is not None else " · ".join(p for p in (selection, count_text) if p)
    fig.text(0.5, 1 - 0.78 / height, _wrap(sub, 110), ha="center", va="center", fontsize=11, color="#333333")
    _legend(fig, vmap, corpus, colours, legend_height, height, lang)
    return fig


def _circle_label(
    ax: Any, perspective: str, geometry: _Geometry, renderer: Any, dpi: float, corpus: Corpus, lang: str
) -> None:
    """Label a circle outside it: the upper two at their outer shoulders, the lower one below."""
    index = REGIONS.index(perspective)
    (cx, cy), radius = geometry.centres[index], geometry.radius
    label = corpus.vocabulary.label("perspective", perspective, lang, long=True)
    text = _wrap(label, 30 if index == 2 else 16)
    size = 12.5
    if index == 2:
        ax.text(
            cx,
            cy - radius - 0.012,
            text,
            ha="center",
            va="top",
            fontsize=size,
            fontweight="bold",
            color="#222222",
            multialignment="center",
        )
        return
    width = geometry.pt(_text_size(renderer, text, size, "bold", dpi)[0])
    side = -1 if index == 0 else 1
    edge = FIG_WIDTH / geometry.inch / 2 - geometry.pt(6)  # keep clear of the figure's edge
    angle = math.radians(140 if index == 0 else 40)
    x = cx + radius * math.cos(angle)
    # Move the label inwards when it would leave the figure, then lift it clear of the circle.
    x = max(x, -edge + width) if side < 0 else min(x, edge - width)
    near = min(abs(x - cx), radius)
    y = cy + math.sqrt(radius**2 - near**2) + geometry.pt(4)
    ax.text(
        x,
        y,
        text,
        ha="right" if side < 0 else "left",
        va="bottom",
        fontsize=size,
        fontweight="bold",
        color="#222222",
        multialignment="right" if side < 0 else "left",
    )


def _items(
    vmap: VennMap,
    corpus: Corpus,
    key: str,
    colours: dict[str, str],
    max_count: int,
    geometry: _Geometry,
    lang: str,
) -> list[_Item]:
    region = vmap.regions[key]
    items = [_Item(str(region.count), 17, "bold", colour="#111111" if region.count else "#999999")]
    biggest = geometry.pt(11)
    for sub, n in region.subpopulations.items():
        label = corpus.vocabulary.label("subpopulation", sub, lang)
        radius = biggest * max(math.sqrt(n / max_count), 0.4)
        wedges = tuple((colours.get(c, OTHER_COLOUR), k) for c, k in region.colours.get(sub, {}).items())
        items.append(_Item(label, 9.5, marker=radius, wedges=wedges, suffix=f" ({n})"))
    return items


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, width, break_long_words=False)) or text


def _text_size(renderer: Any, text: str, size: float, weight: str, dpi: float) -> tuple[float, float]:
    """Return (width, height) of a text in points."""
    from matplotlib.font_manager import FontProperties

    prop = FontProperties(family="DejaVu Sans", size=size, weight=weight)
    lines = text.split("\n")
    width = max(renderer.get_text_width_height_descent(line, prop, ismath=False)[0] for line in lines)
    return width * 72.0 / dpi, size * 1.2 * len(lines)


def _layout_all(items: dict[str, list[_Item]], fitter: _Fitter, more: str) -> dict[str, list[_Placed]]:
    """Place every region's items at one common scale; crowded regions shrink further, then fold."""
    common = len(COMMON_SCALES) - 1
    for key, region_items in items.items():
        while common > 0 and fitter.fit(key, region_items, COMMON_SCALES[common]) is None:
            common -= 1
    # `common` is now the largest of COMMON_SCALES that every region fits (or the smallest).
    return {key: _layout(key, region_items, fitter, more, common) for key, region_items in items.items()}


COMMON_SCALES = (0.8, 0.9, 1.0)  # checked from largest (index 2) down


def _layout(key: str, items: list[_Item], fitter: _Fitter, more: str, common: int) -> list[_Placed]:
    """Place the items at the common scale or smaller; fold the smallest sub-populations if needed."""
    start = SCALES.index(COMMON_SCALES[common])
    for scale in SCALES[start:]:
        placed = fitter.fit(key, items, scale)
        if placed is not None:
            return placed
    scale = SCALES[-1]
    for keep in range(len(items) - 2, 0, -1):
        fold = _Item(f"+{len(items) - keep} {more}", 9.5, "bold", colour="#333333")
        placed = fitter.fit(key, [*items[:keep], fold], scale)
        if placed is not None:
            return placed
    return fitter.fit(key, items[:1], scale) or []


class _Fitter:
    """Fit a region's items on rows inside the region, measuring text with the figure's renderer."""

    def __init__(self, geometry: _Geometry, renderer: Any, dpi: float) -> None:
        self.geometry = geometry
        self.renderer = renderer
        self.dpi = dpi
        # Every map has the same circles: share the geometry's rows and anchors across maps
        # (measured: the row scan was three quarters of drawing a map).
        shape = (tuple(geometry.centres), geometry.radius, geometry.inch)
        self._rows = _ROWS.setdefault(shape, {})
        self._anchors = _ANCHORS.setdefault(shape, {})

    def fit(self, key: str, items: list[_Item], scale: float) -> list[_Placed] | None:
        """Return the items placed at this scale (wrapped labels first, then one-line), or None."""
        best: list[_Placed] | None = None
        for wrap in (LABEL_WRAP, 0):
            placed = self._fit(key, items, scale, wrap)
            if placed is not None and (best is None or _spread(placed) < _spread(best)):
                best = placed
        return best

    def _fit(self, key: str, items: list[_Item], scale: float, wrap: int) -> list[_Placed] | None:
        g = self.geometry
        gap = g.pt(4 * scale)
        boxes: list[tuple[float, float]] = []  # (width, height) in data units
        for item in items:
            width, height = _text_size(
                self.renderer, item.lines(wrap), item.size * scale, item.weight, self.dpi
            )
            marker = item.marker * 2 * scale
            boxes.append((g.pt(width) + (marker + gap if item.marker else 0.0), max(g.pt(height), marker)))
        row_h = round(max(h for _, h in boxes) + g.pt(3 * scale), 4)
        anchor = self.anchor(key)
        best: list[_Placed] | None = None
        for offset in (0.0, 1 / 3, 2 / 3):
            rows = self.rows(key, row_h, offset)
            # Items sit farther from each other than a marker from its label, so pairs read as pairs.
            placed = _fill_rows(rows, items, boxes, gap * 3.5, anchor, scale, wrap)
            if placed is not None and (best is None or _spread(placed) < _spread(best)):
                best = placed
        return best

    def rows(self, key: str, row_h: float, offset: float) -> list[tuple[float, list[tuple[float, float]]]]:
        """Return the rows (centre y, x intervals) of height row_h that lie inside the region."""
        import numpy as np

        cache_key = (key, row_h, offset)
        if cache_key not in self._rows:
            g = self.geometry
            xs = np.linspace(-1.0, 1.0, 801)
            margin = g.pt(4)
            rows = []
            y = 1.0 - offset * row_h
            while y > -1.0:
                ok = np.ones_like(xs, dtype=bool)
                for dy in (-row_h / 2, 0.0, row_h / 2):
                    ok &= g.inside(key, xs, np.full_like(xs, y + dy), margin)
                intervals = _intervals(xs, ok, float(xs[1] - xs[0]))
                if intervals:
                    rows.append((y, intervals))
                y -= row_h
            self._rows[cache_key] = rows
        return self._rows[cache_key]

    def anchor(self, key: str) -> tuple[float, float]:
        """Return the region's visual centre: the mean of its well-inside grid points."""
        import numpy as np

        if key not in self._anchors:
            grid = np.linspace(-1.0, 1.0, 201)
            gx, gy = np.meshgrid(grid, grid)
            ok = self.geometry.inside(key, gx, gy, self.geometry.radius * 0.08)
            self._anchors[key] = (float(gx[ok].mean()), float(gy[ok].mean()))
        return self._anchors[key]


_ROWS: dict[Any, dict[tuple[str, float, float], list[tuple[float, list[tuple[float, float]]]]]] = {}
_ANCHORS: dict[Any, dict[str, tuple[float, float]]] = {}


def _spread(placed: list[_Placed]) -> float:
    ys = [p.y for p in placed]
    return max(ys) - min(ys)


def _intervals(xs: Any, ok: Any, step: float) -> list[tuple[float, float]]:
    """Return the runs of consecutive good samples as (left, right) x intervals."""
    import numpy as np

    padded = np.concatenate(([False], ok, [False])).astype(np.int8)
    edges = np.flatnonzero(np.diff(padded))
    runs = [(float(xs[a]), float(xs[b - 1])) for a, b in zip(edges[::2], edges[1::2], strict=True)]
    return [(a, b) for a, b in runs if b > a]


def _fill_rows(
    rows: list[tuple[float, list[tuple[float, float]]]],
    items: list[_Item],
    boxes: list[tuple[float, float]],
    gap: float,
    anchor: tuple[float, float],
    scale: float,
    wrap: int,
) -> list[_Placed] | None:
    """Use the rows nearest the anchor, fill them top to bottom; None when the items do not fit."""
    by_distance = sorted(range(len(rows)), key=lambda i: (abs(rows[i][0] - anchor[1]), i))
    for used in range(1, len(rows) + 1):
        chosen = sorted(by_distance[:used])
        placed = _pack([rows[i] for i in chosen], items, boxes, gap, anchor, scale, wrap)
        if placed is not None:
            return placed
    return None


def _pack(
    rows: list[tuple[float, list[tuple[float, float]]]],
    items: list[_Item],
    boxes: list[tuple[float, float]],
    gap: float,
    anchor: tuple[float, float],
    scale: float,
    wrap: int,
) -> list[_Placed] | None:
    placed: list[_Placed] = []
    index = 0
    for y, intervals in rows:
        # Prefer the interval nearest the anchor when a band is split (crescent regions).
        for left, right in sorted(intervals, key=lambda iv: abs((iv[0] + iv[1]) / 2 - anchor[0])):
            line: list[int] = []
            width = 0.0
            while index < len(items):
                extra = boxes[index][0] + (gap if line else 0.0)
                if width + extra > right - left:
                    break
                width += extra
                line.append(index)
                index += 1
            if not line:
                continue
            # Centre the line on the anchor where the interval allows it.
            x = min(max(anchor[0] - width / 2, left), right - width)
            for i in line:
                placed.append(_Placed(items[i], x, y, scale, wrap))
                x += boxes[i][0] + gap
        if index == len(items):
            return placed
    return None


def _draw_items(ax: Any, placed: list[_Placed], geometry: _Geometry, url: str | None, key: str) -> None:
    from matplotlib.patches import Circle, Wedge

    for p in placed:
        item = p.item
        x = p.x
        if item.marker:
            radius = item.marker * p.scale
            cx = x + radius
            total = sum(n for _, n in item.wedges) or 1
            start = 90.0
            for colour, n in item.wedges:
                sweep = 360.0 * n / total
                wedge = Wedge(
                    (cx, p.y),
                    radius,
                    start,
                    start + sweep,
                    facecolor=colour,
                    edgecolor="white" if len(item.wedges) > 1 else "#333333",
                    linewidth=0.6,
                    zorder=4,
                )
                if url:
                    wedge.set_url(url)
                ax.add_patch(wedge)
                start += sweep
            if len(item.wedges) > 1:
                ax.add_patch(
                    Circle((cx, p.y), radius, fill=False, edgecolor="#333333", linewidth=0.6, zorder=5)
                )
            x += 2 * radius + geometry.pt(4 * p.scale)
        text = ax.text(
            x,
            p.y,
            item.lines(p.wrap),
            ha="left",
            va="center",
            fontsize=item.size * p.scale,
            fontweight=item.weight,
            color=item.colour,
            zorder=6,
            linespacing=1.0,
        )
        text.set_gid(f"label-{region_slug(key)}")
        if url:
            text.set_url(url)


def _legend(
    fig: Figure,
    vmap: VennMap,
    corpus: Corpus,
    colours: dict[str, str],
    legend_height: float,
    height: float,
    lang: str,
) -> None:
    from matplotlib.lines import Line2D

    words = glossary.words(lang)
    if colours:
        handles = [
            Line2D(
                [],
                [],
                marker="o",
                linestyle="none",
                markersize=10,
                markerfacecolor=c,
                markeredgecolor="#333333",
                markeredgewidth=0.6,
                label=colour_label(vmap, corpus, k, lang),
            )
            for k, c in colours.items()
        ]
        fig.legend(
            handles=handles,
            loc="upper center",
            ncol=min(3, len(handles)),
            frameon=False,
            bbox_to_anchor=(0.5, (legend_height - 0.05) / height),
            fontsize=9.5,
            title=words[LEGEND_TITLES[vmap.colour_by]],
            title_fontproperties={"weight": "bold", "size": 10},
            columnspacing=2.0,
            handletextpad=0.4,
        )
    fig.text(
        0.5,
        0.16 / height,
        _wrap(words["marker_note"], 120),
        ha="center",
        va="center",
        fontsize=8.5,
        color="#444444",
    )


def _finish_svg(svg: str, vmap: VennMap, corpus: Corpus, prefix: str, alt: str, lang: str) -> str:
    """Prefix ids, open links in the same tab, add titles for screen readers and tooltips."""
    svg = svg.replace(' target="_blank"', "")
    svg = re.sub(r'\bid="([^"]+)"', lambda m: f'id="{prefix}{m.group(1)}"', svg)
    svg = re.sub(r"url\(#([^)]+)\)", lambda m: f"url(#{prefix}{m.group(1)})", svg)
    svg = re.sub(r'((?:xlink:)?href)="#([^"]+)"', lambda m: f'{m.group(1)}="#{prefix}{m.group(2)}"', svg)
    words = glossary.words(lang)
    for key in REGIONS:
        gid = f'id="{prefix}region-{region_slug(key)}"'
        count = vmap.regions[key].count
        noun = words["insight"] if count == 1 else words["insights"]
        tip = f"{region_label(key, corpus, lang)}: {count} {noun}"
        svg = svg.replace(f"<g {gid}>", f"<g {gid}>\n    <title>{escape(tip)}</title>", 1)
    svg = re.sub(
        r"(<svg [^>]*)>",
        lambda m: (
            f'{m.group(1)} role="img" aria-labelledby="{prefix}title">'
            f'\n <title id="{prefix}title">{escape(alt)}</title>'
        ),
        svg,
        count=1,
    )
    return svg


def svg_for_inline(svg: str) -> str:
    """Return the SVG without its XML declaration and DOCTYPE, ready to inline in HTML."""
    start = svg.find("<svg")
    return svg[start:] if start >= 0 else svg


def table_markdown(vmap: VennMap, corpus: Corpus, language: str | None = None) -> str:
    """Return the map's numbers as a Markdown table (region, count, sub-populations)."""
    from insightmap.sanitize import escape_markdown

    lang = language or corpus.language
    rows = [
        (
            escape_markdown(region_label(key, corpus, lang)),
            vmap.regions[key].count,
            ", ".join(
                f"{escape_markdown(corpus.vocabulary.label('subpopulation', s, lang))} ({n})"
                for s, n in vmap.regions[key].subpopulations.items()
            )
            or "–",
        )
        for key in REGIONS
    ]
    return _template("table.md.j2").render(rows=rows, words=glossary.words(lang), total=vmap.total)


def alt_text(vmap: VennMap, corpus: Corpus, language: str | None = None) -> str:
    """Return a one- or two-sentence description of the map for screen readers."""
    lang = language or corpus.language
    regions = sorted(
        (r for r in vmap.regions.values() if r.count), key=lambda r: (-r.count, REGIONS.index(r.key))
    )
    top = regions[0] if regions else None
    largest = None
    if top is not None:
        largest = {
            "label": region_label(top.key, corpus, lang),
            "count": top.count,
            "subpopulation": (
                corpus.vocabulary.label("subpopulation", next(iter(top.subpopulations)), lang)
                if top.subpopulations
                else None
            ),
        }
    empty = [region_label(k, corpus, lang) for k in REGIONS if not vmap.regions[k].count]
    selection = (
        ""
        if vmap.selection is None or vmap.selection.is_everything()
        else vmap.selection.describe(corpus, lang)
    )
    text = _template("alt.txt.j2").render(
        lang=lang, total=vmap.total, largest=largest, empty=len(empty), selection=selection
    )
    return " ".join(text.split())


def _template(name: str) -> Any:
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(
        loader=PackageLoader("insightmap", "templates/map"),
        autoescape=False,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )
    return env.get_template(name)
