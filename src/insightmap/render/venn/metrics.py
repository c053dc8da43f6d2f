"""Text sizes of the map's font (DejaVu Sans) from its glyph advances, without drawing anything.

The packing needs every label's width. Measuring with a matplotlib renderer cost a
figure and a renderer per map; here the advances (and kerning) are read once per
process from the DejaVu Sans files matplotlib ships — the font the SVG names and the
PNG is drawn in — and a width is a sum. Widths are advance widths, a hair wider than
the ink, so a label measured here never overlaps its neighbour when drawn.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

#: Height of the ascenders above the baseline and of the descenders below it, in em (DejaVu Sans "l", "p").
ASCENT = 0.76
DESCENT = 0.24


class _Face:
    """One weight of the font: advances and kerning in em, read lazily and kept."""

    def __init__(self, path: Path) -> None:
        from matplotlib.ft2font import FT2Font

        self.font: Any = FT2Font(str(path))
        self.em = float(self.font.units_per_EM)
        self.advances: dict[str, tuple[int, float]] = {}
        self.kerns: dict[tuple[int, int], float] = {}

    def glyph(self, char: str) -> tuple[int, float]:
        """Return (glyph index, advance in em) of a character."""
        if char not in self.advances:
            from matplotlib.ft2font import LoadFlags

            self.font.set_size(100, 72)  # 100 px to the em; unhinted advances are exact (16.16 fixed point)
            glyph = self.font.load_char(ord(char), flags=LoadFlags.NO_HINTING)
            advance = glyph.linearHoriAdvance / 65536 / 100
            self.advances[char] = (self.font.get_char_index(ord(char)), advance)
        return self.advances[char]

    def kern(self, left: int, right: int) -> float:
        """Return the kerning between two glyphs in em."""
        if (left, right) not in self.kerns:
            from matplotlib.ft2font import Kerning

            # UNSCALED: in font units, whatever size is set.
            self.kerns[(left, right)] = self.font.get_kerning(left, right, Kerning.UNSCALED) / self.em
        return self.kerns[(left, right)]

    def width(self, line: str) -> float:
        """Return a line's advance width in em."""
        total = 0.0
        previous = 0
        for char in line:
            index, advance = self.glyph(char)
            total += advance + (self.kern(previous, index) if previous else 0.0)
            previous = index
        return total


@functools.cache
def _face(weight: str) -> _Face:
    import matplotlib

    name = "DejaVuSans-Bold.ttf" if weight == "bold" else "DejaVuSans.ttf"
    return _Face(Path(matplotlib.get_data_path()) / "fonts" / "ttf" / name)


@functools.lru_cache(maxsize=4096)
def line_width(line: str, size: float, weight: str = "normal") -> float:
    """Return the width of one line of text in points."""
    return _face(weight).width(line) * size


def text_size(text: str, size: float, weight: str = "normal", spacing: float = 1.2) -> tuple[float, float]:
    """Return (width, height) in points of a text whose lines are spaced spacing × size apart."""
    lines = text.split("\n")
    width = max(line_width(line, size, weight) for line in lines)
    return width, size * spacing * len(lines)
