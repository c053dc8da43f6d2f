"""What every matplotlib chart shares: settings that make output reproducible, and saving.

The same input gives byte-identical SVG and PNG: SVG ids come from a fixed hash
salt, text stays text (searchable, and inlined pages keep their fonts), and
neither format records a date or the software version.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.figure import Figure

#: The chart formats a figure can be saved in.
FORMATS = ("svg", "png")


@contextmanager
def chart_style(extra: dict[str, Any] | None = None) -> Iterator[None]:
    """Draw with the matplotlib settings of a reproducible chart, plus extra ones."""
    import matplotlib

    rc = {"svg.fonttype": "none", "svg.hashsalt": "insightmap", "font.family": "DejaVu Sans", **(extra or {})}
    with matplotlib.rc_context(rc):  # type: ignore[arg-type]
        yield


def save_figure(fig: Figure, fmt: str, dpi: int = 150) -> str | bytes:
    """Save and close the figure: SVG text for fmt "svg", PNG bytes for fmt "png"."""
    import matplotlib.pyplot as plt

    out = io.BytesIO()
    try:
        if fmt == "png":
            fig.savefig(out, format="png", dpi=dpi, metadata={"Software": None})
            return out.getvalue()
        fig.savefig(out, format="svg", metadata={"Date": None})
        return out.getvalue().decode("utf-8")
    finally:
        plt.close(fig)
