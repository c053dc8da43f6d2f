"""What a change does to the corpus: records added, removed and changed between two git revisions,
and how the white-spot matrix and the insight map moved.

Each revision is read with gittree (git objects, every name checked, nothing
checked out) into a private temporary folder and loaded like any project; the
two corpora are compared into a CorpusDiff (changes.py), which diffreport.py
renders for people.
"""

from __future__ import annotations

import datetime
import tempfile
from pathlib import Path

from insightmap.errors import Problem
from insightmap.load.project import CONFIG_FILE, Project
from insightmap.load.vocabulary import PERSPECTIVES
from insightmap.load.yamlfile import DEFAULT_MAX_BYTES
from insightmap.records import CONTENT_FIELDS, Corpus, Record
from insightmap.review.changes import (
    CellMove,
    CorpusDiff,
    NowActed,
    OrganisationMove,
    RecordChange,
    RecordDiff,
)
from insightmap.review.diffreport import render_diff
from insightmap.review.gittree import (
    WORKING_TREE,
    GitError,
    Revision,
    UnsafeTree,
    default_base,
    git_root,
    materialise,
    resolve,
)

#: Importable from here as before (the diff command and tests use these names).
__all__ = [
    "CellMove",
    "CorpusDiff",
    "GitError",
    "NowActed",
    "OrganisationMove",
    "RecordChange",
    "RecordDiff",
    "Revision",
    "UnsafeTree",
    "compare",
    "compare_records",
    "diff_project",
    "load_revision",
    "render_diff",
]

#: Fields compared between two versions of a record (plus the body): what it says, and its file.
COMPARED = (*CONTENT_FIELDS, "path")


def load_revision(project: Project, revision: Revision) -> tuple[Corpus, list[Problem]]:
    """Load the corpus of a revision (or of the working tree) through the pipeline's check.

    A regional project's sources come in at the commits the revision's insightmap.lock names,
    from the project's build/sources/, so a diff shows what an update of the lock changes.
    """
    from insightmap import pipeline

    if revision.commit is None:
        checked = pipeline.check(project.root)
        return checked.corpus, checked.problems
    repo = git_root(project.root)
    prefix = project.root.resolve().relative_to(repo).as_posix()
    prefix = "" if prefix == "." else prefix + "/"
    # mkdtemp: a new folder only this user can enter; removed with everything in it afterwards.
    with tempfile.TemporaryDirectory(prefix="insightmap-diff-") as tmp:
        target = Path(tmp)
        limit = max(project.config.max_record_bytes, DEFAULT_MAX_BYTES)
        if not materialise(repo, revision, prefix, target, limit):
            # The project did not exist yet at that revision: an empty corpus with today's settings.
            (target / CONFIG_FILE).write_bytes((project.root / CONFIG_FILE).read_bytes())
        checked = pipeline.check(target, home=project.root)
        return checked.corpus, checked.problems


def compare_records(before: list[Record], after: list[Record]) -> RecordDiff:
    """Return which records were added, removed or changed (and which fields)."""
    old, new = {r.id: r for r in before}, {r.id: r for r in after}
    changed = []
    for key in sorted(old.keys() & new.keys()):
        a, b = old[key], new[key]
        fields = [f for f in COMPARED if getattr(a, f) != getattr(b, f)]
        if a.body.strip() != b.body.strip():
            fields.append("body")
        if fields:
            changed.append(RecordChange(b.id, b.title, b.organisation, tuple(fields)))
    return RecordDiff(
        added=tuple(new[k] for k in sorted(new.keys() - old.keys())),
        removed=tuple(old[k] for k in sorted(old.keys() - new.keys())),
        changed=tuple(changed),
    )


