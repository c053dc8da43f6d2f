"""The label-packing engine of the insight map: every region's count and markers placed without overlap.

Inside each region we lay out a heading (the count, zeros included) and one
labelled marker per sub-population on horizontal rows: each row is cut to the
part of the band that lies inside the region (with a margin), items are packed
left to right and the rows nearest the region's centre are used first. When a
region is crowded the fonts and markers shrink step by step; when even the
smallest size does not fit, the smallest sub-populations are folded into a
"+N fler" line. Text never overlaps because every item sits in its own measured box.
"""

from __future__ import annotations

import functools
import math
import textwrap
from dataclasses import dataclass
from typing import Any

from insightmap.analyse.regions import region_perspectives
from insightmap.load.vocabulary import PERSPECTIVES
from insightmap.render.venn.metrics import text_size

SCALES = (1.0, 0.9, 0.8, 0.7, 0.62)  # font and marker shrink steps for crowded regions
COMMON_SCALES = (0.8, 0.9, 1.0)  # checked from largest (index 2) down
LABEL_WRAP = 18


@dataclass
class Item:
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
        return (wrap_text(self.text, wrap) if wrap else self.text) + self.suffix


@dataclass
class Placed:
    """An item with its place and the scale and wrap width it was fitted at."""

    item: Item
    x: float  # left edge of the item's box
    y: float  # centre line of its row
    scale: float
    wrap: int


class Geometry:
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

        members = set(region_perspectives(key))
        ok = np.ones(np.shape(xs), dtype=bool)
        for perspective, (cx, cy) in zip(PERSPECTIVES, self.centres, strict=True):
            dist = np.hypot(xs - cx, ys - cy)
            ok &= dist <= self.radius - margin if perspective in members else dist >= self.radius + margin
        return ok


def wrap_text(text: str, width: int) -> str:
    """Return the text wrapped at width characters, never breaking a word."""
    return "\n".join(textwrap.wrap(text, width, break_long_words=False)) or text


def layout_all(items: dict[str, list[Item]], fitter: Fitter, more: str) -> dict[str, list[Placed]]:
    """Place every region's items at one common scale; crowded regions shrink further, then fold."""
    common = len(COMMON_SCALES) - 1
    for key, region_items in items.items():
        while common > 0 and fitter.fit(key, region_items, COMMON_SCALES[common]) is None:
            common -= 1
    # `common` is now the largest of COMMON_SCALES that every region fits (or the smallest).
    return {key: _layout(key, region_items, fitter, more, common) for key, region_items in items.items()}


def _layout(key: str, items: list[Item], fitter: Fitter, more: str, common: int) -> list[Placed]:
    """Place the items at the common scale or smaller; fold the smallest sub-populations if needed."""
    start = SCALES.index(COMMON_SCALES[common])
    for scale in SCALES[start:]:
        placed = fitter.fit(key, items, scale)
        if placed is not None:
            return placed
    scale = SCALES[-1]
    for keep in range(len(items) - 2, 0, -1):
        fold = Item(f"+{len(items) - keep} {more}", 9.5, "bold", colour="#333333")
        placed = fitter.fit(key, [*items[:keep], fold], scale)
        if placed is not None:
            return placed
    return fitter.fit(key, items[:1], scale) or []


