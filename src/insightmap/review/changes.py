"""What changed between two versions of a corpus, as data: records, white-spot cells, the map."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from insightmap.errors import Problem
from insightmap.records import Record
from insightmap.review.gittree import Revision
from insightmap.review.resemblance import Resemblance


@dataclass(frozen=True)
class RecordChange:
    """A record that exists on both sides with different fields."""

    id: str
    title: str
    organisation: str
    fields: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """Return the change as JSON-ready data."""
        return {
            "id": self.id,
            "title": self.title,
            "organisation": self.organisation,
            "fields": list(self.fields),
        }


@dataclass(frozen=True)
class RecordDiff:
    """Added, removed and changed records of one kind."""

    added: tuple[Record, ...] = ()
    removed: tuple[Record, ...] = ()
    changed: tuple[RecordChange, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed)

    def to_dict(self) -> dict[str, Any]:
        """Return the diff as JSON-ready data (an action with the insights it builds on)."""
        return {
            "added": [_brief(r) for r in self.added],
            "removed": [_brief(r) for r in self.removed],
            "changed": [c.to_dict() for c in self.changed],
        }


def _brief(record: Record) -> dict[str, Any]:
    data: dict[str, Any] = {"id": record.id, "title": record.title, "organisation": record.organisation}
    if record.kind == "action":
        data["builds_on"] = list(record.builds_on)
    return data


@dataclass(frozen=True)
class NowActed:
    """An insight that no action built on before the change and at least one builds on after it."""

    id: str
    title: str
    organisation: str
    actions: tuple[str, ...]  # the actions building on it now

    def to_dict(self) -> dict[str, Any]:
        """Return the insight and its actions as JSON-ready data."""
        return {
            "id": self.id,
            "title": self.title,
            "organisation": self.organisation,
            "actions": list(self.actions),
        }


@dataclass(frozen=True)
class CellMove:
    """A white-spot cell whose count or status changed."""

    row: str
    col: str
    before: int
    after: int
    status_before: str
    status_after: str

    @property
    def movement(self) -> str:
        """Return `filled`, `emptied`, `strengthened`, `weakened` or `count` (same status)."""
        if self.status_before == "empty" and self.after:
            return "filled"
        if self.status_after == "empty" and self.before:
            return "emptied"
        if self.status_before == "thin" and self.status_after == "covered":
            return "strengthened"
        if self.status_before == "covered" and self.status_after == "thin":
            return "weakened"
        return "count"

    def to_dict(self) -> dict[str, Any]:
        """Return the move as JSON-ready data."""
        return {
            "row": self.row,
            "col": self.col,
            "before": self.before,
            "after": self.after,
            "status_before": self.status_before,
            "status_after": self.status_after,
            "movement": self.movement,
        }


@dataclass(frozen=True)
class OrganisationMove:
    """An organisation that gained or lost perspectives (Venn circles) with insights."""

    organisation: str
    gained: tuple[str, ...]
    lost: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """Return the move as JSON-ready data."""
        return {"organisation": self.organisation, "gained": list(self.gained), "lost": list(self.lost)}


@dataclass
class CorpusDiff:
    """Everything that changed between two versions of a corpus."""

    base: Revision
    head: Revision
    insights: RecordDiff
    studies: RecordDiff
    cells: tuple[CellMove, ...]
    regions: dict[str, tuple[int, int]]  # Venn region → (before, after), only changed ones
    organisations: tuple[OrganisationMove, ...]
    totals: dict[str, tuple[int, int]]
    problems: list[Problem] = field(default_factory=list)  # of the head side
    notes: list[str] = field(default_factory=list)
    actions: RecordDiff = field(default_factory=RecordDiff)
    now_acted: tuple[NowActed, ...] = ()  # insights that got their first action
    #: Added insights' closest unlinked insights in other organisations (resemblance.py): link them in review.
    resembles: tuple[Resemblance, ...] = ()

    def moves(self, *movements: str) -> list[CellMove]:
        """Return the cell moves of the given kinds."""
        return [c for c in self.cells if c.movement in movements]

    def is_empty(self) -> bool:
        """Return True when no record changed."""
        return not (self.insights or self.studies or self.actions)

    def to_dict(self) -> dict[str, Any]:
        """Return the diff as JSON-ready data."""
        return {
            "base": {"rev": self.base.rev, "commit": self.base.commit, "label": self.base.label},
            "head": {"rev": self.head.rev, "commit": self.head.commit, "label": self.head.label},
            "totals": {k: {"before": a, "after": b} for k, (a, b) in self.totals.items()},
            "insights": self.insights.to_dict(),
            "studies": self.studies.to_dict(),
            "actions": self.actions.to_dict(),
            "now_acted": [a.to_dict() for a in self.now_acted],
            "resembles": [r.to_dict() for r in self.resembles],
            "gaps": {
                "filled": [c.to_dict() for c in self.moves("filled")],
                "emptied": [c.to_dict() for c in self.moves("emptied")],
                "cells": [c.to_dict() for c in self.cells],
            },
            "map": {
                "regions": {k: {"before": a, "after": b} for k, (a, b) in self.regions.items()},
                "organisations": [o.to_dict() for o in self.organisations],
            },
            "problems": [p.to_dict() for p in self.problems],
            "notes": list(self.notes),
        }
