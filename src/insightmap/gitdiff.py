"""What a change does to the corpus: records added, removed and changed between two git revisions,
and how the white-spot matrix and the insight map moved.

A revision's trees and files are read as git objects (`git cat-file --batch`),
tree by tree, so every entry name is checked on its own: a name that is `..`,
empty or holds a `/` (possible with git plumbing, accepted by `git fetch`) is an
error before anything is written. The checked files go into a private temporary
folder and are loaded like any project; nothing is checked out and the working
tree is never touched.
"""

from __future__ import annotations

import datetime
import os
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from insightmap.errors import InsightmapError, Problem
from insightmap.ids import normalise
from insightmap.project import CONFIG_FILE, Project, open_project
from insightmap.records import Corpus, Record
from insightmap.vocabulary import PERSPECTIVES
from insightmap.yamlfile import DEFAULT_MAX_BYTES

WORKING_TREE = "working tree"
BASE_BRANCHES = ("main", "master", "origin/main", "origin/master")
PROJECT_PATHS = ("insights", "maps", CONFIG_FILE)
#: Fields compared between two versions of a record (plus the body).
COMPARED = (
    "title",
    "organisation",
    "date",
    "perspective",
    "subpopulation",
    "shift",
    "theme",
    "area",
    "method",
    "study",
    "quotes",
    "visibility",
    "source",
    "status",
    "end",
    "contact",
    "path",
)


class GitError(InsightmapError):
    """git cannot give what the diff needs (not a repository, unknown or missing revision)."""


