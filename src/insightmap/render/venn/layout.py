"""Where everything on an insight map goes, computed once and drawn by either writer (SVG or PNG).

Layout. The circles are matplotlib-venn's equal-area layout (`shapes.py`), so every
one of the 7 regions has the same area however the insights are spread: the picture
shows *where* insights are by the numbers and markers, not by distorted areas, and
even the centre region has room for markers. The counts and labelled markers inside
each region are placed by the packing engine (`packing.py`), with text widths from
the font's glyph advances (`metrics.py`).

Markers. A marker's area is proportional to the number of insights. It is a small
pie: one wedge per organisation type (or organisation, with
`colour_by="organisation"`) sized by that group's share, in the colours of `palette.py`.

Everything is in points from the picture's top left corner (y down, as in SVG);
text is given line by line with the baseline of each line.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

from insightmap import glossary
from insightmap.analyse.regions import REGIONS, region_label, region_perspectives
from insightmap.analyse.venn import VennMap
from insightmap.load.vocabulary import PERSPECTIVES
from insightmap.records import Corpus
from insightmap.render.venn.metrics import ASCENT, DESCENT, line_width
from insightmap.render.venn.packing import Fitter, Geometry, Item, Placed, layout_all, wrap_text
from insightmap.render.venn.palette import OTHER_COLOUR, colour_label, others, palette
from insightmap.render.venn.shapes import CENTRES, RADIUS

REGION_FILL = {1: "#F7F7F7", 2: "#EBEBEB", 3: "#DEDEDE"}
FIG_WIDTH = 10.0  # inches; PNG at 150 dpi is 1500 px wide
INCH_PER_UNIT = 6.8  # the circles' union (1.2 units wide) spans 8.2 of the 10 inches
Y_RANGE = (-0.71, 0.60)  # data units: circles plus their labels above and below
VENN_HEIGHT = (Y_RANGE[1] - Y_RANGE[0]) * INCH_PER_UNIT
HEAD_HEIGHT = 1.0
#: The legend's title for each way of colouring (glossary keys).
LEGEND_TITLES = {"organisation-type": "who_behind_type", "organisation": "who_behind_organisation"}
LEGEND_SIZE = 9.5


@dataclass(frozen=True)
class Text:
    """A block of text: its lines, the baseline of the first, and how lines align on x."""

    x: float
    y: float
    lines: tuple[str, ...]
    size: float
    weight: str = "normal"
    colour: str = "#222222"
    anchor: str = "start"  # start, middle or end (SVG's text-anchor)
    pitch: float = 0.0  # distance between baselines

    def baselines(self) -> list[tuple[float, str]]:
        """Return (baseline y, line) for every line."""
        return [(self.y + i * self.pitch, line) for i, line in enumerate(self.lines)]


@dataclass(frozen=True)
class Marker:
    """A pie marker: wedges (colour, count) counter-clockwise from twelve o'clock; one wedge is a disc."""

    x: float
    y: float
    radius: float
    wedges: tuple[tuple[str, int], ...]


@dataclass
class Region:
    """A region of the map: its patch, its link and tooltip, and what sits in it."""

    key: str
    fill: str
    link: str | None
    tooltip: str
    markers: list[Marker] = field(default_factory=list)
    texts: list[Text] = field(default_factory=list)


@dataclass
class MapLayout:
    """The whole picture, ready to draw."""

    width: float
    height: float
    regions: list[Region]
    circle_labels: list[Text]
    texts: list[Text]  # titles, legend title and labels, notes
    legend: list[Marker]
    legend_labels: list[str]  # the legend's entries, in order (tests read them)

    def xy(self, x: float, y: float) -> tuple[float, float]:
        """Return a point in data units in the picture's points."""
        scale = INCH_PER_UNIT * 72
        return (x + FIG_WIDTH / INCH_PER_UNIT / 2) * scale, (HEAD_HEIGHT * 72) + (Y_RANGE[1] - y) * scale

    @property
    def radius(self) -> float:
        """Return the circles' radius in points."""
        return RADIUS * INCH_PER_UNIT * 72