def compare(
    base: Corpus,
    head: Corpus,
    base_rev: Revision,
    head_rev: Revision,
    today: datetime.date | None = None,
) -> CorpusDiff:
    """Compare two corpora: records, white-spot cells, Venn regions and organisations' circles."""
    from insightmap.analyse.gaps import compute_gaps
    from insightmap.analyse.venn import REGIONS, compute_map
    from insightmap.review.resemblance import resemblances

    today = today or datetime.date.today()
    gaps_a = compute_gaps(base.insights, base, today=today)
    gaps_b = compute_gaps(head.insights, head, today=today)
    cells_a = {(c.row, c.col): c for c in gaps_a.cells}
    cells_b = {(c.row, c.col): c for c in gaps_b.cells}
    order = [*gaps_b.cells, *(c for c in gaps_a.cells if (c.row, c.col) not in cells_b)]
    moves = []
    for cell in order:
        key = (cell.row, cell.col)
        a, b = cells_a.get(key), cells_b.get(key)
        before, after = (a.count if a else 0), (b.count if b else 0)
        status_a, status_b = (a.status if a else "empty"), (b.status if b else "empty")
        if before != after or status_a != status_b:
            moves.append(CellMove(cell.row, cell.col, before, after, status_a, status_b))
    map_a, map_b = compute_map(base.insights, base), compute_map(head.insights, head)
    regions = {
        key: (map_a.regions[key].count, map_b.regions[key].count)
        for key in REGIONS
        if map_a.regions[key].count != map_b.regions[key].count
    }
    circles_a, circles_b = _circles(base.insights), _circles(head.insights)
    organisations = []
    for org in sorted(circles_a.keys() | circles_b.keys()):
        a_set, b_set = circles_a.get(org, set()), circles_b.get(org, set())
        gained = tuple(p for p in PERSPECTIVES if p in b_set - a_set)
        lost = tuple(p for p in PERSPECTIVES if p in a_set - b_set)
        if gained or lost:
            organisations.append(OrganisationMove(org, gained, lost))
    totals = {
        "insights": (len(base.insights), len(head.insights)),
        "studies": (len(base.studies), len(head.studies)),
        "organisations": (len(base.organisations()), len(head.organisations())),
        "empty_cells": (len(gaps_a.with_status("empty")), len(gaps_b.with_status("empty"))),
        "actions": (len(base.actions), len(head.actions)),
    }
    insights = compare_records(base.insights, head.insights)
    return CorpusDiff(
        base=base_rev,
        head=head_rev,
        insights=insights,
        studies=compare_records(base.studies, head.studies),
        cells=tuple(moves),
        regions=regions,
        organisations=tuple(organisations),
        totals=totals,
        actions=compare_records(base.actions, head.actions),
        now_acted=_now_acted(base, head),
        resembles=tuple(resemblances(head, (r.id for r in insights.added))),
    )


def _now_acted(base: Corpus, head: Corpus) -> tuple[NowActed, ...]:
    """Return the insights of head that got their first action (none built on them in base)."""
    from insightmap.analyse.gaps import actions_by_insight

    before, after = actions_by_insight(base), actions_by_insight(head)
    return tuple(
        NowActed(r.id, r.title, r.organisation, tuple(after[r.id]))
        for r in head.insights
        if r.id in after and r.id not in before
    )


def _circles(insights: list[Record]) -> dict[str, set[str]]:
    result: dict[str, set[str]] = {}
    for record in insights:
        result.setdefault(record.organisation, set()).update(record.perspective)
    return result


def diff_project(
    project: Project,
    rev_a: str | None = None,
    rev_b: str | None = None,
    today: datetime.date | None = None,
) -> tuple[CorpusDiff, Corpus]:
    """Compare two revisions of the project (default: merge base with main → working tree)."""
    repo = git_root(project.root)
    notes: list[str] = []
    if rev_a is None:
        base_rev, notes = default_base(repo)
    else:
        base_rev = resolve(repo, rev_a)
    head_rev = Revision(WORKING_TREE, None, WORKING_TREE) if rev_b is None else resolve(repo, rev_b)
    base, _ = load_revision(project, base_rev)
    head, head_problems = load_revision(project, head_rev)
    result = compare(base, head, base_rev, head_rev, today)
    result.problems = head_problems
    result.notes = notes
    return result, head
