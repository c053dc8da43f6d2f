"""Draw an insight map (three-circle Venn of perspectives) as SVG or PNG.

Layout. The circles come from matplotlib-venn's equal-area layout, so every one
of the 7 regions has the same area however the insights are spread: the picture
shows *where* insights are by the numbers and markers, not by distorted areas,
and even the centre region has room for markers. The counts and labelled
markers inside each region are placed by the packing engine (`packing.py`).

Markers. A marker's area is proportional to the number of insights. It is a
small pie: one wedge per organisation type (or organisation, with
`colour_by="organisation"`) sized by that group's share, in the colours of
`palette.py`.

Links. Each region's patch, count and markers link to `link(region_key)` (no
link when it returns None, e.g. for empty regions). The region group's id is
`<id_prefix>region-<region slug>`; every id in the SVG carries the prefix so that
two inlined maps on one page do not collide. Links open in the same tab.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from insightmap import glossary
from insightmap.analyse.regions import REGIONS, region_label, region_perspectives
from insightmap.analyse.venn import VennMap, region_slug
from insightmap.load.vocabulary import PERSPECTIVES
from insightmap.records import Corpus
from insightmap.render.charts import FORMATS, chart_style, save_figure
from insightmap.render.svg import finish_svg
from insightmap.render.venn.packing import Fitter, Geometry, Item, Placed, layout_all, text_size, wrap_text
from insightmap.render.venn.palette import OTHER_COLOUR, colour_label, others, palette
from insightmap.render.venn.text import alt_text

if TYPE_CHECKING:
    from matplotlib.figure import Figure

#: matplotlib-venn's subset ids for our region keys: one digit per circle (A, B, C), 1 = inside.
VENN_IDS = {
    key: "".join("1" if p in region_perspectives(key) else "0" for p in PERSPECTIVES) for key in REGIONS
}
REGION_FILL = {1: "#F7F7F7", 2: "#EBEBEB", 3: "#DEDEDE"}
FIG_WIDTH = 10.0  # inches; PNG at 150 dpi is 1500 px wide
INCH_PER_UNIT = 6.8  # the circles' union (1.2 units wide) spans 8.2 of the 10 inches
Y_RANGE = (-0.71, 0.60)  # data units: circles plus their labels above and below
VENN_HEIGHT = (Y_RANGE[1] - Y_RANGE[0]) * INCH_PER_UNIT
#: The legend's title for each way of colouring (glossary keys).
LEGEND_TITLES = {"organisation-type": "who_behind_type", "organisation": "who_behind_organisation"}


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
    with chart_style({"figure.facecolor": "white"}):
        fig = build_figure(vmap, corpus, link=link, title=title, subtitle=subtitle, language=lang)
        drawn = save_figure(fig, fmt, dpi)
    if isinstance(drawn, bytes):
        return drawn
    prefix = id_prefix if id_prefix is not None else default_prefix(vmap, title)
    # A tooltip per region, for screen readers and the mouse: `Riskgrupp: 3 insikter`.
    titles = {
        f"region-{region_slug(key)}": f"{region_label(key, corpus, lang)}: "
        f"{_insights(vmap.regions[key].count, lang)}"
        for key in REGIONS
    }
    return finish_svg(drawn, prefix, alt_text(vmap, corpus, lang), titles)


def default_prefix(vmap: VennMap, title: str) -> str:
    """Return a stable id prefix for a map, derived from its title and selection."""
    seed = repr((title, vmap.selection.to_dict() if vmap.selection else {}, vmap.colour_by))
    return "imap-" + hashlib.sha1(seed.encode("utf-8")).hexdigest()[:6] + "-"


def _insights(count: int, lang: str) -> str:
    """Return `1 insikt`, `3 insikter`."""
    words = glossary.words(lang)
    return f"{count} {words['insight'] if count == 1 else words['insights']}"


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
    grouped = others(vmap)
    entries = len(colours) - len(grouped) + (1 if grouped else 0)
    legend_rows = math.ceil(entries / 3) if colours else 0
    legend_height = 0.75 + 0.24 * legend_rows + (0.2 * len(_others_lines(vmap, corpus, lang)))
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
    geometry = Geometry(centres, radius, inch)

    links = {key: (link(key) if link and vmap.regions[key].count else None) for key in REGIONS}
    for key in REGIONS:
        patch = diagram.get_patch_by_id(VENN_IDS[key])
        if patch is None:
            continue
        patch.set_facecolor(REGION_FILL[len(region_perspectives(key))])
        patch.set_edgecolor("none")
        patch.set_alpha(1.0)
        patch.set_gid(f"region-{region_slug(key)}")
        if links[key]:
            patch.set_url(links[key])
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    for (cx, cy), perspective in zip(centres, PERSPECTIVES, strict=True):
        ax.add_patch(Circle((cx, cy), radius, fill=False, edgecolor="#555555", linewidth=1.6))
        _circle_label(ax, perspective, geometry, renderer, fig.dpi, corpus, lang)
    max_count = max((n for r in vmap.regions.values() for n in r.subpopulations.values()), default=1)
    fitter = Fitter(geometry, renderer, fig.dpi)
    items = {key: _items(vmap, corpus, key, colours, max_count, geometry, lang) for key in REGIONS}
    for key, placed in layout_all(items, fitter, words["more"]).items():
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
    count_text = _insights(vmap.total, lang)
    everything = vmap.selection is None or vmap.selection.is_everything()
    selection = "" if everything else vmap.selection.describe(corpus, lang)  # type: ignore[union-attr]
    if selection == title:
        selection = ""  # an organisation's map is titled with its name already
    sub = subtitle if subtitle is not None else " · ".join(p for p in (selection, count_text) if p)
    fig.text(
        0.5, 1 - 0.78 / height, wrap_text(sub, 110), ha="center", va="center", fontsize=11, color="#333333"
    )
    _legend(fig, vmap, corpus, colours, legend_height, height, lang)
    return fig


def _circle_label(
    ax: Any, perspective: str, geometry: Geometry, renderer: Any, dpi: float, corpus: Corpus, lang: str
) -> None:
    """Label a circle outside it: the upper two at their outer shoulders, the lower one below."""
    index = PERSPECTIVES.index(perspective)
    (cx, cy), radius = geometry.centres[index], geometry.radius
    label = corpus.vocabulary.label("perspective", perspective, lang, long=True)
    text = wrap_text(label, 30 if index == 2 else 16)
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
    width = geometry.pt(text_size(renderer, text, size, "bold", dpi)[0])
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
    geometry: Geometry,
    lang: str,
) -> list[Item]:
    region = vmap.regions[key]
    items = [Item(str(region.count), 17, "bold", colour="#111111" if region.count else "#999999")]
    biggest = geometry.pt(11)
    for sub, n in region.subpopulations.items():
        label = corpus.vocabulary.label("subpopulation", sub, lang)
        radius = biggest * max(math.sqrt(n / max_count), 0.4)
        # Organisations that share a colour ("Övriga") share one wedge.
        by_colour: dict[str, int] = {}
        for c, k in region.colours.get(sub, {}).items():
            colour = colours.get(c, OTHER_COLOUR)
            by_colour[colour] = by_colour.get(colour, 0) + k
        wedges = tuple(by_colour.items())
        items.append(Item(label, 9.5, marker=radius, wedges=wedges, suffix=f" ({n})"))
    return items


def _draw_items(ax: Any, placed: list[Placed], geometry: Geometry, url: str | None, key: str) -> None:
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
    grouped = others(vmap)
    entries = {colour_label(vmap, corpus, k, lang): c for k, c in colours.items() if k not in grouped}
    if grouped:
        entries[f"{words['Others']} ({len(grouped)})"] = OTHER_COLOUR
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
                label=label,
            )
            for label, c in entries.items()
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
    names = _others_lines(vmap, corpus, lang)
    if names:
        # The grouped organisations by name, under the legend: "Övriga (6): A, B, …".
        fig.text(0.5, (0.42 + 0.2 * len(names)) / height, "\n".join(names), ha="center", va="top", fontsize=9)
    fig.text(
        0.5,
        0.16 / height,
        wrap_text(words["marker_note"], 120),
        ha="center",
        va="center",
        fontsize=8.5,
        color="#444444",
    )


def _others_lines(vmap: VennMap, corpus: Corpus, lang: str) -> list[str]:
    """Return the lines naming the organisations grouped as "Övriga" (none when nothing is grouped)."""
    grouped = others(vmap)
    if not grouped:
        return []
    names = glossary.join([colour_label(vmap, corpus, k, lang) for k in grouped], lang)
    text = glossary.words(lang)["others_are"].format(n=len(grouped), names=names)
    return wrap_text(text, 130).split("\n")
