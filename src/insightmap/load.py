"""Files → raw records: walk insights/, apply folder defaults, read front-matter with lines."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from insightmap.errors import Problem, RecordSyntaxError, relpath
from insightmap.project import Project
from insightmap.records import Corpus
from insightmap.yamlfile import Document, Mapping, read_document, read_mapping_file

META_FILE = ".meta.yml"


@dataclass(frozen=True)
class Field:
    """A front-matter value with the file and line it came from (the record or a .meta.yml)."""

    value: Any
    path: str
    line: int
    item_lines: tuple[int, ...] = ()


@dataclass
class RawRecord:
    """A record as read: its document and every field with its origin."""

    path: str
    document: Document
    fields: dict[str, Field] = field(default_factory=dict)


def load(project: Project) -> tuple[Corpus, list[Problem]]:
    """Load and validate every record of a project; return the valid ones and all problems."""
    from insightmap.validate import build_corpus

    raws, problems = read_records(project)
    corpus, record_problems = build_corpus(raws, project)
    return corpus, sorted([*project.problems, *problems, *record_problems])


def read_records(project: Project) -> tuple[list[RawRecord], list[Problem]]:
    """Read every `.md` file under insights/ with its folder defaults, in path order."""
    root = project.root
    problems: list[Problem] = []
    raws: list[RawRecord] = []
    metas: dict[Path, dict[str, Field]] = {}
    if not project.insights_dir.is_dir():
        return raws, problems
    for folder, dirs, files in os.walk(project.insights_dir, followlinks=False):
        here = Path(folder)
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not _escapes(here / d, root, problems))
        inherited = metas.get(here.parent, {}) if here != project.insights_dir else {}
        defaults = dict(inherited)
        if META_FILE in files:
            defaults.update(_read_meta(here / META_FILE, root, problems, project))
        metas[here] = defaults
        for name in sorted(files):
            if not name.endswith(".md") or name.startswith("."):
                continue
            path = here / name
            shown = relpath(path, root)
            if _escapes(path, root, problems):
                continue
            try:
                document = read_document(path, shown, project.config.max_record_bytes)
            except RecordSyntaxError as exc:
                problems.append(exc.problem)
                continue
            fields = dict(defaults)
            fields.update(_fields(document.front, shown))
            raws.append(RawRecord(shown, document, fields))
    return raws, problems


def _read_meta(path: Path, root: Path, problems: list[Problem], project: Project) -> dict[str, Field]:
    shown = relpath(path, root)
    if _escapes(path, root, problems):
        return {}
    try:
        mapping = read_mapping_file(path, shown, project.config.max_record_bytes)
    except RecordSyntaxError as exc:
        problems.append(exc.problem)
        return {}
    for forbidden in ("id", "title"):
        if forbidden in mapping.values:
            problems.append(Problem(shown, mapping.lines[forbidden], "meta",
                                    f"`{forbidden}` cannot be a folder default",
                                    "set it in each record instead"))
            mapping.values.pop(forbidden)
    return _fields(mapping, shown)


def _fields(mapping: Mapping, shown: str) -> dict[str, Field]:
    return {
        key: Field(value, shown, mapping.lines[key], tuple(mapping.item_lines.get(key, ())))
        for key, value in mapping.values.items()
    }


def _escapes(path: Path, root: Path, problems: list[Problem]) -> bool:
    """Refuse a symbolic link that leads outside the project (it could expose other files)."""
    if not path.is_symlink():
        return False
    target = path.resolve()
    if target == root or root in target.parents:
        return False
    problems.append(Problem(relpath(path, root), 1, "symlink",
                            "a symbolic link points outside the project; it is not read",
                            "copy the file into insights/ instead"))
    return True
