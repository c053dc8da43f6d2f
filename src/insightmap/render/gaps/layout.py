"""How a white-spot matrix sits on a page: the dimension with more values runs down the side.

Labels then stay horizontal and readable; the report's own rows and columns are
unchanged, the layout only maps a place on the page to the report's cell.
"""

from __future__ import annotations

from dataclasses import dataclass

from insightmap.analyse.gaps import Cell, GapReport


@dataclass(frozen=True)
class Layout:
    """How a report is laid out on a page: which dimension runs down the side."""

    side: str
    top: str
    side_keys: tuple[str, ...]
    top_keys: tuple[str, ...]
    transposed: bool

    def cell(self, report: GapReport, side_key: str, top_key: str) -> Cell:
        """Return the report's cell shown at (side_key, top_key)."""
        return report.cell(top_key, side_key) if self.transposed else report.cell(side_key, top_key)

    def side_total(self, report: GapReport, key: str) -> int:
        """Return the insights along one side value."""
        return report.col_total(key) if self.transposed else report.row_total(key)

    def top_total(self, report: GapReport, key: str) -> int:
        """Return the insights along one top value."""
        return report.row_total(key) if self.transposed else report.col_total(key)


def layout(report: GapReport) -> Layout:
    """Return the layout that puts the dimension with more values down the side."""
    if len(report.cols) > len(report.rows):
        return Layout(report.col_dimension, report.row_dimension, report.cols, report.rows, True)
    return Layout(report.row_dimension, report.col_dimension, report.rows, report.cols, False)
