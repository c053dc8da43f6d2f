"""From insight to change (*från insikt till förändring*): the chain of insights and actions as data.

`compute_actions` says, for every action, which insights it builds on (with their
perspectives and subpopulations); for every insight, which actions build on it;
which actions are *reuse* (an organisation acting on another organisation's
insight); and which insights are *waiting*: older than `actions.waiting-months`
and acted on by nobody. Ages are measured against a given day (default
`clock.today()`, which honours SOURCE_DATE_EPOCH).
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass
from typing import Any

from insightmap import clock
from insightmap.dates import date_end, months_before
from insightmap.records import ACTION_STATUSES, Corpus, Record


@dataclass(frozen=True)
class Link:
    """One insight an action builds on, with what the chain shows of it."""

    id: str
    title: str
    organisation: str
    date: str
    perspective: tuple[str, ...]
    subpopulation: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """Return the link as JSON-ready data."""
        return {
            "id": self.id,
            "title": self.title,
            "organisation": self.organisation,
            "date": self.date,
            "perspective": list(self.perspective),
            "subpopulation": list(self.subpopulation),
        }


@dataclass(frozen=True)
class ActionChain:
    """One action and the insights it builds on."""

    action: Record
    builds_on: tuple[Link, ...]

    @property
    def perspectives(self) -> tuple[str, ...]:
        """Return the perspectives of the insights it builds on, each once, in first-seen order."""
        return tuple(dict.fromkeys(p for link in self.builds_on for p in link.perspective))

    @property
    def subpopulations(self) -> tuple[str, ...]:
        """Return the subpopulations of the insights it builds on, each once."""
        return tuple(dict.fromkeys(s for link in self.builds_on for s in link.subpopulation))

    def to_dict(self) -> dict[str, Any]:
        """Return the action and its chain as JSON-ready data."""
        a = self.action
        return {
            "id": a.id,
            "title": a.title,
            "organisation": a.organisation,
            "date": a.date,
            "status": a.status,
            "builds_on": [link.id for link in self.builds_on],
            "insights": [link.to_dict() for link in self.builds_on],
            "perspectives": list(self.perspectives),
            "subpopulations": list(self.subpopulations),
            "indicators": [i.to_dict() for i in a.indicators],
            "visibility": a.visibility,
        }


@dataclass(frozen=True)
class Reuse:
    """An action in one organisation building on another organisation's insight."""

    action: str
    insight: str
    source: str  # the organisation whose insight it is
    target: str  # the organisation that acted on it

    def to_dict(self) -> dict[str, Any]:
        """Return the reuse as JSON-ready data (`from` → `to`)."""
        return {"action": self.action, "insight": self.insight, "from": self.source, "to": self.target}


@dataclass(frozen=True)
class Waiting:
    """An insight older than the waiting age that no action builds on."""

    id: str
    title: str
    organisation: str
    date: str

    def to_dict(self) -> dict[str, Any]:
        """Return the waiting insight as JSON-ready data."""
        return {"id": self.id, "organisation": self.organisation, "date": self.date, "title": self.title}


@dataclass(frozen=True)
class ActionReport:
    """The chain from insight to change in a corpus."""

    actions: tuple[ActionChain, ...]  # by date, then id
    acted_on: dict[str, tuple[str, ...]]  # every insight id → the ids of the actions building on it
    reused: tuple[Reuse, ...]
    waiting: tuple[Waiting, ...]  # by organisation, then date, then id
    waiting_months: int
    today: datetime.date

    def waiting_by_organisation(self) -> dict[str, list[Waiting]]:
        """Return the waiting insights grouped by organisation (sorted by key)."""
        groups: dict[str, list[Waiting]] = {}
        for item in self.waiting:
            groups.setdefault(item.organisation, []).append(item)
        return groups

    def statuses(self) -> dict[str, int]:
        """Return the number of actions per status, in the vocabulary's order."""
        counts = Counter(chain.action.status for chain in self.actions)
        return {s: counts.get(s, 0) for s in ACTION_STATUSES}

    def totals(self) -> dict[str, int]:
        """Return the key figures: actions, insights, insights acted on, reuse, waiting."""
        return {
            "actions": len(self.actions),
            "insights": len(self.acted_on),
            "acted_on": sum(bool(a) for a in self.acted_on.values()),
            "reused": len(self.reused),
            "waiting": len(self.waiting),
        }

    def to_dict(self) -> dict[str, Any]:
        """Return the report as JSON-ready data."""
        return {
            "actions": [c.to_dict() for c in self.actions],
            "insights": [{"id": i, "actions": list(a)} for i, a in self.acted_on.items()],
            "reused": [r.to_dict() for r in self.reused],
            "waiting": [w.to_dict() for w in self.waiting],
            "waiting_by_organisation": {k: len(v) for k, v in self.waiting_by_organisation().items()},
            "statuses": self.statuses(),
            "totals": self.totals(),
            "waiting_months": self.waiting_months,
            "today": self.today.isoformat(),
        }


def compute_actions(
    corpus: Corpus,
    today: datetime.date | None = None,
    waiting_months: int | None = None,
    organisations: tuple[str, ...] = (),
) -> ActionReport:
    """Return the chain from insight to change; organisations, when given, narrow it to theirs.

    Narrowed, the report keeps the actions of those organisations, the reuse they
    take part in (either side) and their waiting insights.
    """
    today = today or clock.today(corpus.config)
    months = corpus.config.waiting_months if waiting_months is None else waiting_months
    insights = {r.id: r for r in corpus.insights}
    acted: dict[str, list[str]] = {i: [] for i in insights}
    chains = []
    reused = []
    for action in sorted(corpus.actions, key=lambda r: (r.date, r.id)):
        links = tuple(_link(insights[i]) for i in action.builds_on if i in insights)
        for link in links:
            acted[link.id].append(action.id)
            if link.organisation != action.organisation:
                reused.append(Reuse(action.id, link.id, link.organisation, action.organisation))
        chains.append(ActionChain(action, links))
    cutoff = months_before(today, months)
    waiting = sorted(
        (
            Waiting(r.id, r.title, r.organisation, r.date)
            for r in insights.values()
            if not acted[r.id] and date_end(r.date) < cutoff
        ),
        key=lambda w: (w.organisation, w.date, w.id),
    )
    if organisations:
        chains = [c for c in chains if c.action.organisation in organisations]
        reused = [r for r in reused if r.source in organisations or r.target in organisations]
        waiting = [w for w in waiting if w.organisation in organisations]
        acted = {i: a for i, a in acted.items() if insights[i].organisation in organisations}
    return ActionReport(
        actions=tuple(chains),
        acted_on={i: tuple(a) for i, a in acted.items()},
        reused=tuple(reused),
        waiting=tuple(waiting),
        waiting_months=months,
        today=today,
    )


def _link(insight: Record) -> Link:
    return Link(
        insight.id,
        insight.title,
        insight.organisation,
        insight.date,
        insight.perspective,
        insight.subpopulation,
    )