def block(
    x: float,
    y: float,
    text: str,
    size: float,
    weight: str = "normal",
    colour: str = "#222222",
    anchor: str = "start",
    va: str = "center",
    spacing: float = 1.2,
) -> Text:
    """Return a text block placed like matplotlib's va (top, center, bottom) at y, in points."""
    lines = tuple(text.split("\n"))
    pitch = size * spacing
    tall = (ASCENT + DESCENT) * size + (len(lines) - 1) * pitch
    top = {"top": y, "center": y - tall / 2, "bottom": y - tall}[va]
    return Text(x, top + ASCENT * size, lines, size, weight, colour, anchor, pitch)


def insights_text(count: int, lang: str) -> str:
    """Return `1 insikt`, `3 insikter`."""
    words = glossary.words(lang)
    return f"{count} {words['insight'] if count == 1 else words['insights']}"


def compute_layout(
    vmap: VennMap,
    corpus: Corpus,
    link: Callable[[str], str | None] | None = None,
    title: str | None = None,
    subtitle: str | None = None,
    language: str | None = None,
) -> MapLayout:
    """Place every part of the map."""
    lang = language or corpus.language
    words = glossary.words(lang)
    colours = palette(vmap, corpus)
    grouped = others(vmap)
    entries = len(colours) - len(grouped) + (1 if grouped else 0)
    legend_rows = math.ceil(entries / 3) if colours else 0
    notes = _others_lines(vmap, corpus, lang)
    legend_height = 0.75 + 0.24 * legend_rows + 0.2 * len(notes)
    height = (HEAD_HEIGHT + VENN_HEIGHT + legend_height) * 72
    layout = MapLayout(FIG_WIDTH * 72, height, [], [], [], [], [])
    geometry = Geometry(list(CENTRES), RADIUS, INCH_PER_UNIT)

    for key in REGIONS:
        count = vmap.regions[key].count
        layout.regions.append(
            Region(
                key,
                REGION_FILL[len(region_perspectives(key))],
                link(key) if link and count else None,
                f"{region_label(key, corpus, lang)}: {insights_text(count, lang)}",
            )
        )
    for perspective in PERSPECTIVES:
        layout.circle_labels.append(_circle_label(layout, perspective, geometry, corpus, lang))
    max_count = max((n for r in vmap.regions.values() for n in r.subpopulations.values()), default=1)
    items = {key: _items(vmap, corpus, key, colours, max_count, geometry, lang) for key in REGIONS}
    placed = layout_all(items, Fitter(geometry), words["more"])
    for region in layout.regions:
        _place_items(layout, region, placed[region.key], geometry)

    middle = layout.width / 2
    layout.texts.append(
        block(middle, 0.38 * 72, title or words["Insight_map"], 17, "bold", "#111111", "middle")
    )
    count_text = insights_text(vmap.total, lang)
    everything = vmap.selection is None or vmap.selection.is_everything()
    selection = "" if everything else vmap.selection.describe(corpus, lang)  # type: ignore[union-attr]
    if selection == title:
        selection = ""  # an organisation's map is titled with its name already
    sub = subtitle if subtitle is not None else " · ".join(p for p in (selection, count_text) if p)
    layout.texts.append(block(middle, 0.78 * 72, wrap_text(sub, 110), 11, colour="#333333", anchor="middle"))
    _legend(layout, vmap, corpus, colours, height - (legend_height - 0.05) * 72, lang)
    if notes:
        # The grouped organisations by name, under the legend: "Övriga (6): A, B, …".
        top = height - (0.42 + 0.2 * len(notes)) * 72
        layout.texts.append(block(middle, top, "\n".join(notes), 9, anchor="middle", va="top"))
    note = wrap_text(words["marker_note"], 120)
    layout.texts.append(block(middle, height - 0.16 * 72, note, 8.5, colour="#444444", anchor="middle"))
    return layout


