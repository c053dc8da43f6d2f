"""Follow-up over time, from git: month by month, the insights, actions, white spots and waiting insights.

The repository's first-parent history of HEAD is sampled once per month: the last
commit on or before the month's end. Each sampled commit is read with the same
safe plumbing as `diff` (gittree: git objects, every name checked, nothing checked
out) and loaded like any project, once per commit; a month without commits shows
the state of the month before, with insights aging into *waiting* as time passes.
Work is bounded: at most `max_months` months, one load per distinct commit.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass, field
from typing import Any

from insightmap import clock
from insightmap.load.project import Project
from insightmap.records import Corpus
from insightmap.review.gittree import Revision, first_parent_commits, git_root, is_shallow

#: The most months one history reads by default (five years).
MAX_MONTHS = 60


@dataclass(frozen=True)
class Month:
    """The state of the records at the end of one month."""

    month: str  # YYYY-MM
    commit: str | None  # the commit sampled (None: the project did not exist yet)
    insights: int
    actions: int
    empty_cells: int
    waiting: int
    acted_on: int  # insights at least one action builds on
    problems: int  # records left out for problems at that commit

    def to_dict(self) -> dict[str, Any]:
        """Return the month as JSON-ready data."""
        return {
            "month": self.month,
            "commit": self.commit,
            "insights": self.insights,
            "actions": self.actions,
            "acted_on": self.acted_on,
            "empty_cells": self.empty_cells,
            "waiting": self.waiting,
            "problems": self.problems,
        }


@dataclass
class History:
    """The monthly series, and notes on what it could not see (a shallow clone, months cut)."""

    months: list[Month]
    shallow: bool = False
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Return the history as JSON-ready data."""
        return {
            "months": [m.to_dict() for m in self.months],
            "shallow": self.shallow,
            "notes": list(self.notes),
        }


def read_history(
    project: Project,
    since: str | None = None,
    max_months: int = MAX_MONTHS,
    today: datetime.date | None = None,
) -> History:
    """Return the monthly history of the project's records in git (since: `YYYY-MM`, optional)."""
    from insightmap.review.gitdiff import load_revision
    from insightmap.review.gittree import SHALLOW_HINT

    today = today or clock.today(project.config)
    repo = git_root(project.root, "history")
    commits = first_parent_commits(repo)  # newest first
    history = History([], shallow=is_shallow(repo))
    oldest = _month_of(commits[-1][1])
    newest = _month_of(commits[0][1])
    last = max(newest, (today.year, today.month))
    months = _months(oldest, last)
    if since:
        start = tuple(int(p) for p in since.split("-")[:2]) if "-" in since else (int(since), 1)
        months = [m for m in months if m >= start]
    if len(months) > max_months:
        history.notes.append(
            f"{len(months)} months of history; showing the last {max_months} (use --max-months or --since)"
        )
        months = months[-max_months:]
    if history.shallow:
        first = datetime.datetime.fromtimestamp(commits[-1][1], datetime.UTC).date()
        history.notes.append(
            f"this is a shallow clone: its history starts at {first.isoformat()}, so the months before "
            f"are missing and the first month may be incomplete; {SHALLOW_HINT}"
        )
    loaded: dict[str | None, tuple[Corpus, int]] = {}
    with_problems = []
    for year, month in months:
        end = datetime.date(year, month, calendar.monthrange(year, month)[1])
        day = min(end, today)
        limit = int(
            datetime.datetime(end.year, end.month, end.day, 23, 59, 59, tzinfo=datetime.UTC).timestamp()
        )
        commit = next((sha for sha, seconds in commits if seconds <= limit), None)
        if commit not in loaded:
            if commit is None:
                loaded[commit] = (_empty(project), 0)
            else:
                revision_corpus, found = load_revision(project, Revision(commit, commit, commit[:7]))
                loaded[commit] = (revision_corpus, len(found))
        corpus, count = loaded[commit]
        if count:
            with_problems.append(f"{year:04d}-{month:02d}")
        history.months.append(_sample(f"{year:04d}-{month:02d}", commit, corpus, count, day))
    if with_problems:
        history.notes.append(
            "records with problems were left out in "
            + ", ".join(with_problems)
            + " (as `check` reports them)"
        )
    return history


def _sample(month: str, commit: str | None, corpus: Corpus, problems: int, day: datetime.date) -> Month:
    from insightmap.analyse.actions import compute_actions
    from insightmap.analyse.gaps import compute_gaps

    gaps = compute_gaps(corpus.insights, corpus, today=day)
    actions = compute_actions(corpus, today=day)
    return Month(
        month=month,
        commit=commit,
        insights=len(corpus.insights),
        actions=len(corpus.actions),
        empty_cells=len(gaps.with_status("empty")),
        waiting=len(actions.waiting),
        acted_on=actions.totals()["acted_on"],
        problems=problems,
    )


def _empty(project: Project) -> Corpus:
    return Corpus([], [], project.register, project.vocabulary, project.config, str(project.root))


def _month_of(seconds: int) -> tuple[int, int]:
    day = datetime.datetime.fromtimestamp(seconds, datetime.UTC)
    return day.year, day.month


def _months(first: tuple[int, int], last: tuple[int, int]) -> list[tuple[int, int]]:
    months = []
    year, month = first
    while (year, month) <= last:
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months
