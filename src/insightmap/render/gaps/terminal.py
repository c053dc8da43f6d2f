"""The white-spot matrix in the terminal: a table that fits the console's width, or a list.

A table must never show a cut number. At the width the console offers when it
prints (80 columns when piped to a file), the matrix takes the first form that
fits whole: the table with the labels as column headings; the table with
letters as column headings and the labels in a key under it; a list of the rows
with one line per cell. Under it stands why the cells add up to more than the
insights (an insight with several perspectives counts in several cells).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from insightmap import glossary
from insightmap.analyse.gaps import Cell, GapReport
from insightmap.render.gaps.labels import axis_label, dimension_name, language, report_note, subtitle, title
from insightmap.render.gaps.layout import Layout, layout
from insightmap.render.gaps.tables import (
    MARK_EMPTY,
    MARK_FATIGUE,
    MARK_FILLED,
    MARK_NOT_ACTED,
    MARK_STALE,
    cell_text,
)

if TYPE_CHECKING:
    from collections.abc import Iterator

    from rich.console import Console, ConsoleOptions, RenderableType
    from rich.table import Table
    from rich.text import Text

    from insightmap.records import Corpus

#: Characters a table adds per column (a space either side and a rule) and once (the closing rule).
PER_COLUMN, PER_TABLE = 3, 1


def to_table(report: GapReport, corpus: Corpus) -> TerminalMatrix:
    """Return the matrix for the terminal, in which white spots stand out; it fits any width."""
    return TerminalMatrix(report, corpus)


@dataclass(frozen=True)
class TerminalMatrix:
    """The matrix as rich renders it: it picks its form when it knows the console's width."""

    report: GapReport
    corpus: Corpus

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[RenderableType]:
        """Yield the first form that fits the width, then the note on counting."""
        from rich.text import Text

        width = options.max_width
        lay = layout(self.report)
        labels = [axis_label(lay.top, k, self.corpus) for k in lay.top_keys]
        keys = [_key(i, len(labels)) for i in range(len(labels))]
        for headings in (labels, keys):
            widths = self._widths(lay, headings, width)
            if widths is not None:
                yield self._table(lay, headings, widths)
                if headings is keys:
                    yield Text(glossary.words(language(self.corpus))["column_key"] + ":", style="bold")
                    for key, label in zip(keys, labels, strict=True):
                        yield Text(f"  {key}  {label}", overflow="fold")
                break
        else:
            yield from self._listing(lay, labels)
        note = report_note(self.report, self.corpus)
        if note:
            yield Text(note, style="dim")

    def _cell(self, side_key: str, top_key: str) -> Text:
        """Return one cell, styled, with the not-acted mark when the project records actions."""
        cell = layout(self.report).cell(self.report, side_key, top_key)
        return _styled(cell, self.report.tracks_actions)

    def _columns(self, lay: Layout, headings: list[str]) -> list[tuple[list[str], list[str]]]:
        """Return each column's texts that may wrap at spaces and texts that must stay whole."""
        words = glossary.words(language(self.corpus))
        side = [dimension_name(lay.side, self.corpus), words["Total"]]
        side += [axis_label(lay.side, k, self.corpus) for k in lay.side_keys]
        columns: list[tuple[list[str], list[str]]] = [(side, [])]
        for key, heading in zip(lay.top_keys, headings, strict=True):
            acting = self.report.tracks_actions
            cells = [cell_text(lay.cell(self.report, s, key), acting) for s in lay.side_keys]
            columns.append(([heading], [*cells, str(lay.top_total(self.report, key))]))
        side_totals = [str(lay.side_total(self.report, k)) for k in lay.side_keys]
        columns.append(([], [words["Total"], str(self.report.total), *side_totals]))
        return columns

    def _widths(self, lay: Layout, headings: list[str], width: int) -> list[int] | None:
        """Return the columns' widths in a table of at most `width` characters, or None if none fits.

        Each column gets at least its longest word (a number or a cell is one
        word), then the room left goes to the columns that want more.
        """
        columns = self._columns(lay, headings)
        need = [
            max([len(w) for t in wrapping for w in t.split()] + [len(t) for t in whole] + [1])
            for wrapping, whole in columns
        ]
        want = [max([len(t) for t in wrapping + whole] + [1]) for wrapping, whole in columns]
        spare = width - sum(need) - PER_COLUMN * len(columns) - PER_TABLE
        if spare < 0:
            return None
        widths = list(need)
        order = sorted(range(len(columns)), key=lambda i: want[i] - need[i])
        for left, i in enumerate(order):
            give = min(want[i] - need[i], spare // (len(order) - left))
            widths[i] += give
            spare -= give
        return widths

    def _table(self, lay: Layout, headings: list[str], widths: list[int]) -> Table:
        """Return the rich table with fixed column widths (rich then never squeezes a number)."""
        from rich.table import Table
        from rich.text import Text

        words = glossary.words(language(self.corpus))
        # Project text goes in as Text, never as rich markup (a label like `[x]` must print as is).
        table = Table(
            title=Text(title(self.report, self.corpus)),
            caption=Text(subtitle(self.report, self.corpus)),
            header_style="bold",
        )
        side_width, *top_widths, total_width = widths
        table.add_column(Text(dimension_name(lay.side, self.corpus)), width=side_width, overflow="fold")
        for heading, w in zip(headings, top_widths, strict=True):
            table.add_column(Text(heading), justify="center", width=w, overflow="fold")
        table.add_column(words["Total"], justify="right", style="dim", width=total_width)
        for side_key in lay.side_keys:
            table.add_row(
                Text(axis_label(lay.side, side_key, self.corpus)),
                *(
                    _styled(lay.cell(self.report, side_key, k), self.report.tracks_actions)
                    for k in lay.top_keys
                ),
                str(lay.side_total(self.report, side_key)),
            )
        table.add_row(
            words["Total"],
            *(str(lay.top_total(self.report, k)) for k in lay.top_keys),
            str(self.report.total),
            style="dim",
        )
        return table

    def _listing(self, lay: Layout, labels: list[str]) -> Iterator[Text]:
        """Yield the matrix as a list: each side value with its total, then one line per cell."""
        from rich.text import Text

        words = glossary.words(language(self.corpus))
        yield Text(title(self.report, self.corpus), style="bold")
        yield Text(subtitle(self.report, self.corpus), style="dim")
        for side_key in lay.side_keys:
            total = lay.side_total(self.report, side_key)
            yield Text(
                f"{axis_label(lay.side, side_key, self.corpus)} · {words['total']} {total}", style="bold"
            )
            for top_key, label in zip(lay.top_keys, labels, strict=True):
                yield Text.assemble(
                    f"  {label}: ",
                    _styled(lay.cell(self.report, side_key, top_key), self.report.tracks_actions),
                )
        yield Text(f"{words['Total']} {self.report.total}", style="bold")
        for top_key, label in zip(lay.top_keys, labels, strict=True):
            yield Text(f"  {label}: {lay.top_total(self.report, top_key)}")


def _key(index: int, count: int) -> str:
    """Return a column's short heading: A, B, C … (numbers when there are more than 26 columns)."""
    return chr(ord("A") + index) if count <= 26 else str(index + 1)


def _styled(cell: Cell, acting: bool = False) -> Text:
    """Return a cell's count (or white-spot mark) and marks, coloured so white spots stand out."""
    from rich.text import Text

    styled = Text()
    if cell.status == "empty":
        styled.append(MARK_EMPTY, style="bold red")
    else:
        styled.append(str(cell.count), style="yellow" if cell.status == "thin" else "bold green")
    if cell.stale:
        styled.append(MARK_STALE, style="dim")
    if cell.filled_by:
        many = len(cell.filled_by) >= 2
        styled.append(" " + (MARK_FATIGUE if many else MARK_FILLED), style="bold magenta" if many else "cyan")
    if acting and cell.acted is False:
        styled.append(" " + MARK_NOT_ACTED, style="bold yellow")
    return styled