def _circle_label(layout: MapLayout, perspective: str, geometry: Geometry, corpus: Corpus, lang: str) -> Text:
    """Label a circle outside it: the upper two at their outer shoulders, the lower one below."""
    index = PERSPECTIVES.index(perspective)
    (cx, cy), radius = geometry.centres[index], geometry.radius
    label = corpus.vocabulary.label("perspective", perspective, lang, long=True)
    text = wrap_text(label, 30 if index == 2 else 16)
    size = 12.5
    if index == 2:
        x, y = layout.xy(cx, cy - radius - 0.012)
        return block(x, y, text, size, "bold", anchor="middle", va="top")
    width = geometry.pt(max(line_width(line, size, "bold") for line in text.split("\n")))
    side = -1 if index == 0 else 1
    edge = FIG_WIDTH / geometry.inch / 2 - geometry.pt(6)  # keep clear of the figure's edge
    angle = math.radians(140 if index == 0 else 40)
    x = cx + radius * math.cos(angle)
    # Move the label inwards when it would leave the figure, then lift it clear of the circle.
    x = max(x, -edge + width) if side < 0 else min(x, edge - width)
    near = min(abs(x - cx), radius)
    px, py = layout.xy(x, cy + math.sqrt(radius**2 - near**2) + geometry.pt(4))
    return block(px, py, text, size, "bold", anchor="end" if side < 0 else "start", va="bottom")


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
        items.append(Item(label, 9.5, marker=radius, wedges=tuple(by_colour.items()), suffix=f" ({n})"))
    return items


def _place_items(layout: MapLayout, region: Region, placed: list[Placed], geometry: Geometry) -> None:
    """Turn the packed items of a region into markers and text blocks."""
    for p in placed:
        item = p.item
        x = p.x
        if item.marker:
            radius = item.marker * p.scale
            mx, my = layout.xy(x + radius, p.y)
            region.markers.append(Marker(mx, my, radius * geometry.inch * 72, item.wedges))
            x += 2 * radius + geometry.pt(4 * p.scale)
        tx, ty = layout.xy(x, p.y)
        region.texts.append(
            block(tx, ty, item.lines(p.wrap), item.size * p.scale, item.weight, item.colour, spacing=1.0)
        )


def _legend(
    layout: MapLayout, vmap: VennMap, corpus: Corpus, colours: dict[str, str], top: float, lang: str
) -> None:
    """Lay out the legend under the circles as matplotlib does: its title, then entries column by column."""
    if not colours:
        return
    words = glossary.words(lang)
    grouped = others(vmap)
    entries = {colour_label(vmap, corpus, k, lang): c for k, c in colours.items() if k not in grouped}
    if grouped:
        entries[f"{words['Others']} ({len(grouped)})"] = OTHER_COLOUR
    size = LEGEND_SIZE
    middle = layout.width / 2
    title = words[LEGEND_TITLES[vmap.colour_by]]
    layout.texts.append(Text(middle, top + 17.4, (title,), 10, "bold", "#000000", "middle"))
    labels = list(entries)
    columns = min(3, len(labels))
    # Entries fill columns first, split as evenly as possible (numpy.array_split, as matplotlib does).
    counts = [len(labels) // columns + (1 if i < len(labels) % columns else 0) for i in range(columns)]
    starts = [sum(counts[:i]) for i in range(columns)]
    handle = 2.4 * size  # marker box and the gap after it
    widths = [
        handle + max(line_width(t, size) for t in labels[s : s + n])
        for s, n in zip(starts, counts, strict=True)
    ]
    left = middle - (sum(widths) + 2 * size * (columns - 1)) / 2
    for column, (s, n) in enumerate(zip(starts, counts, strict=True)):
        for row, label in enumerate(labels[s : s + n]):
            baseline = top + 17.4 + 14.37 + row * 1.5 * size
            layout.legend.append(Marker(left + size, baseline - 0.35 * size, 5.0, ((entries[label], 1),)))
            layout.texts.append(Text(left + handle, baseline, (label,), size, colour="#000000"))
        left += widths[column] + 2 * size
    layout.legend_labels = labels


def _others_lines(vmap: VennMap, corpus: Corpus, lang: str) -> list[str]:
    """Return the lines naming the organisations grouped as "Övriga" (none when nothing is grouped)."""
    grouped = others(vmap)
    if not grouped:
        return []
    names = glossary.join([colour_label(vmap, corpus, k, lang) for k in grouped], lang)
    text = glossary.words(lang)["others_are"].format(n=len(grouped), names=names)
    return wrap_text(text, 130).split("\n")
