"""White spots (*vita fläckar*): where in a two-dimensional matrix nobody has listened yet.

`compute_gaps` counts the selected insights in every cell of a matrix of two
dimensions (by default perspective × sub-population), marks empty, thin and
stale cells, names the planned or ongoing studies already filling a cell,
warns where several of them target the same cell (insight fatigue), and shows
per organisation which cells it lacks and who could share theirs.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from insightmap import clock
from insightmap.analyse.dimensions import (
    DIMENSIONS,
    check_dimension,
    dimension_values,
    organisations_in_scope,
    record_values,
    study_targets,
)
from insightmap.dates import date_end, years_before
from insightmap.load.vocabulary import PERSPECTIVES
from insightmap.records import Corpus, Record
from insightmap.select import Selection

#: Cell statuses, from worst to best.
STATUSES = ("empty", "thin", "covered")
#: Study statuses that mean "residents are being (or about to be) asked".
ACTIVE_STUDY_STATUSES = ("planned", "ongoing")


@dataclass(frozen=True)
class Cell:
    """One cell of the matrix."""

    row: str
    col: str
    count: int
    status: str  # empty | thin | covered
    newest: str | None  # date of the newest insight, as written
    stale: bool  # newest insight older than the stale age
    filled_by: tuple[str, ...] = ()  # planned/ongoing study ids targeting the cell
    insights: tuple[str, ...] = ()  # insight ids in the cell
    organisations: tuple[str, ...] = ()  # organisations with insights in the cell
    actions: tuple[str, ...] = ()  # ids of the actions building on any insight in the cell

    @property
    def acted(self) -> bool | None:
        """Return whether any action builds on the cell's insights (None for a cell without insights).

        A second layer beside the status: a covered cell nobody acted on is a white
        spot of action (*vit fläck av förändring*).
        """
        return bool(self.actions) if self.count else None

    def to_dict(self) -> dict[str, Any]:
        """Return the cell as JSON-ready data."""
        return {
            "row": self.row,
            "col": self.col,
            "count": self.count,
            "status": self.status,
            "stale": self.stale,
            "newest": self.newest,
            "filled_by": list(self.filled_by),
            "insights": list(self.insights),
            "organisations": list(self.organisations),
            "actions": list(self.actions),
            "acted": self.acted,
        }


@dataclass(frozen=True)
class Fatigue:
    """Two or more planned/ongoing studies targeting the same cell: residents asked twice."""

    row: str
    col: str
    studies: tuple[str, ...]
    organisations: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """Return the warning as JSON-ready data."""
        return {
            "row": self.row,
            "col": self.col,
            "studies": list(self.studies),
            "organisations": list(self.organisations),
        }


@dataclass(frozen=True)
class Sharing:
    """A cell where some organisations have insights and others have a white spot."""

    row: str
    col: str
    have: tuple[str, ...]  # organisations with insights in the cell
    lack: tuple[str, ...]  # organisations with none there

    def to_dict(self) -> dict[str, Any]:
        """Return the sharing hint as JSON-ready data."""
        return {"row": self.row, "col": self.col, "have": list(self.have), "lack": list(self.lack)}


@dataclass(frozen=True)
class Coverage:
    """One organisation's share of the matrix."""

    organisation: str
    name: str
    type: str
    insights: int  # its selected insights
    cells: int  # cells of the matrix that concern it
    covered: int  # of those, cells where it has at least one insight
    empty: tuple[tuple[str, str], ...]  # its white spots (row, col)
    learn_from: tuple[tuple[str, str, tuple[str, ...]], ...]  # (row, col, orgs that have insights)

    @property
    def share(self) -> float:
        """Return the share of its cells it covers (0–1)."""
        return self.covered / self.cells if self.cells else 0.0

    def to_dict(self) -> dict[str, Any]:
        """Return the coverage as JSON-ready data."""
        return {
            "name": self.name,
            "type": self.type,
            "insights": self.insights,
            "cells": self.cells,
            "covered": self.covered,
            "share": round(self.share, 4),
            "empty": [{"row": r, "col": c} for r, c in self.empty],
            "learn_from": [
                {"row": r, "col": c, "organisations": list(orgs)} for r, c, orgs in self.learn_from
            ],
        }


