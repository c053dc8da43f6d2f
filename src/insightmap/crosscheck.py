"""Checks across records: ids used twice, ids that take a generated page's address, unknown studies,
and what an action builds on (an insight that exists, not a study or another action)."""

from __future__ import annotations

from collections import defaultdict

from insightmap.errors import Problem
from insightmap.hints import did_you_mean
from insightmap.ids import is_qualified, normalise
from insightmap.rawrecord import Field, RawRecord
from insightmap.records import Record


def cross_check(records: list[Record], raws: list[RawRecord]) -> tuple[list[Record], list[Problem]]:
    """Refuse records whose id is taken twice, whose page is a generated page's, or whose study is unknown."""
    problems: list[Problem] = []
    by_id: dict[str, list[Record]] = defaultdict(list)
    for record in records:
        by_id[record.id].append(record)
    bad: set[str] = set()
    fields = {raw.path: raw.fields for raw in raws}
    for record_id, same in by_id.items():
        if len(same) > 1:
            first = same[0]
            for other in same[1:]:
                f = fields[other.path].get("id")
                problems.append(
                    _located(
                        f,
                        other,
                        "duplicate-id",
                        f"the id `{record_id}` is also used by {first.path}",
                        "give one of them another `id:`",
                    )
                )
            bad.add(record_id)
    problems.extend(_url_collisions(records, fields, bad))
    studies = {r.id for r in records if r.kind == "study"}
    for record in records:
        # A `SOURCE:ID` reference names a source's record: the sources stage (sources/join.py) checks it.
        if (
            record.kind == "insight"
            and record.study
            and record.study not in studies
            and not is_qualified(record.study)
        ):
            f = fields[record.path].get("study")
            hint = did_you_mean(
                record.study, sorted(studies), "a study's id is its path below insights/ without .md"
            )
            problems.append(
                _located(f, record, "unknown-study", f"no study with id `{record.study}`", hint, below=1)
            )
            bad.add(record.id)
    problems.extend(_builds_on(records, fields, bad))
    return [r for r in records if r.id not in bad], problems


def _builds_on(records: list[Record], fields: dict[str, dict[str, Field]], bad: set[str]) -> list[Problem]:
    """Refuse actions that build on an unknown id, or on a study or action instead of an insight."""
    kinds = {r.id: r.kind for r in records}
    insights = sorted(i for i, kind in kinds.items() if kind == "insight")
    problems = []
    for record in records:
        if record.kind != "action":
            continue
        f = fields[record.path].get("builds-on")
        # The line of each id as written (ids are normalised and duplicates dropped when built).
        written = f.value if f and isinstance(f.value, list) else []
        lines = {
            normalise(str(v).strip()): n for v, n in zip(written, f.item_lines if f else (), strict=False)
        }
        for target in record.builds_on:
            kind = kinds.get(target)
            if kind == "insight" or (kind is None and is_qualified(target)):  # checked by sources/join.py
                continue
            if kind is None:
                code, message = "unknown-insight", f"builds-on names `{target}`, which is no insight"
                hint = did_you_mean(
                    target, insights, "an insight's id is its path below insights/ without .md"
                )
            else:
                code = "builds-on-kind"
                message = f"builds-on names `{target}`, which is a{'n' if kind == 'action' else ''} {kind}"
                hint = "an action builds on insights; name the insights that led to it"
            problem = _located(f, record, code, message, hint, below=1)
            if target in lines:
                problem = Problem(problem.path, lines[target], code, message, hint)
            problems.append(problem)
            bad.add(record.id)
    return problems


def _url_collisions(
    records: list[Record], fields: dict[str, dict[str, Field]], bad: set[str]
) -> list[Problem]:
    """Refuse records whose page URL is a generated page's (it would replace a map's region list)."""
    from insightmap.site.urls import record_url, reserved_pages

    reserved = reserved_pages()
    problems = []
    for record in records:
        url = record_url(record)
        if url not in reserved:
            continue
        f = fields[record.path].get("id")
        problems.append(
            _located(
                f,
                record,
                "url-collision",
                f"the id `{record.id}` gives the page {url}, which is {reserved[url]} ({url}index.md)",
                "the site makes that page itself; rename the file or give the record another `id:`",
            )
        )
        bad.add(record.id)
    return problems


def _located(f: Field | None, record: Record, code: str, message: str, hint: str, below: int = 0) -> Problem:
    """Return a problem at the field when the record has it, else at the record's front-matter."""
    return Problem(f.path if f else record.path, f.line if f else record.line + below, code, message, hint)
