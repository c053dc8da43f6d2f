"""The chain from insight to change as a picture: perspectives → insights → actions, as a flow.

Three columns of boxes joined by bands whose width is a count: on the left the
perspectives the insights come from, in the middle what became of the insights
(led to change, waiting for a decision, too recent to wait), on the right the
actions by status. An insight in two perspectives flows from both; a band from
"led to change" to a status counts the links between insights and actions.
The table beside the picture on the site carries the same numbers in words.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from insightmap import glossary
from insightmap.load.vocabulary import PERSPECTIVES
from insightmap.records import ACTION_STATUSES

if TYPE_CHECKING:
    from insightmap.analyse.actions import ActionReport
    from insightmap.records import Corpus

#: What became of an insight (middle column), in drawing order, with its glossary word.
FATES = (("acted", "acted_on"), ("waiting", "waiting_insights"), ("recent", "too_recent_to_wait"))
COLOURS = {
    "active-client": "#0072B2",
    "risk-group": "#E69F00",
    "general-public": "#009E73",
    "acted": "#2e7d32",
    "waiting": "#c75b12",
    "recent": "#9e9e9e",
}
STATUS_COLOUR = "#1f5f8b"


@dataclass(frozen=True)
class Flow:
    """The counts the picture draws: bands (left key, right key) → count, and each column's keys."""

    left: tuple[str, ...]
    middle: tuple[str, ...]
    right: tuple[str, ...]
    bands: dict[tuple[str, str], int]
    counts: dict[str, int]  # distinct insights per perspective and fate, actions per status

    def to_dict(self) -> dict[str, object]:
        """Return the flow as JSON-ready data."""
        return {
            "perspectives": list(self.left),
            "fates": list(self.middle),
            "statuses": list(self.right),
            "bands": [{"from": a, "to": b, "count": n} for (a, b), n in sorted(self.bands.items())],
            "counts": dict(sorted(self.counts.items())),
        }


def compute_flow(report: ActionReport, corpus: Corpus) -> Flow:
    """Count the flow: perspective → fate of each insight, and acted-on insight → action status."""
    waiting = {w.id for w in report.waiting}
    statuses = {c.action.id: c.action.status or "" for c in report.actions}
    bands: Counter[tuple[str, str]] = Counter()
    counts: Counter[str] = Counter()
    for insight in corpus.insights:
        if insight.id not in report.acted_on:
            continue
        actions = report.acted_on[insight.id]
        fate = "acted" if actions else "waiting" if insight.id in waiting else "recent"
        counts[fate] += 1
        for perspective in insight.perspective:
            bands[(perspective, fate)] += 1
            counts[perspective] += 1
        for action in actions:
            bands[("acted", statuses.get(action, ""))] += 1
    counts.update(status for status in statuses.values())
    left = tuple(p for p in PERSPECTIVES if any(a == p for a, _ in bands))
    middle = tuple(f for f, _ in FATES if any(b == f or a == f for a, b in bands))
    right = tuple(s for s in ACTION_STATUSES if ("acted", s) in bands)
    return Flow(left, middle, right, dict(bands), dict(counts))