@dataclass(frozen=True)
class GapReport:
    """The white-spot matrix and everything derived from it."""

    row_dimension: str
    col_dimension: str
    rows: tuple[str, ...]
    cols: tuple[str, ...]
    cells: tuple[Cell, ...]  # row-major
    fatigue: tuple[Fatigue, ...]
    organisations: dict[str, Coverage]
    sharing: tuple[Sharing, ...]
    perspective_counts: dict[str, int]  # insights touching each perspective (for the summary)
    studies: dict[str, Record]  # the planned/ongoing studies considered, by id
    total: int  # selected insights
    thin: int
    stale_years: int
    today: datetime.date
    selection: Selection = field(default_factory=Selection)
    tracks_actions: bool = False  # the project records actions: cells nobody acted on are shown

    def cell(self, row: str, col: str) -> Cell:
        """Return the cell at row, col."""
        return self.cells[self.rows.index(row) * len(self.cols) + self.cols.index(col)]

    def with_status(self, *statuses: str) -> list[Cell]:
        """Return the cells with any of the statuses, row-major."""
        return [c for c in self.cells if c.status in statuses]

    def not_acted(self) -> list[Cell]:
        """Return the cells with insights on which no action builds, row-major."""
        return [c for c in self.cells if c.acted is False]

    def row_total(self, row: str) -> int:
        """Return the insights in a row (an insight in two cells of the row counts once)."""
        return len({i for c in self.cells if c.row == row for i in c.insights})

    def col_total(self, col: str) -> int:
        """Return the insights in a column (an insight in two cells of the column counts once)."""
        return len({i for c in self.cells if c.col == col for i in c.insights})

    def to_dict(self) -> dict[str, Any]:
        """Return the report as JSON-ready data (the shape of issue 4, plus context keys)."""
        return {
            "dimensions": {"rows": self.row_dimension, "cols": self.col_dimension},
            "rows": list(self.rows),
            "cols": list(self.cols),
            "cells": [c.to_dict() for c in self.cells],
            "fatigue": [f.to_dict() for f in self.fatigue],
            "organisations": {k: v.to_dict() for k, v in self.organisations.items()},
            "sharing": [s.to_dict() for s in self.sharing],
            "totals": {
                "insights": self.total,
                "cells": len(self.cells),
                **{s: len(self.with_status(s)) for s in STATUSES},
                "stale": sum(c.stale for c in self.cells),
                "filled": sum(bool(c.filled_by) for c in self.cells),
                "acted": sum(c.acted is True for c in self.cells),
                "not_acted": len(self.not_acted()),
            },
            "perspectives": dict(self.perspective_counts),
            "thin_threshold": self.thin,
            "stale_years": self.stale_years,
            "today": self.today.isoformat(),
            "selection": self.selection.to_dict(),
        }


def compute_gaps(
    insights: list[Record] | None,
    corpus: Corpus,
    rows: str = "perspective",
    cols: str = "subpopulation",
    thin: int | None = None,
    stale_years: int | None = None,
    today: datetime.date | None = None,
    selection: Selection | None = None,
) -> GapReport:
    """Compute the white-spot report for the insights (default: the selection of the corpus).

    The selection, when given, picks the insights (if `insights` is None) and the
    planned/ongoing studies considered, and narrows an axis it filters on.
    """
    for dimension in (rows, cols):
        check_dimension(dimension)
    selection = selection or Selection()
    thin = corpus.config.thin_threshold if thin is None else thin
    stale_years = corpus.config.stale_years if stale_years is None else stale_years
    today = today or clock.today(corpus.config)
    if insights is None:
        insights = selection.apply(corpus.insights, corpus)
    insights = sorted(insights, key=lambda r: r.id)
    studies = _active_studies(corpus, selection)
    row_keys = dimension_values(rows, corpus, selection)
    col_keys = dimension_values(cols, corpus, selection)
    cutoff = years_before(today, stale_years)

    members = _members(insights, rows, cols, corpus)
    fillers = _members(studies, rows, cols, corpus, targets=True)
    by_id = {r.id: r for r in insights}
    acting = actions_by_insight(corpus)
    cells = []
    for row in row_keys:
        for col in col_keys:
            ids = tuple(sorted(members.get((row, col), ())))
            newest = max((by_id[i].date for i in ids), key=date_end, default=None)
            cells.append(
                Cell(
                    row=row,
                    col=col,
                    count=len(ids),
                    status=_status(len(ids), thin),
                    newest=newest,
                    stale=newest is not None and date_end(newest) < cutoff,
                    filled_by=tuple(sorted(fillers.get((row, col), ()))),
                    insights=ids,
                    organisations=tuple(sorted({by_id[i].organisation for i in ids})),
                    actions=tuple(sorted({a for i in ids for a in acting.get(i, ())})),
                )
            )
    study_by_id = {s.id: s for s in studies}
    fatigue = tuple(
        Fatigue(c.row, c.col, c.filled_by, tuple(sorted({study_by_id[s].organisation for s in c.filled_by})))
        for c in cells
        if len(c.filled_by) >= 2
    )
    organisations = organisations_in_scope(corpus, selection)
    coverage = {key: _coverage(key, cells, rows, cols, corpus, insights) for key in organisations}
    sharing = tuple(
        Sharing(c.row, c.col, c.organisations, lack)
        for c in cells
        if c.count
        and (
            lack := tuple(
                k for k in organisations if k not in c.organisations and _concerns(k, c, rows, cols, corpus)
            )
        )
    )
    perspective_counts = {p: sum(p in r.perspective for r in insights) for p in PERSPECTIVES}
    return GapReport(
        row_dimension=rows,
        col_dimension=cols,
        rows=tuple(row_keys),
        cols=tuple(col_keys),
        cells=tuple(cells),
        fatigue=fatigue,
        organisations=coverage,
        sharing=sharing,
        perspective_counts=perspective_counts,
        studies=study_by_id,
        total=len(insights),
        thin=thin,
        stale_years=stale_years,
        today=today,
        selection=selection,
        tracks_actions=bool(corpus.actions),
    )


