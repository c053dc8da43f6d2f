"""The map's fixed geometry: three equal circles and the outlines of the seven regions as circular arcs.

matplotlib-venn's equal-area layout with every subset the same size (1,)*7 always
gives the same circles, so they are constants here (tests/test_venn.py checks them
against matplotlib-venn). Each region's outline is a loop of arcs between the
circles' crossing points: the SVG draws them as arcs, the PNG as fine polygons.
"""

from __future__ import annotations

import functools
import math

from insightmap.analyse.regions import REGIONS, region_perspectives
from insightmap.load.vocabulary import PERSPECTIVES

#: Centres and radius in data units: matplotlib_venn.venn3((1,)*7, layout_algorithm=
#: DefaultLayoutAlgorithm(fixed_subset_sizes=(1,)*7)).
CENTRES = (
    (-0.1722892234773088, 0.09947122955309584),
    (0.17228922347730885, 0.09947122955309584),
    (2.7755575615628914e-17, -0.19894245910619168),
)
RADIUS = 0.42648723724584614

#: One arc of an outline: circle index, start and end angle (radians), counter-clockwise or not.
Arc = tuple[int, float, float, bool]


def _crossings(i: int, j: int) -> list[tuple[float, float]]:
    """Return the two points where circles i and j cross."""
    (x0, y0), (x1, y1) = CENTRES[i], CENTRES[j]
    d = math.hypot(x1 - x0, y1 - y0)
    half = math.sqrt(RADIUS**2 - (d / 2) ** 2)
    mx, my = (x0 + x1) / 2, (y0 + y1) / 2
    ux, uy = (x1 - x0) / d, (y1 - y0) / d
    return [(mx - uy * half, my + ux * half), (mx + uy * half, my - ux * half)]


def _region_of(x: float, y: float) -> str | None:
    """Return the key of the region a point lies in (None outside every circle)."""
    members = {
        p for p, (cx, cy) in zip(PERSPECTIVES, CENTRES, strict=True) if math.hypot(x - cx, y - cy) < RADIUS
    }
    by_members = {frozenset(region_perspectives(k)): k for k in REGIONS}
    return by_members.get(frozenset(members))


def point(arc_circle: int, angle: float) -> tuple[float, float]:
    """Return the point at an angle on a circle."""
    cx, cy = CENTRES[arc_circle]
    return cx + RADIUS * math.cos(angle), cy + RADIUS * math.sin(angle)


@functools.cache
def outlines() -> dict[str, tuple[Arc, ...]]:
    """Return every region's outline as a closed loop of arcs, the region on the left of each."""
    bordering: dict[str, list[Arc]] = {k: [] for k in REGIONS}
    for i, (cx, cy) in enumerate(CENTRES):
        angles = sorted(
            math.atan2(py - cy, px - cx) % math.tau for j in range(3) if j != i for px, py in _crossings(i, j)
        )
        for a0, a1 in zip(angles, [*angles[1:], angles[0] + math.tau], strict=True):
            mid = (a0 + a1) / 2
            for radius, arc in ((RADIUS * 0.999, (i, a0, a1, True)), (RADIUS * 1.001, (i, a1, a0, False))):
                key = _region_of(cx + radius * math.cos(mid), cy + radius * math.sin(mid))
                if key is not None:
                    bordering[key].append(arc)
    return {key: _chain(arcs) for key, arcs in bordering.items()}


def _chain(arcs: list[Arc]) -> tuple[Arc, ...]:
    """Order arcs so that each starts where the previous one ends."""
    loop = [arcs[0]]
    rest = arcs[1:]
    while rest:
        end = point(loop[-1][0], loop[-1][2])
        nearest = min(rest, key=lambda a: math.dist(point(a[0], a[1]), end))
        loop.append(nearest)
        rest.remove(nearest)
    return tuple(loop)


def sweep(arc: Arc) -> float:
    """Return the angle an arc turns through (positive)."""
    _, a0, a1, ccw = arc
    return (a1 - a0) % math.tau if ccw else (a0 - a1) % math.tau
