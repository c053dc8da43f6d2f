"""Move the lock (`sources update`) or tell what a move would change (`sources status`).

Each git source is fetched, read at the new commit and checked by its own project's
rules; only a commit that passes is locked. A failing one keeps the last good commit
and the outcome says why, problem by problem.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from insightmap.errors import InsightmapError, Problem, ProblemsFound
from insightmap.load.project import Project
from insightmap.records import KINDS
from insightmap.sources import git
from insightmap.sources.config import Source
from insightmap.sources.join import incoming
from insightmap.sources.lock import Locked, read_lock, write_lock
from insightmap.sources.read import Read, read_commit, read_folder


@dataclass
class Outcome:
    """What became of one source: its locked (or kept) commit, the new one, and why it was not taken."""

    source: Source
    locked: Locked | None  # the lock after the update (or as it is, for status)
    new: str | None = None  # the commit the ref names now (None: a folder, or not fetched)
    new_records: dict[str, int] = field(default_factory=dict)
    commits: int | None = None  # how many commits the new one is ahead of the locked one
    problems: list[Problem] = field(default_factory=list)
    error: str | None = None  # could not fetch or read

    @property
    def failed(self) -> bool:
        """Return True when the source could not be fetched or its new commit failed its check."""
        return bool(self.error or self.problems)

    @property
    def changed(self) -> bool:
        """Return True when the ref names another commit than the locked one."""
        return self.new is not None and (self.locked is None or self.new != self.locked.commit)


def counts(read: Read) -> dict[str, int]:
    """Return how many insights, studies and actions of a source come in."""
    records = incoming(read)
    return {
        f"{kind}s" if kind != "study" else "studies": sum(r.kind == kind for r in records) for kind in KINDS
    }


def update(project: Project, names: tuple[str, ...] = ()) -> list[Outcome]:
    """Fetch every git source (or those named), check each new commit and lock those that pass."""
    lock = read_lock(project.root)
    outcomes = [
        _visit(project, source, lock.get(source.name), move=True) for source in _chosen(project, names)
    ]
    for outcome in outcomes:
        if outcome.locked is not None:
            lock[outcome.source.name] = outcome.locked
    if any(o.source.git for o in outcomes):
        write_lock(project.root, {name: lock[name] for name in lock if name in project.sources})
    return outcomes


def status(project: Project, offline: bool = False, names: tuple[str, ...] = ()) -> list[Outcome]:
    """Return each source as locked and, unless offline, what an update would change (the lock is kept)."""
    lock = read_lock(project.root)
    return [
        _visit(project, source, lock.get(source.name), move=False, offline=offline)
        for source in _chosen(project, names)
    ]


def _chosen(project: Project, names: tuple[str, ...]) -> list[Source]:
    """Return the sources named (all without names); a broken `sources:` setting stops here."""
    broken = [p for p in project.problems if p.code == "source"]
    if broken:
        raise ProblemsFound(broken)
    unknown = [n for n in names if n not in project.sources]
    if unknown:
        known = ", ".join(sorted(project.sources)) or "none"
        raise InsightmapError(f"no source named `{unknown[0]}` in insightmap.yml (sources: {known})")
    return [project.sources[n] for n in sorted(project.sources) if not names or n in names]


def _visit(
    project: Project, source: Source, locked: Locked | None, move: bool, offline: bool = False
) -> Outcome:
    """Read one source; for a git source fetch and check its ref's commit (and lock it when move)."""
    root, max_bytes = project.root, project.config.max_record_bytes
    outcome = Outcome(source, locked)
    try:
        if source.path is not None:
            read = read_folder(root, source, max_bytes)
            outcome.new_records, outcome.problems = counts(read), _errors(read)
            return outcome
        if offline:
            return outcome
        outcome.new = git.fetch(root, source)
        repo = git.repository(root, source.name)
        if locked is not None:
            outcome.commits = git.commits_between(repo, locked.commit, outcome.new)
        read = read_commit(root, source, outcome.new, max_bytes)
    except (InsightmapError, OSError) as exc:  # a source that cannot be read is reported, not raised
        outcome.error = exc.message if isinstance(exc, InsightmapError) else str(exc)
        return outcome
    outcome.new_records, outcome.problems = counts(read), _errors(read)
    if move and not outcome.problems:
        git.keep(repo, outcome.new)
        date = git.commit_date(repo, outcome.new)
        outcome.locked = Locked(outcome.new, date, source.git or "", source.ref, outcome.new_records)
    return outcome


def _errors(read: Read) -> list[Problem]:
    return [p for p in read.problems if p.severity == "error"]
