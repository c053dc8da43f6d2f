"""Write a laid-out insight map as SVG text, without matplotlib.

Every map has the same circles, so drawing one is writing its layout out: region
patches as arcs, markers as pie wedges, text as real `<text>` (searchable, selectable,
in the reader's language). Every id carries the map's prefix so that two maps inlined
on one page do not collide; each region's patch, count and markers link to its list
(in the same tab); tooltips and the alt text are `<title>`s, as `finish_svg` gives
the matplotlib charts. The same layout gives the same bytes.
"""

from __future__ import annotations

import math
from xml.sax.saxutils import escape

from insightmap.analyse.venn import region_slug
from insightmap.render.venn.layout import MapLayout, Marker, Region, Text
from insightmap.render.venn.shapes import CENTRES, outlines, point, sweep

#: The widths were measured in DejaVu Sans; any sans-serif is a better fallback than a default serif.
FONT = "'DejaVu Sans', sans-serif"
#: A marker's outline.
_EDGE = 'stroke="#333333" stroke-width="0.6"'


def write_svg(layout: MapLayout, prefix: str, alt: str) -> str:
    """Return the map as a standalone SVG document."""
    width, height = _n(layout.width), _n(layout.height)
    out = [
        '<?xml version="1.0" encoding="utf-8" standalone="no"?>',
        f'<svg xmlns:xlink="http://www.w3.org/1999/xlink" width="{width}pt" height="{height}pt" '
        f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg" version="1.1" '
        f'role="img" aria-labelledby="{prefix}title">',
        f' <title id="{prefix}title">{escape(alt)}</title>',
        f' <g id="{prefix}figure" font-family="{escape(FONT)}">',
        f'  <rect width="{width}" height="{height}" fill="#ffffff"/>',
    ]
    for region in layout.regions:
        patch = f'<path d="{_outline(layout, region.key)}" fill="{region.fill.lower()}"/>'
        out += _group(prefix, f"region-{region_slug(region.key)}", region, [patch])
    for cx, cy in CENTRES:
        x, y = layout.xy(cx, cy)
        out.append(
            f'  <circle cx="{_n(x)}" cy="{_n(y)}" r="{_n(layout.radius)}" fill="none" '
            'stroke="#555555" stroke-width="1.6"/>'
        )
    out += [line for text in layout.circle_labels for line in _text(text)]
    for region in layout.regions:
        parts = [p for m in region.markers for p in _marker(m)] + [p for t in region.texts for p in _text(t)]
        out += _group(prefix, f"label-{region_slug(region.key)}", region, parts)
    out += [line for marker in layout.legend for line in _marker(marker)]
    out += [line for text in layout.texts for line in _text(text)]
    out += [" </g>", "</svg>", ""]
    return "\n".join(out)


def _group(prefix: str, gid: str, region: Region, parts: list[str]) -> list[str]:
    """Return a region's group: its tooltip, and its parts inside the region's link when it has one."""
    lines = [f'  <g id="{prefix}{gid}">', f"   <title>{escape(region.tooltip)}</title>"]
    if region.link:
        lines.append(f'   <a xlink:href="{escape(region.link, {chr(34): "&quot;"})}">')
        lines += [f"    {p}" for p in parts]
        lines.append("   </a>")
    else:
        lines += [f"   {p}" for p in parts]
    return [*lines, "  </g>"]


def _outline(layout: MapLayout, key: str) -> str:
    """Return the SVG path of a region: its arcs, counter-clockwise ones drawn as such (y points down)."""
    arcs = outlines()[key]
    x, y = layout.xy(*point(arcs[0][0], arcs[0][1]))
    d = [f"M {_n(x)} {_n(y)}"]
    r = _n(layout.radius)
    for arc in arcs:
        x, y = layout.xy(*point(arc[0], arc[2]))
        large = 1 if sweep(arc) > math.pi else 0
        d.append(f"A {r} {r} 0 {large} {0 if arc[3] else 1} {_n(x)} {_n(y)}")
    return " ".join(d) + " Z"


def _marker(marker: Marker) -> list[str]:
    """Return a pie marker: a disc for one colour, else wedges with white seams and an outline."""
    x, y, r = _n(marker.x), _n(marker.y), _n(marker.radius)
    if len(marker.wedges) <= 1:
        colour = marker.wedges[0][0] if marker.wedges else "#ffffff"
        return [f'<circle cx="{x}" cy="{y}" r="{r}" fill="{colour.lower()}" {_EDGE}/>']
    total = sum(n for _, n in marker.wedges) or 1
    start = math.pi / 2
    parts = []
    for colour, n in marker.wedges:
        turn = math.tau * n / total
        x0, y0 = marker.x + marker.radius * math.cos(start), marker.y - marker.radius * math.sin(start)
        end = start + turn
        x1, y1 = marker.x + marker.radius * math.cos(end), marker.y - marker.radius * math.sin(end)
        large = 1 if turn > math.pi else 0
        parts.append(
            f'<path d="M {x} {y} L {_n(x0)} {_n(y0)} A {r} {r} 0 {large} 0 {_n(x1)} {_n(y1)} Z" '
            f'fill="{colour.lower()}" stroke="#ffffff" stroke-width="0.6"/>'
        )
        start = end
    parts.append(f'<circle cx="{x}" cy="{y}" r="{r}" fill="none" {_EDGE}/>')
    return parts


def _text(text: Text) -> list[str]:
    """Return one `<text>` per line."""
    weight = ' font-weight="bold"' if text.weight == "bold" else ""
    anchor = "" if text.anchor == "start" else f' text-anchor="{text.anchor}"'
    return [
        f'<text x="{_n(text.x)}" y="{_n(y)}" font-size="{_n(text.size)}"{weight}{anchor} '
        f'fill="{text.colour.lower()}">{escape(line)}</text>'
        for y, line in text.baselines()
    ]


def _n(value: float) -> str:
    """Return a coordinate with at most three decimals, no trailing zeros."""
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text
