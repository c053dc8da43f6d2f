"""Files → raw records: walk insights/, apply folder defaults, read front-matter with lines."""

from __future__ import annotations

import gc
import os
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from insightmap.errors import Problem, RecordSyntaxError, relpath
from insightmap.load.crosscheck import cross_check
from insightmap.load.privacy import name_problems, scan_document, scan_mapping
from insightmap.load.privacy import problems as privacy_problems
from insightmap.load.project import Project
from insightmap.load.rawrecord import Field, RawRecord, fields_of
from insightmap.load.validate import CheckedRecord, assemble, check_record
from insightmap.load.yamlfile import parse_mapping, read_document, read_text
from insightmap.records import Corpus

#: The name spreadsheet import uses to build raw records the way load does.
_fields = fields_of

META_FILE = ".meta.yml"


Progress = Callable[[int, int], None]


def load(project: Project, progress: Progress | None = None) -> tuple[Corpus, list[Problem]]:
    """Load and validate every record of a project; return the valid ones and all problems.

    progress, if given, is called with (records read, records in all) while reading.
    """
    checked, problems = _read_all(_check_chunk, project, progress)
    corpus, record_problems = assemble(checked, project)
    return corpus, sorted([*project.problems, *problems, *record_problems])


def read_records(project: Project, progress: Progress | None = None) -> tuple[list[RawRecord], list[Problem]]:
    """Read every `.md` file under insights/ with its folder defaults, in path order."""
    return _read_all(_read_chunk, project, progress)


def _read_all(
    work: Callable[[list[Job], Project], list[Result | Problem]],
    project: Project,
    progress: Progress | None = None,
) -> tuple[list[Result], list[Problem]]:
    """Run work over every record file; return its results and the problems met on the way."""
    jobs, problems = _walk(project)
    results: list[Result] = []
    for result in _in_chunks(work, jobs, project, progress):
        if isinstance(result, Problem):
            problems.append(result)
        else:
            results.append(result)
    return results, problems


def recheck(project: Project, corpus: Corpus, changed: set[str]) -> Corpus | None:
    """Check only the edited record files against a corpus checked before; None when that is not enough.

    For `serve`: an edit to one insight need not wait for every file to be read again.
    Enough means: every changed path (relative to the project) is a record file of the corpus
    that still exists, and the edited records pass every check on their own (personal data
    included) and across the corpus (ids, pages, references). Anything else (a new, removed
    or renamed file, folder defaults, settings, a problem) answers None: check everything.
    """
    by_path = {r.path: r for r in corpus.records}
    if not changed or not all(name in by_path for name in changed):
        return None
    jobs, problems = _walk(project)
    jobs = [job for job in jobs if job[1] in changed]
    if problems or len(jobs) != len(changed):
        return None
    results = _check_chunk(jobs, project)
    if not all(isinstance(r, CheckedRecord) and r.record and not r.problems for r in results):
        return None
    fresh = {r.path: r for r in results if isinstance(r, CheckedRecord)}
    records = [fresh[r.path].record if r.path in fresh else r for r in corpus.records]
    fields: dict[str, dict[str, Field]] = defaultdict(dict, {p: r.cross_fields for p, r in fresh.items()})
    kept, cross = cross_check([r for r in records if r is not None], fields)
    if cross or len(kept) != len(records):
        return None
    return corpus.with_records(kept)


#: A record file to read: its path, its path as shown, and the folder defaults it inherits.
Job = tuple[Path, str, dict[str, Field]]


def _walk(project: Project) -> tuple[list[Job], list[Problem]]:
    """Return the record files under insights/ in path order with their folder defaults."""
    root = project.root
    problems: list[Problem] = []
    metas: dict[Path, dict[str, Field]] = {}
    jobs: list[Job] = []
    if not project.insights_dir.is_dir():
        return jobs, problems
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
    return jobs, problems


#: From this many records on, reading is spread over the machine's cores (measured:
#: below it the start-up of worker processes costs more than it saves).
PARALLEL_FROM = 2_000

Result = TypeVar("Result")


def _in_chunks(
    work: Callable[[list[Job], Project], list[Result | Problem]],
    jobs: list[Job],
    project: Project,
    progress: Progress | None = None,
) -> list[Result | Problem]:
    """Run work over the jobs in order, in worker processes when there are many; return its results."""
    workers = min(os.cpu_count() or 1, 8)
    if len(jobs) < PARALLEL_FROM or workers < 2:
        result = work(jobs, project)
        if progress:
            progress(len(jobs), len(jobs))
        return result
    from concurrent.futures import ProcessPoolExecutor

    size = -(-len(jobs) // (workers * 4))
    chunks = [jobs[i : i + size] for i in range(0, len(jobs), size)]
    try:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            parts = []
            for part in pool.map(work, chunks, [project] * len(chunks)):
                parts.append(part)
                if progress:
                    progress(sum(len(p) for p in parts), len(jobs))
    except (OSError, RuntimeError):  # no processes allowed here: read in this one
        return work(jobs, project)
    return [result for part in parts for result in part]


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """Run the cyclic garbage collector less often while reading records.

    Parsing allocates some 25 objects per front-matter key and frees them again by reference
    counting (node trees hold no cycles), yet every 700 allocations started a collection:
    measured on 10,000 insights, reading and checking them took 5.1-5.6 CPU s with the
    default thresholds and 4.3-4.4 s with these.
    """
    thresholds = gc.get_threshold()
    gc.set_threshold(100_000, 50, 100)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


def _read_chunk(jobs: list[Job], project: Project) -> list[RawRecord | Problem]:
    """Read, parse and scan each record file for personal data."""
    with _fewer_collections():
        return _read_each(jobs, project)


def _read_each(jobs: list[Job], project: Project) -> list[RawRecord | Problem]:
    results: list[RawRecord | Problem] = []
    for path, shown, defaults in jobs:
        try:
            document = read_document(path, shown, project.config.max_record_bytes)
        except RecordSyntaxError as exc:
            results.append(exc.problem)
            continue
        fields = dict(defaults)
        fields.update(fields_of(document.front, shown))
        results.append(RawRecord(shown, document, fields, scan_document(document, project.privacy_allow)))
    return results


def _check_chunk(jobs: list[Job], project: Project) -> list[CheckedRecord | Problem]:
    """Read each record file and check it on its own (in a worker: only the small result goes back).

    Sending whole documents back cost more than reading them: 32 MB of pickles for
    10,000 insights, 2.4 s to unpickle in the main process, which then did all the checks.
    """
    with _fewer_collections():
        return [r if isinstance(r, Problem) else check_record(r, project) for r in _read_each(jobs, project)]


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
