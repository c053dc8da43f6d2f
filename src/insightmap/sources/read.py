"""Read a source as its own project: from its folder, or from git at the locked commit (never checked out).

A git source's insightmap.yml, insights/ and maps/ are read as git objects with the
same name checks as `diff` (gittree) into a private temporary folder; nothing else of
the source (hooks, plugins, templates, mkdocs.yml) is read. The records then go
through the same loader as the project's own: privacy scan, size limit, symlink check.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from insightmap.errors import InsightmapError, Problem
from insightmap.load.project import CONFIG_FILE, Project, open_project
from insightmap.records import Corpus
from insightmap.sources import git
from insightmap.sources.config import Source

UPDATE_HINT = "run `insightmap sources update`"


class SourceMissing(InsightmapError):
    """A source's locked commit is not here (a fresh clone) or its folder is gone."""


@dataclass
class Read:
    """A source read as its own project: its settings, all its valid records, its problems."""

    source: Source
    commit: str | None  # None for a folder source
    project: Project
    corpus: Corpus
    problems: list[Problem]
    config_text: str  # its insightmap.yml, to locate conflicting definitions


def source_folder(root: Path, source: Source) -> Path:
    """Return the folder of a `path:` source, relative to the project root."""
    assert source.path is not None
    return (root / source.path).resolve()


def read_folder(root: Path, source: Source, max_bytes: int) -> Read:
    """Read a `path:` source from its working tree (its symlinks may not leave it)."""
    folder = source_folder(root, source)
    # open_project looks upwards for insightmap.yml: a folder without one would find ours.
    if not (folder / CONFIG_FILE).is_file():
        raise SourceMissing(
            f"source `{source.name}`: {folder} holds no {CONFIG_FILE}; "
            "a source is another insightmap project (check `path:` in insightmap.yml)"
        )
    return _read(source, None, folder, max_bytes)


def read_commit(root: Path, source: Source, commit: str, max_bytes: int) -> Read:
    """Read a git source at a commit from its bare repository in build/sources/."""
    with materialised(root, source, commit, max_bytes) as folder:
        return _read(source, commit, folder, max_bytes)


@contextmanager
def materialised(root: Path, source: Source, commit: str, max_bytes: int) -> Iterator[Path]:
    """Yield a private folder holding the source's project files at commit (checked name by name)."""
    from insightmap.review.gittree import GitError, Revision, materialise

    repo = git.repository(root, source.name)
    if git.commit_of(repo, commit) is None:
        raise SourceMissing(
            f"source `{source.name}`: the locked commit {commit[:7]} is not in {repo.relative_to(root)} "
            f"(a fresh clone?); {UPDATE_HINT} to fetch it"
        )
    with tempfile.TemporaryDirectory(prefix=f"insightmap-{source.name}-") as tmp:
        target = Path(tmp) / "project"
        target.mkdir()
        try:
            found = materialise(
                repo, Revision(source.ref, commit, f"{source.name} {commit[:7]}"), "", target, max_bytes
            )
        except GitError as exc:
            raise SourceMissing(f"source `{source.name}`: {exc.message}") from None
        if not found:
            raise SourceMissing(
                f"source `{source.name}`: commit {commit[:7]} holds no {CONFIG_FILE} at the top of the "
                "repository; a source is another insightmap project"
            )
        yield target


def _read(source: Source, commit: str | None, folder: Path, max_bytes: int) -> Read:
    from insightmap.load import load

    project = open_project(folder)
    # The region's size limit holds for its sources too: a source cannot raise it.
    project.config.max_record_bytes = min(project.config.max_record_bytes, max_bytes)
    corpus, problems = load(project)
    text = (folder / CONFIG_FILE).read_text("utf-8", errors="replace")
    return Read(source, commit, project, corpus, problems, text)


def input_files(project: Project) -> list[Path]:
    """Return the files a build reads through the sources: insightmap.lock and each folder source's files.

    A git source is fixed by its commit in the lock; a folder source by what its folder holds.
    For whatever decides that a site is up to date (site/stamp.py).
    """
    from insightmap.sources.lock import LOCK_FILE

    files = [project.root / LOCK_FILE] if (project.root / LOCK_FILE).is_file() else []
    for source in sorted(project.sources.values(), key=lambda s: s.name):
        if source.path is None:
            continue
        folder = source_folder(project.root, source)
        files += [folder / CONFIG_FILE] if (folder / CONFIG_FILE).is_file() else []
        if (folder / "insights").is_dir():
            files += sorted(p for p in (folder / "insights").rglob("*") if p.is_file())
    return files