class Fitter:
    """Fit a region's items on rows inside the region, measuring text by the font's glyph advances."""

    def __init__(self, geometry: Geometry) -> None:
        self.geometry = geometry
        # Every map has the same circles: share the geometry's rows and anchors across maps
        # (measured: the row scan was three quarters of drawing a map).
        shape = (tuple(geometry.centres), geometry.radius, geometry.inch)
        self._rows = _ROWS.setdefault(shape, {})
        self._anchors = _ANCHORS.setdefault(shape, {})

    def fit(self, key: str, items: list[Item], scale: float) -> list[Placed] | None:
        """Return the items placed at this scale (wrapped labels first, then one-line), or None."""
        best: list[Placed] | None = None
        for wrap in (LABEL_WRAP, 0):
            placed = self._fit(key, items, scale, wrap)
            if placed is not None and (best is None or _spread(placed) < _spread(best)):
                best = placed
        return best

    def _fit(self, key: str, items: list[Item], scale: float, wrap: int) -> list[Placed] | None:
        g = self.geometry
        gap = g.pt(4 * scale)
        boxes: list[tuple[float, float]] = []  # (width, height) in data units
        for item in items:
            width, height = text_size(item.lines(wrap), item.size * scale, item.weight)
            marker = item.marker * 2 * scale
            boxes.append((g.pt(width) + (marker + gap if item.marker else 0.0), max(g.pt(height), marker)))
        row_h = round(max(h for _, h in boxes) + g.pt(3 * scale), 4)
        anchor = self.anchor(key)
        best: list[Placed] | None = None
        for offset in (0.0, 1 / 3, 2 / 3):
            rows = self.rows(key, row_h, offset)
            # Items sit farther from each other than a marker from its label, so pairs read as pairs.
            placed = _fill_rows(rows, items, boxes, gap * 3.5, anchor, scale, wrap)
            if placed is not None and (best is None or _spread(placed) < _spread(best)):
                best = placed
        return best

    def rows(self, key: str, row_h: float, offset: float) -> list[tuple[float, list[tuple[float, float]]]]:
        """Return the rows (centre y, x intervals) of height row_h that lie inside the region."""
        cache_key = (key, row_h, offset)
        if cache_key not in self._rows:
            margin = self.geometry.pt(4)
            rows = []
            y = 1.0 - offset * row_h
            while y > -1.0:
                # A row fits where its top, middle and bottom lines all lie in the region.
                band = [(-1.0, 1.0)]
                for dy in (-row_h / 2, 0.0, row_h / 2):
                    band = _intersect(band, self._slice(key, y + dy, margin))
                intervals = [iv for iv in map(_on_grid, band) if iv is not None]
                if intervals:
                    rows.append((y, intervals))
                y -= row_h
            self._rows[cache_key] = rows
        return self._rows[cache_key]

    def _slice(self, key: str, y: float, margin: float) -> list[tuple[float, float]]:
        """Return the x intervals of the line at height y that lie in the region, margin from its edges."""
        g = self.geometry
        members = set(region_perspectives(key))
        inside = [(-1.0, 1.0)]
        for perspective, (cx, cy) in zip(PERSPECTIVES, g.centres, strict=True):
            reach = g.radius - margin if perspective in members else g.radius + margin
            half = math.sqrt(reach**2 - (y - cy) ** 2) if abs(y - cy) < reach else -1.0
            if perspective in members:
                inside = _intersect(inside, [(cx - half, cx + half)] if half >= 0 else [])
            elif half > 0:
                inside = _intersect(inside, [(-math.inf, cx - half), (cx + half, math.inf)])
        return inside

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


def _spread(placed: list[Placed]) -> float:
    ys = [p.y for p in placed]
    return max(ys) - min(ys)


def _intersect(a: list[tuple[float, float]], b: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Return the intersection of two sorted lists of disjoint intervals."""
    out = [(max(l1, l2), min(r1, r2)) for l1, r1 in a for l2, r2 in b]
    return [(left, right) for left, right in out if left <= right]


def _on_grid(interval: tuple[float, float]) -> tuple[float, float] | None:
    """Return an interval cut to the x grid its rows are measured on (None: under two grid points).

    The grid (GRID points over -1..1) keeps the rows exactly as they were when the band was
    sampled at those points, so maps look the same as before the rows were computed exactly.
    """
    left, right = interval
    step = 2.0 / (GRID - 1)
    first = max(0, math.ceil((left + 1.0) / step - 1e-9))
    last = min(GRID - 1, math.floor((right + 1.0) / step + 1e-9))
    xs = _grid()
    while first < GRID and xs[first] < left:
        first += 1
    while last >= 0 and xs[last] > right:
        last -= 1
    if last <= first:
        return None
    return xs[first], xs[last]


GRID = 801


@functools.cache
def _grid() -> list[float]:
    import numpy as np

    return [float(x) for x in np.linspace(-1.0, 1.0, GRID)]


def _fill_rows(
    rows: list[tuple[float, list[tuple[float, float]]]],
    items: list[Item],
    boxes: list[tuple[float, float]],
    gap: float,
    anchor: tuple[float, float],
    scale: float,
    wrap: int,
) -> list[Placed] | None:
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
    items: list[Item],
    boxes: list[tuple[float, float]],
    gap: float,
    anchor: tuple[float, float],
    scale: float,
    wrap: int,
) -> list[Placed] | None:
    placed: list[Placed] = []
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
                placed.append(Placed(items[i], x, y, scale, wrap))
                x += boxes[i][0] + gap
        if index == len(items):
            return placed
    return None