def draw_flow(flow: Flow, corpus: Corpus, fmt: str = "svg", language: str = "sv") -> str | bytes:
    """Draw the flow (SVG text or PNG bytes); an empty flow draws a note instead of bands."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from insightmap.render.charts import chart_style, save_figure

    w = glossary.words(language)
    labels = {
        **{p: corpus.vocabulary.label("perspective", p, language) for p in flow.left},
        **{f: w[word[:1].upper() + word[1:]] for f, word in FATES},
        **{s: corpus.vocabulary.label("action-status", s, language) for s in flow.right},
    }
    with chart_style():
        fig, ax = plt.subplots(figsize=(10, 5.6))
        ax.set_axis_off()
        ax.set_xlim(-0.02, 1.02)
        ax.set_ylim(0, 1)
        if not flow.bands:
            ax.text(0.5, 0.5, w.no_actions, ha="center", va="center", fontsize=12, color="#555555")
            return save_figure(fig, fmt)
        columns = {0.0: flow.left, 0.5: flow.middle, 1.0: flow.right}
        boxes: dict[str, tuple[float, float, float]] = {}  # key → (x, bottom, height)
        total = max(_column_total(flow, keys) for keys in columns.values())
        for x, keys in columns.items():
            boxes.update(_stack(flow, keys, x, total))
        _bands(ax, flow, boxes)
        for key, (x, bottom, height) in boxes.items():
            colour = COLOURS.get(key, STATUS_COLOUR)
            ax.add_patch(plt.Rectangle((x - 0.012, bottom), 0.024, height, color=colour, zorder=3))
            count = flow.counts.get(key, 0)
            align = "left" if x < 1 else "right"
            dx = 0.022 if x < 1 else -0.022
            ax.text(
                x + dx,
                bottom + height / 2,
                f"{labels.get(key, key)} ({count})",
                ha=align,
                va="center",
                fontsize=13,
                zorder=4,
                bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.8, "pad": 1.5},
            )
        for x, word in ((0.0, "Perspective"), (0.5, "Insights"), (1.0, "Actions")):
            ax.text(
                x,
                1.0,
                w[word],
                ha={0.0: "left", 0.5: "center", 1.0: "right"}[x],
                va="bottom",
                fontsize=14,
                fontweight="bold",
            )
        return save_figure(fig, fmt)


def _count(flow: Flow, key: str) -> int:
    """Return what a box holds: its larger side (in- or outflow)."""
    out = sum(n for (a, _), n in flow.bands.items() if a == key)
    into = sum(n for (_, b), n in flow.bands.items() if b == key)
    return max(out, into)


def _column_total(flow: Flow, keys: tuple[str, ...]) -> int:
    return sum(_count(flow, k) for k in keys)


GAP = 0.04  # between boxes, in axis units


def _stack(flow: Flow, keys: tuple[str, ...], x: float, total: int) -> dict[str, tuple[float, float, float]]:
    """Place a column's boxes top-down, heights proportional to their counts on a shared scale."""
    scale = (0.93 - GAP * max(len(keys) - 1, 0)) / max(total, 1)
    boxes = {}
    top = 0.96
    for key in keys:
        height = _count(flow, key) * scale
        boxes[key] = (x, top - height, height)
        top -= height + GAP
    return boxes


def _bands(ax: object, flow: Flow, boxes: dict[str, tuple[float, float, float]]) -> None:
    """Draw each band as a smooth ribbon from its left box to its right box."""
    import numpy as np
    from matplotlib.patches import PathPatch
    from matplotlib.path import Path

    scale = next(iter(h / _count(flow, k) for k, (_, _, h) in boxes.items() if _count(flow, k)))
    used_out: Counter[str] = Counter()
    used_in: Counter[str] = Counter()
    order = {k: i for i, k in enumerate([*flow.left, *flow.middle, *flow.right])}
    for (a, b), n in sorted(flow.bands.items(), key=lambda item: (order[item[0][0]], order[item[0][1]])):
        if a not in boxes or b not in boxes:
            continue
        (x0, bottom0, height0), (x1, bottom1, height1) = boxes[a], boxes[b]
        width = n * scale
        top0 = bottom0 + height0 - used_out[a] * scale
        top1 = bottom1 + height1 - used_in[b] * scale
        used_out[a] += n
        used_in[b] += n
        xa, xb = x0 + 0.012, x1 - 0.012
        mid = (xa + xb) / 2
        vertices = [
            (xa, top0),
            (mid, top0),
            (mid, top1),
            (xb, top1),
            (xb, top1 - width),
            (mid, top1 - width),
            (mid, top0 - width),
            (xa, top0 - width),
            (xa, top0),
        ]
        codes = [
            Path.MOVETO,
            Path.CURVE4,
            Path.CURVE4,
            Path.CURVE4,
            Path.LINETO,
            Path.CURVE4,
            Path.CURVE4,
            Path.CURVE4,
            Path.CLOSEPOLY,
        ]
        colour = COLOURS.get(a, STATUS_COLOUR) if a in flow.left else COLOURS.get(b, COLOURS["acted"])
        patch = PathPatch(Path(np.array(vertices), codes), facecolor=colour, alpha=0.35, edgecolor="none")
        ax.add_patch(patch)  # type: ignore[attr-defined]