def actions_by_insight(corpus: Corpus) -> dict[str, list[str]]:
    """Return insight id → the ids of the actions building on it (insights with actions only)."""
    result: dict[str, list[str]] = {}
    for action in sorted(corpus.actions, key=lambda r: r.id):
        for insight in action.builds_on:
            result.setdefault(insight, []).append(action.id)
    return result


def _status(count: int, thin: int) -> str:
    if count == 0:
        return "empty"
    return "thin" if count < thin else "covered"


def _members(
    records: Iterable[Record], rows: str, cols: str, corpus: Corpus, targets: bool = False
) -> dict[tuple[str, str], set[str]]:
    """Map each (row, col) to the ids of the records in it; a record counts once per cell it touches."""
    cells: dict[tuple[str, str], set[str]] = {}
    for record in records:
        if targets:
            row_values, col_values = (study_targets(record, d, corpus) for d in (rows, cols))
        else:
            row_values, col_values = (set(record_values(record, d, corpus)) for d in (rows, cols))
        for row in row_values:
            for col in col_values:
                cells.setdefault((row, col), set()).add(record.id)
    return cells


def _active_studies(corpus: Corpus, selection: Selection) -> list[Record]:
    """Return the planned/ongoing studies the selection keeps (dates aside: a plan is current now)."""
    from dataclasses import replace

    undated = replace(selection, date_from=None, date_to=None, study_status=(), kinds=())
    return [s for s in corpus.studies if s.status in ACTIVE_STUDY_STATUSES and undated.matches(s, corpus)]


def _concerns(org: str, cell: Cell, rows: str, cols: str, corpus: Corpus) -> bool:
    """Return True when a cell can hold the organisation's insights at all (its own row on an
    organisation axis, its own type on an organisation-type axis)."""
    for dimension, value in ((rows, cell.row), (cols, cell.col)):
        if dimension == "organisation" and value != org:
            return False
        if dimension == "organisation-type" and value != corpus.organisation(org).type:
            return False
    return True


def _coverage(
    org: str, cells: list[Cell], rows: str, cols: str, corpus: Corpus, insights: list[Record]
) -> Coverage:
    mine = [c for c in cells if _concerns(org, c, rows, cols, corpus)]
    covered = [c for c in mine if org in c.organisations]
    empty = [c for c in mine if org not in c.organisations]
    info = corpus.organisation(org)
    return Coverage(
        organisation=org,
        name=info.name,
        type=info.type,
        insights=sum(r.organisation == org for r in insights),
        cells=len(mine),
        covered=len(covered),
        empty=tuple((c.row, c.col) for c in empty),
        learn_from=tuple((c.row, c.col, c.organisations) for c in empty if c.organisations),
    )


__all__ = [
    "ACTIVE_STUDY_STATUSES",
    "DIMENSIONS",  # commands/gaps.py imports it from here
    "STATUSES",
    "Cell",
    "Coverage",
    "Fatigue",
    "GapReport",
    "Sharing",
    "actions_by_insight",
    "compute_gaps",
]
