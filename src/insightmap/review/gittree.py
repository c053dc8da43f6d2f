"""Read a revision's project files from git safely, without checking anything out.

A revision's trees and files are read as git objects (`git cat-file --batch`),
tree by tree, so every entry name is checked on its own: a name that is `..`,
empty or holds a `/` (possible with git plumbing, accepted by `git fetch`) is an
error before anything is written. The checked files go into a private temporary
folder; the working tree is never touched.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from insightmap.errors import InsightmapError
from insightmap.load.ids import normalise
from insightmap.load.project import CONFIG_FILE

WORKING_TREE = "working tree"
BASE_BRANCHES = ("main", "master", "origin/main", "origin/master")
PROJECT_PATHS = ("insights", "maps", CONFIG_FILE)
#: Files at the project's top that a revision is read with: its settings and its sources' locked commits.
TOP_FILES = (CONFIG_FILE, "insightmap.lock")


class GitError(InsightmapError):
    """git cannot give what the diff needs (not a repository, unknown or missing revision)."""


@dataclass(frozen=True)
class Revision:
    """One side of the comparison: a git revision or the working tree."""

    rev: str  # what the user gave or the default chose; WORKING_TREE for the files on disk
    commit: str | None  # the full commit id, None for the working tree
    label: str  # for people, e.g. `main (merge base 1a2b3c4)`


def _git(repo: Path, *args: str, data: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", "-C", str(repo), *args], input=data, capture_output=True, check=False)
    except FileNotFoundError as exc:
        raise GitError("git is not installed or not on PATH; insightmap diff needs it") from exc


def _git_text(repo: Path, *args: str) -> str | None:
    done = _git(repo, *args)
    return done.stdout.decode("utf-8").strip() if done.returncode == 0 else None


def git_root(path: Path, command: str = "diff") -> Path:
    """Return the top folder of the git working tree around path (command: who needs it, for the message)."""
    top = _git_text(path, "rev-parse", "--show-toplevel")
    if top is None:
        raise GitError(
            f"{path} is not inside a git repository; `insightmap {command}` reads "
            "git revisions (run `git init` and commit the records first)"
        )
    return Path(top).resolve()


def is_shallow(repo: Path) -> bool:
    """Tell whether the repository is a shallow clone (older history missing)."""
    return _git_text(repo, "rev-parse", "--is-shallow-repository") == "true"


_is_shallow = is_shallow


def first_parent_commits(repo: Path) -> list[tuple[str, int]]:
    """Return HEAD's first-parent history as (commit id, committer time in seconds), newest first."""
    if _git_text(repo, "rev-parse", "--verify", "--quiet", "HEAD^{commit}") is None:
        raise GitError("the repository has no commits yet; commit the records first")
    done = _git(repo, "log", "--first-parent", "--format=%H %ct", "HEAD")
    if done.returncode != 0:
        raise GitError(f"git log failed: {done.stderr.decode(errors='replace').strip()}")
    commits = []
    for line in done.stdout.decode().splitlines():
        sha, _, seconds = line.partition(" ")
        commits.append((sha, int(seconds)))
    return commits


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
            if name in TOP_FILES and entry.mode in FILE_MODES:
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
    """Write the project files (insights/, maps/, insightmap.yml, insightmap.lock) of a revision into target.

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