@dataclass(frozen=True)
class Revision:
    """One side of the comparison: a git revision or the working tree."""

    rev: str  # what the user gave or the default chose; WORKING_TREE for the files on disk
    commit: str | None  # the full commit id, None for the working tree
    label: str  # for people, e.g. `main (merge base 1a2b3c4)`


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
        """Return the diff as JSON-ready data."""
        brief = [{"id": r.id, "title": r.title, "organisation": r.organisation} for r in self.added]
        gone = [{"id": r.id, "title": r.title, "organisation": r.organisation} for r in self.removed]
        return {"added": brief, "removed": gone, "changed": [c.to_dict() for c in self.changed]}


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

    def moves(self, *movements: str) -> list[CellMove]:
        """Return the cell moves of the given kinds."""
        return [c for c in self.cells if c.movement in movements]

    def is_empty(self) -> bool:
        """Return True when no record changed."""
        return not (self.insights or self.studies)

    def to_dict(self) -> dict[str, Any]:
        """Return the diff as JSON-ready data."""
        return {
            "base": {"rev": self.base.rev, "commit": self.base.commit, "label": self.base.label},
            "head": {"rev": self.head.rev, "commit": self.head.commit, "label": self.head.label},
            "totals": {k: {"before": a, "after": b} for k, (a, b) in self.totals.items()},
            "insights": self.insights.to_dict(),
            "studies": self.studies.to_dict(),
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


# --- git --------------------------------------------------------------------------------------


def _git(repo: Path, *args: str, data: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", "-C", str(repo), *args], input=data, capture_output=True, check=False)
    except FileNotFoundError as exc:
        raise GitError("git is not installed or not on PATH; insightmap diff needs it") from exc


def _git_text(repo: Path, *args: str) -> str | None:
    done = _git(repo, *args)
    return done.stdout.decode("utf-8").strip() if done.returncode == 0 else None


def git_root(path: Path) -> Path:
    """Return the top folder of the git working tree around path."""
    top = _git_text(path, "rev-parse", "--show-toplevel")
    if top is None:
        raise GitError(
            f"{path} is not inside a git repository; `insightmap diff` compares "
            "git revisions (run `git init` and commit the records first)"
        )
    return Path(top).resolve()


def _is_shallow(repo: Path) -> bool:
    return _git_text(repo, "rev-parse", "--is-shallow-repository") == "true"


SHALLOW_HINT = (
    "this is a shallow clone without that history: fetch it with "
    "`git fetch --unshallow` (GitHub Actions: `fetch-depth: 0`; "
    "GitLab CI: `GIT_DEPTH: 0`)"
)


def resolve(repo: Path, rev: str) -> Revision:
    """Return the revision for a name (branch, tag, commit), or explain why there is none."""
    commit = _git_text(repo, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
    if commit is None:
        hint = SHALLOW_HINT if _is_shallow(repo) else "check the name with `git log --oneline`"
        raise GitError(f"unknown revision `{rev}`; {hint}")
    label = commit[:7] if commit.startswith(rev) else f"{rev} ({commit[:7]})"
    return Revision(rev, commit, label)


def default_base(repo: Path) -> tuple[Revision, list[str]]:
    """Return the merge base of HEAD with the main branch (or a fallback and a note why)."""
    if _git_text(repo, "rev-parse", "--verify", "--quiet", "HEAD^{commit}") is None:
        raise GitError("the repository has no commits yet; commit the records, then run the diff")
    for branch in BASE_BRANCHES:
        if _git_text(repo, "rev-parse", "--verify", "--quiet", f"{branch}^{{commit}}") is None:
            continue
        base = _git_text(repo, "merge-base", "HEAD", branch)
        if base is None:
            if _is_shallow(repo):
                raise GitError(f"cannot find where HEAD branched from `{branch}`: {SHALLOW_HINT}")
            raise GitError(f"HEAD and `{branch}` have no common history; name the base: insightmap diff REV")
        return Revision(branch, base, f"{branch} (merge base {base[:7]})"), []
    head = _git_text(repo, "rev-parse", "HEAD") or "HEAD"
    note = (
        "no main or master branch found; comparing the working tree with HEAD "
        "(name a base revision to compare with another)"
    )
    return Revision("HEAD", head, f"HEAD ({head[:7]})"), [note]


#: Bounds on what one revision may hold (a tree that names one subtree many times multiplies).
MAX_TREE_ENTRIES = 1_000_000
MAX_TREE_DEPTH = 64
#: Blob bytes asked of one `git cat-file --batch` call.
BATCH_BYTES = 64 * 1024 * 1024
TREE_MODE = b"40000"
FILE_MODES = (b"100644", b"100755")  # regular files; a symbolic link or a submodule is not read


class UnsafeTree(GitError):
    """A revision's tree holds an entry that is no safe file name (made with git plumbing)."""


@dataclass(frozen=True)
class _Entry:
    mode: bytes
    name: bytes
    sha: str


def _objects(repo: Path, shas: list[str], what: str) -> list[bytes]:
    """Return the contents of objects, read with one `git cat-file --batch`."""
    if not shas:
        return []
    done = _git(repo, "cat-file", "--batch", data="".join(f"{s}\n" for s in shas).encode())
    if done.returncode != 0:
        raise GitError(f"git cat-file failed: {done.stderr.decode(errors='replace').strip()}")
    out, offset, contents = done.stdout, 0, []
    for sha in shas:
        header_end = out.index(b"\n", offset)
        header = out[offset:header_end].split()
        if len(header) != 3:
            raise GitError(f"the {what} {sha[:7]} is missing from the repository; run `git fetch`")
        size = int(header[2])
        contents.append(out[header_end + 1 : header_end + 1 + size])
        offset = header_end + 2 + size
    return contents


def _sizes(repo: Path, shas: list[str]) -> list[int]:
    done = _git(repo, "cat-file", "--batch-check", data="".join(f"{s}\n" for s in shas).encode())
    lines = done.stdout.decode().splitlines()
    if done.returncode != 0 or len(lines) != len(shas) or any(len(ln.split()) != 3 for ln in lines):
        raise GitError("a file of the revision is missing from the repository; run `git fetch`")
    return [int(line.split()[2]) for line in lines]


def _entries(tree: bytes) -> list[_Entry]:
    """Parse a raw tree object: `mode SP name NUL 20-byte id`, repeated. Names are bytes, unjoined."""
    entries, offset = [], 0
    while offset < len(tree):
        space = tree.index(b" ", offset)
        nul = tree.index(b"\0", space)
        sha = tree[nul + 1 : nul + 21].hex()
        entries.append(_Entry(tree[offset:space], tree[space + 1 : nul], sha))
        offset = nul + 21
    return entries


def _unsafe(name: bytes) -> str | None:
    """Return why a tree entry name could step out of its folder, or None.

    git itself never writes such names, but `git hash-object --literally` does and
    `git fetch` accepts them; joined to a folder they would reach anywhere on disk.
    """
    if not name:
        return "it has an empty name"
    if name in (b".", b".."):
        return f"it is named `{name.decode()}`"
    if b"/" in name:
        return "its name holds a `/` (one entry, not a folder path)"
    if b"\\" in name:
        return "its name holds a `\\`, a folder separator on Windows"
    try:
        name.decode("utf-8")
    except UnicodeDecodeError:
        return "its name is not valid UTF-8"
    return None


_HARMLESS_ABOVE = ("its name holds a `\\`", "its name is not valid UTF-8")


def _shown(name: bytes) -> str:
    text = name.decode("utf-8", "backslashreplace")
    return text if text.isprintable() else repr(text)


class _TreeReader:
    """Read one revision's project files from git objects, checking every name on the way."""

    def __init__(self, repo: Path, revision: Revision) -> None:
        self.repo = repo
        self.revision = revision
        self.count = 0

    def refuse(self, path: str, reason: str) -> UnsafeTree:
        return UnsafeTree(
            f"{self.revision.rev}:{path}: error[unsafe-path]: the revision {self.revision.label} holds "
            f"a tree entry that is no safe file name: {reason}\n"
            "    hint: git never makes such an entry by itself; do not check the revision out, "
            "and ask whoever made it (nothing was written)"
        )

    def tree(self, sha: str, path: str, project: bool = True) -> list[_Entry]:
        """Return a tree's entries, refusing any name that could escape its folder.

        Above the project (project=False) only names that step out are refused: other
        folders' odd but harmless names (a `\\`, not UTF-8) are no business of the diff.
        """
        (raw,) = _objects(self.repo, [sha], "tree")
        entries = _entries(raw)
        self.count += len(entries)
        if self.count > MAX_TREE_ENTRIES:
            raise GitError(
                f"{self.revision.rev}: the revision holds more than {MAX_TREE_ENTRIES:,} files and "
                "folders; insightmap diff stops there"
            )
        for entry in entries:
            reason = _unsafe(entry.name)
            if reason and (project or not reason.startswith(_HARMLESS_ABOVE)):
                raise self.refuse(f"{path}{_shown(entry.name)}", reason)
        return entries

    def files(self, prefix: str) -> dict[str, str] | None:
        """Return {project-relative path: blob id} of the project at prefix, or None if it is absent."""
        root = _git_text(self.repo, "rev-parse", "--verify", "--quiet", f"{self.revision.commit}^{{tree}}")
        if root is None:
            raise GitError(f"cannot read the tree of {self.revision.label}")
        sha, walked = root, ""
        for segment in [s for s in prefix.split("/") if s]:
            found = [
                e for e in self.tree(sha, walked, False) if e.name == segment.encode() and e.mode == TREE_MODE
            ]
            if not found:
                return None
            sha, walked = found[0].sha, f"{walked}{segment}/"
        files: dict[str, str] = {}
        level: list[tuple[str, str]] = []
        for entry in self.tree(sha, walked, False):
            name = entry.name.decode("utf-8", "replace")
            if name == CONFIG_FILE and entry.mode in FILE_MODES:
                files[name] = entry.sha
            elif name in PROJECT_PATHS and entry.mode == TREE_MODE:
                level.append((entry.sha, f"{name}/"))
        for _ in range(MAX_TREE_DEPTH):
            following: list[tuple[str, str]] = []
            for tree_sha, folder in level:
                for entry in self.tree(tree_sha, walked + folder):
                    # Compare and write names composed: macOS may have committed them decomposed.
                    path = folder + normalise(entry.name.decode())
                    if entry.mode == TREE_MODE:
                        following.append((entry.sha, path + "/"))
                    elif entry.mode in FILE_MODES:
                        if path in files:
                            raise self.refuse(walked + path, "two entries have this name once composed (NFC)")
                        files[path] = entry.sha
            if not following:
                return files
            level = following
        raise GitError(
            f"{self.revision.rev}: folders nested more than {MAX_TREE_DEPTH} deep; diff stops there"
        )


def materialise(repo: Path, revision: Revision, prefix: str, target: Path, max_bytes: int) -> bool:
    """Write the project files (insights/, maps/, insightmap.yml) of a revision into target.

    target is a private temporary folder; every path written was checked name by name
    in the git trees, each file is created new (never through a link), and a file over
    max_bytes is written as a hole of its size so the loader reports it as too large
    without the revision's bytes being held. Returns False when the revision has no
    insightmap.yml at the project's place.
    """
    reader = _TreeReader(repo, revision)
    files = reader.files(prefix)
    if not files:
        return False
    paths = sorted(files)
    sizes = dict(zip(paths, _sizes(repo, [files[p] for p in paths]), strict=True))
    batch: list[str] = []
    batch_bytes = 0
    for path in [*paths, None]:
        if path is not None and sizes[path] <= max_bytes:
            batch.append(path)
            batch_bytes += sizes[path]
            if batch_bytes < BATCH_BYTES:
                continue
        contents = _objects(repo, [files[p] for p in batch], "file")
        for done, content in zip(batch, contents, strict=True):
            _write_new(target, done, content, len(content), reader)
        batch, batch_bytes = [], 0
        if path is not None and sizes[path] > max_bytes:
            _write_new(target, path, b"", sizes[path], reader)
    return CONFIG_FILE in files


def _write_new(target: Path, relative: str, content: bytes, size: int, reader: _TreeReader) -> None:
    """Create target/relative (checked segments only), refusing to follow or replace anything."""
    path = target.joinpath(*relative.split("/"))
    if target.resolve() not in path.resolve().parents:
        raise reader.refuse(relative, "it leads out of the project")  # unreachable after the name checks
    path.parent.mkdir(parents=True, exist_ok=True)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags, 0o600)
    except FileExistsError:
        # A case-insensitive file system: `A.md` and `a.md` are one file here.
        raise reader.refuse(relative, "another entry is the same file on this file system") from None
    with os.fdopen(fd, "wb") as handle:
        handle.write(content)
        if size > len(content):
            handle.truncate(size)


def load_revision(project: Project, revision: Revision) -> tuple[Corpus, list[Problem]]:
    """Load the corpus of a revision (or of the working tree) of the project."""
    from insightmap.load import load

    if revision.commit is None:
        return load(project)
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
        return load(open_project(target))


# --- comparison -------------------------------------------------------------------------------


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
    }
    return CorpusDiff(
        base=base_rev,
        head=head_rev,
        insights=compare_records(base.insights, head.insights),
        studies=compare_records(base.studies, head.studies),
        cells=tuple(moves),
        regions=regions,
        organisations=tuple(organisations),
        totals=totals,
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


# --- rendering --------------------------------------------------------------------------------

MESSAGES = {
    "sv": {
        "heading": "Ändringar i insikterna",
        "compared": "Jämfört",
        "insights": "insikter",
        "studies": "insiktsarbeten",
        "added": "Nya",
        "removed": "Borttagna",
        "changed": "Ändrade",
        "none": "Inga insikter eller insiktsarbeten har ändrats.",
        "gaps": "Vita fläckar",
        "filled": "Fyller",
        "emptied": "Ny vit fläck",
        "strengthened": "Från tunn till täckt",
        "weakened": "Från täckt till tunn",
        "map": "Insiktskartan",
        "now_has": "har nu insikter från",
        "no_longer": "har inte längre insikter från",
        "problems": "problem i ändringen; de berörda posterna är inte med. Kör `insightmap check`.",
        "fields": "ändrat",
        "file": "fil",
        "body": "text",
        "totals": "Antal",
        "empty_cells": "tomma celler",
        "organisations": "organisationer",
    },
    "en": {
        "heading": "Changes to the insights",
        "compared": "Compared",
        "insights": "insights",
        "studies": "studies",
        "added": "New",
        "removed": "Removed",
        "changed": "Changed",
        "none": "No insight or study changed.",
        "gaps": "White spots",
        "filled": "Fills",
        "emptied": "New white spot",
        "strengthened": "From thin to covered",
        "weakened": "From covered to thin",
        "map": "The insight map",
        "now_has": "now has insights from",
        "no_longer": "no longer has insights from",
        "problems": "problem(s) in the change; the records concerned are left out. Run `insightmap check`.",
        "fields": "changed",
        "file": "file",
        "body": "body",
        "totals": "Counts",
        "empty_cells": "empty cells",
        "organisations": "organisations",
    },
}


def render_diff(diff: CorpusDiff, corpus: Corpus, fmt: str = "markdown") -> str:
    """Render the diff as Markdown (for a merge-request comment) or plain text, in the corpus language."""
    from jinja2 import Environment, PackageLoader, StrictUndefined

    from insightmap.analyse.venn import region_label
    from insightmap.spreadsheet import HEADERS

    language = corpus.language
    words = MESSAGES[language]
    vocabulary = corpus.vocabulary

    def field_label(name: str) -> str:
        return {"path": words["file"], "body": words["body"]}.get(name) or HEADERS[language][name].lower()

    def cell_label(move: CellMove) -> str:
        return (
            f"{vocabulary.label('perspective', move.row, language)} × "
            f"{vocabulary.label('subpopulation', move.col, language)}"
        )

    env = Environment(
        loader=PackageLoader("insightmap", "templates/report"),
        autoescape=False,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    template = env.get_template("diff.j2")
    return template.render(
        d=diff,
        md=fmt == "markdown",
        t=words,
        field_label=field_label,
        cell_label=cell_label,
        org_name=lambda key: corpus.organisation(key).name,
        perspective=lambda key: vocabulary.label("perspective", key, language),
        region=lambda key: region_label(key, corpus, language),
        kinds=[("insights", diff.insights), ("studies", diff.studies)],
    )
