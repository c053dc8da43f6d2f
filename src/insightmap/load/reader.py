"""Files → raw records: walk insights/, apply folder defaults, read front-matter with lines."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from insightmap.errors import Problem, RecordSyntaxError, relpath
from insightmap.load.privacy import PersonalData, name_problems, scan_document, scan_mapping
from insightmap.load.privacy import problems as privacy_problems
from insightmap.load.project import Project
from insightmap.load.rawrecord import Field, RawRecord, fields_of
from insightmap.load.validate import build_corpus
from insightmap.load.yamlfile import Document, parse_mapping, read_document, read_text
from insightmap.records import Corpus

#: The name spreadsheet import uses to build raw records the way load does.
_fields = fields_of

META_FILE = ".meta.yml"


Progress = Callable[[int, int], None]


def load(project: Project, progress: Progress | None = None) -> tuple[Corpus, list[Problem]]:
    """Load and validate every record of a project; return the valid ones and all problems.

    progress, if given, is called with (records read, records in all) while reading.
    """
    raws, problems = read_records(project, progress)
    corpus, record_problems = build_corpus(raws, project)
    return corpus, sorted([*project.problems, *problems, *record_problems])


def read_records(project: Project, progress: Progress | None = None) -> tuple[list[RawRecord], list[Problem]]:
    """Read every `.md` file under insights/ with its folder defaults, in path order."""
    root = project.root
    problems: list[Problem] = []
    raws: list[RawRecord] = []
    metas: dict[Path, dict[str, Field]] = {}
    jobs: list[tuple[Path, str, dict[str, Field]]] = []
    if not project.insights_dir.is_dir():
        return raws, problems
    allow = project.privacy_allow
    for folder, dirs, files in os.walk(project.insights_dir, followlinks=False):
        here = Path(folder)
        dirs[:] = sorted(
            d
            for d in dirs
            if not d.startswith(".")
            and not _escapes(here / d, root, problems)
            # A folder whose name holds personal data is refused whole: its name
            # would be in the address of every page below it.
            and not _named_with_personal_data(here / d, root, problems, allow, "folder")
        )
        inherited = metas.get(here.parent, {}) if here != project.insights_dir else {}
        defaults = dict(inherited)
        if META_FILE in files:
            defaults.update(_read_meta(here / META_FILE, root, problems, project))
        metas[here] = defaults
        for name in sorted(files):
            if name.startswith("."):
                continue
            path = here / name
            # Every file name is checked, records or not (attachments may be published).
            if _named_with_personal_data(path, root, problems, allow, "file") or not name.endswith(".md"):
                continue
            if not _escapes(path, root, problems):
                jobs.append((path, relpath(path, root), defaults))
    documents = _read_documents(
        [(path, shown) for path, shown, _ in jobs], project.config.max_record_bytes, allow, progress
    )
    for (_, shown, defaults), result in zip(jobs, documents, strict=True):
        if isinstance(result, Problem):
            problems.append(result)
            continue
        document, personal_data = result
        fields = dict(defaults)
        fields.update(fields_of(document.front, shown))
        raws.append(RawRecord(shown, document, fields, personal_data))
    return raws, problems


#: From this many records on, parsing is spread over the machine's cores (measured:
#: below it the start-up of worker processes costs more than it saves).
PARALLEL_FROM = 2_000


Parsed = tuple[Document, list[PersonalData]] | Problem


def _read_documents(
    jobs: list[tuple[Path, str]],
    max_bytes: int,
    allow: tuple[str, ...] = (),
    progress: Progress | None = None,
) -> list[Parsed]:
    """Read, parse and scan documents for personal data in order (in parallel when large)."""
    workers = min(os.cpu_count() or 1, 8)
    if len(jobs) < PARALLEL_FROM or workers < 2:
        result = _read_chunk(jobs, max_bytes, allow)
        if progress:
            progress(len(jobs), len(jobs))
        return result
    from concurrent.futures import ProcessPoolExecutor

    size = -(-len(jobs) // (workers * 4))
    chunks = [jobs[i : i + size] for i in range(0, len(jobs), size)]
    try:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            parts = []
            for part in pool.map(_read_chunk, chunks, [max_bytes] * len(chunks), [allow] * len(chunks)):
                parts.append(part)
                if progress:
                    progress(sum(len(p) for p in parts), len(jobs))
    except (OSError, RuntimeError):  # no processes allowed here: read in this one
        return _read_chunk(jobs, max_bytes, allow)
    return [document for part in parts for document in part]


def _read_chunk(jobs: list[tuple[Path, str]], max_bytes: int, allow: tuple[str, ...] = ()) -> list[Parsed]:
    results: list[Parsed] = []
    for path, shown in jobs:
        try:
            document = read_document(path, shown, max_bytes)
        except RecordSyntaxError as exc:
            results.append(exc.problem)
            continue
        results.append((document, scan_document(document, allow)))
    return results


def _read_meta(path: Path, root: Path, problems: list[Problem], project: Project) -> dict[str, Field]:
    shown = relpath(path, root)
    if _escapes(path, root, problems):
        return {}
    try:
        text = read_text(path, shown, project.config.max_record_bytes)
        mapping = parse_mapping(text, shown)
    except RecordSyntaxError as exc:
        problems.append(exc.problem)
        return {}
    # Folder defaults are inherited by every record below: scan them as written and decoded.
    found = scan_mapping(text, mapping, project.privacy_allow)
    if found:
        problems.extend(privacy_problems(shown, found))
        return {}
    for forbidden in ("id", "title"):
        if forbidden in mapping.values:
            problems.append(
                Problem(
                    shown,
                    mapping.lines[forbidden],
                    "meta",
                    f"`{forbidden}` cannot be a folder default",
                    "set it in each record instead",
                )
            )
            mapping.values.pop(forbidden)
    return fields_of(mapping, shown)


def _named_with_personal_data(
    path: Path, root: Path, problems: list[Problem], allow: tuple[str, ...], what: str
) -> bool:
    """Report (masked) and refuse a file or folder whose name holds personal data."""
    found = name_problems(relpath(path, root), allow, what)
    problems.extend(found)
    return bool(found)


def _escapes(path: Path, root: Path, problems: list[Problem]) -> bool:
    """Refuse a symbolic link that leads outside the project (it could expose other files)."""
    if not path.is_symlink():
        return False
    target = path.resolve()
    if target == root or root in target.parents:
        return False
    problems.append(
        Problem(
            relpath(path, root),
            1,
            "symlink",
            "a symbolic link points outside the project; it is not read",
            "copy the file into insights/ instead",
        )
    )
    return True
