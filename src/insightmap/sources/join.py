"""Records from the sources join the corpus: ids under the source's name, public ones only, with provenance.

`karlskrona/lunch` from the source `karlskrona` becomes `karlskrona:karlskrona/lunch`,
and so does every reference inside the source's records (study, builds-on, same-as, not-same-as). The region's
own records may name `SOURCE:ID`. An organisation or a vocabulary term that two sources
(or a source and the region) define differently is an error naming both.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import quote

from insightmap.errors import Problem
from insightmap.load.ids import is_qualified, qualified
from insightmap.load.organisations import Organisation, Register
from insightmap.load.project import CONFIG_FILE, Project
from insightmap.load.vocabulary import Vocabulary
from insightmap.records import KINDS, Corpus, Origin, Record
from insightmap.sources.config import Source
from insightmap.sources.lock import read_lock
from insightmap.sources.read import UPDATE_HINT, Read, SourceMissing, read_commit, read_folder

REGION = "the region's own insightmap.yml"


def read_sources(project: Project, home: Path | None = None) -> list[Read]:
    """Read every source at its locked commit (git) or from its folder (path); never the network.

    home is where the sources' repositories (build/sources/) and folders are found: the
    project's own folder, or the real project when an older revision is read (`diff`).
    """
    home = home or project.root
    lock = read_lock(project.root) if any(s.git for s in project.sources.values()) else {}
    found = []
    max_bytes = project.config.max_record_bytes
    for name, source in sorted(project.sources.items()):
        if source.path is not None:
            found.append(read_folder(home, source, max_bytes))
        elif name not in lock:
            raise SourceMissing(f"source `{name}` has no locked commit in insightmap.lock yet; {UPDATE_HINT}")
        else:
            found.append(read_commit(home, source, lock[name].commit, max_bytes))
    return found


def join_sources(project: Project, corpus: Corpus, home: Path | None = None) -> tuple[Corpus, list[Problem]]:
    """Return the corpus with the sources' records added, and the problems of joining them."""
    if not project.sources and not any(_references(r) for r in corpus.records):
        return corpus, []
    reads = read_sources(project, home)
    problems = [_in_source(read.source, p) for read in reads for p in read.problems]
    register, vocabulary, conflicts = _definitions(corpus, reads)
    records = [*corpus.records, *(r for read in reads for r in incoming(read))]
    records, unknown = _resolved(records)
    insights, studies, actions = (
        sorted((r for r in records if r.kind == k), key=lambda r: r.id) for k in KINDS
    )
    joined = Corpus(insights, studies, register, vocabulary, corpus.config, corpus.root, actions)
    return joined, sorted([*problems, *conflicts, *unknown])


def incoming(read: Read) -> list[Record]:
    """Return the records of a source that come in (public ones unless `records: all`), namespaced."""
    corpus = read.corpus if read.source.all_records else read.corpus.public()
    return [_namespaced(r, read.source, read.commit) for r in corpus.records]


def _namespaced(record: Record, source: Source, commit: str | None) -> Record:
    def q(record_id: str) -> str:
        return qualified(source.name, record_id)

    url = None
    if source.browse and commit:
        url = source.browse.replace("{commit}", commit).replace("{path}", quote(record.path))
    return replace(
        record,
        id=q(record.id),
        study=q(record.study) if record.study else None,
        builds_on=tuple(q(i) for i in record.builds_on),
        same_as=tuple(q(i) for i in record.same_as),
        not_same_as=tuple(q(i) for i in record.not_same_as),
        path=f"{source.name}:{record.path}",
        origin=Origin(source.name, commit, record.path, url),
    )


def _in_source(source: Source, problem: Problem) -> Problem:
    """Return a source's problem located in the source: `karlskrona:insights/x.md:4`."""
    return replace(problem, path=f"{source.name}:{problem.path}")


def _references(record: Record) -> list[tuple[str, str]]:
    """Return the `SOURCE:ID` references of a record as (field, id)."""
    found = [("study", record.study)] if record.study and is_qualified(record.study) else []
    links = [
        ("builds-on", record.builds_on),
        ("same-as", record.same_as),
        ("not-same-as", record.not_same_as),
    ]
    return found + [(name, i) for name, ids in links for i in ids if is_qualified(i)]


def _resolved(records: list[Record]) -> tuple[list[Record], list[Problem]]:
    """Refuse records whose `SOURCE:ID` reference names no record of the right kind that came in."""
    kinds = {r.id: r.kind for r in records}
    problems = []
    bad = set()
    for record in records:
        for name, target in _references(record):
            wanted = "study" if name == "study" else "insight"
            if kinds.get(target) == wanted:
                continue
            problems.append(
                Problem(
                    record.path,
                    record.line + 1,
                    "unknown-study" if wanted == "study" else "unknown-insight",
                    f"{name} names `{target}`, which is no {wanted} from the sources",
                    "a source's record is SOURCE:ID, e.g. karlskrona:karlskrona/lunch; only public records "
                    "of a source come in (unless `records: all`); `insightmap list` shows the ids",
                )
            )
            bad.add(record.id)
    return [r for r in records if r.id not in bad], problems


@dataclass
class _Definer:
    """Who defined an organisation or a term first: the region or a source."""

    label: str
    path: str
    text: str


def _definitions(corpus: Corpus, reads: list[Read]) -> tuple[Register, Vocabulary, list[Problem]]:
    """Merge the sources' organisations and vocabulary terms into the region's; report conflicts."""
    region = _Definer(REGION, CONFIG_FILE, _text(Path(corpus.root) / CONFIG_FILE))
    organisations: dict[str, tuple[Organisation, _Definer]] = {
        k: (o, region) for k, o in corpus.register.own.items()
    }
    vocabulary = copy.deepcopy(corpus.vocabulary)
    terms = {(n, k): region for n, keys in vocabulary.terms.items() for k in keys}
    problems = []
    for read in reads:
        here = _Definer(f"source `{read.source.name}`", f"{read.source.name}:{CONFIG_FILE}", read.config_text)
        for key, org in read.project.register.own.items():
            first = organisations.setdefault(key, (org, here))
            if first[0] != org:
                problems.append(_conflict(here, first[1], f"organisation `{key}`", key))
        for name, keys in read.project.vocabulary.terms.items():
            for key, term in keys.items():
                known = vocabulary.term(name, key)
                if known is None:
                    vocabulary.add(name, term)
                    terms[(name, key)] = here
                elif (known.sv, known.en) != (term.sv, term.en):
                    problems.append(_conflict(here, terms[(name, key)], f"the {name} term `{key}`", key))
    return Register({k: o for k, (o, _) in organisations.items()}), vocabulary, problems


def _conflict(here: _Definer, first: _Definer, what: str, key: str) -> Problem:
    return Problem(
        here.path,
        _line_of(here.text, key),
        "source-conflict",
        f"{what} is defined differently by {here.label} and by {first.label} "
        f"(line {_line_of(first.text, key)})",
        "one corpus needs one meaning per key: agree on one definition, or give one of them another key",
    )


def _line_of(text: str, key: str) -> int:
    """Return the line where a key is defined in an insightmap.yml (1 when not found)."""
    pattern = re.compile(rf"^\s+{re.escape(key)}\s*:")
    return next((n for n, line in enumerate(text.splitlines(), 1) if pattern.match(line)), 1)


def _text(path: Path) -> str:
    try:
        return path.read_text("utf-8", errors="replace")
    except OSError:
        return ""
