"""Checks across records: ids used twice, ids that take a generated page's address, unknown studies,
what an action builds on (an insight that exists, not a study or another action), and which insights
an insight says it is (`same-as`) or is not (`not-same-as`) the same learning as."""

from __future__ import annotations

from collections import defaultdict

from insightmap.errors import Problem
from insightmap.hints import did_you_mean
from insightmap.load.ids import is_qualified, normalise
from insightmap.load.rawrecord import Field
from insightmap.records import Record

#: The fields these checks point at when they refuse a record (the rest are not needed here).
CROSS_FIELDS = ("id", "study", "builds-on", "same-as", "not-same-as")


def cross_check(
    records: list[Record], fields: dict[str, dict[str, Field]]
) -> tuple[list[Record], list[Problem]]:
    """Refuse records whose id is taken twice, whose page is a generated page's, or whose study is unknown.

    fields holds each record's `CROSS_FIELDS` by its path, for locating problems.
    """
    problems: list[Problem] = []
    by_id: dict[str, list[Record]] = defaultdict(list)
    for record in records:
        by_id[record.id].append(record)
    bad: set[str] = set()
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
    problems.extend(_same_as(records, fields, bad))
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
        lines = _item_lines(f)
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


def _same_as(records: list[Record], fields: dict[str, dict[str, Field]], bad: set[str]) -> list[Problem]:
    """Refuse same-as/not-same-as links to an unknown id, the insight itself, a study or an action,
    an id in both lists, and a pair one record calls the same learning and the other does not."""
    by_id = {r.id: r for r in records}
    insights = sorted(i for i, r in by_id.items() if r.kind == "insight")
    problems = []

    def refuse(record: Record, name: str, target: str, code: str, message: str, hint: str) -> None:
        f = fields[record.path].get(name)
        problem = _located(f, record, code, message, hint, below=1)
        line = _item_lines(f).get(target)
        problems.append(Problem(problem.path, line, code, message, hint) if line else problem)
        bad.add(record.id)

    for record in records:
        if record.kind != "insight":
            continue
        for name, targets in (("same-as", record.same_as), ("not-same-as", record.not_same_as)):
            for target in targets:
                other = by_id.get(target)
                if target == record.id:
                    refuse(
                        record, name, target, "same-as-self", f"{name} names the insight itself", SAME_HINT
                    )
                elif other is None and not is_qualified(target):  # SOURCE:ID: checked by sources/join.py
                    hint = did_you_mean(target, insights, SAME_HINT)
                    refuse(
                        record,
                        name,
                        target,
                        "unknown-insight",
                        f"{name} names `{target}`, which is no insight",
                        hint,
                    )
                elif other is not None and other.kind != "insight":
                    what = f"a{'n' if other.kind == 'action' else ''} {other.kind}"
                    refuse(
                        record,
                        name,
                        target,
                        "same-as-kind",
                        f"{name} names `{target}`, which is {what}",
                        SAME_HINT,
                    )
        for target in record.same_as:
            other = by_id.get(target)
            if target in record.not_same_as:
                message = f"`{target}` is in both same-as and not-same-as"
                refuse(record, "not-same-as", target, "same-as-conflict", message, DECIDE_HINT)
            elif other is not None and record.id in other.not_same_as:
                message = f"same-as names `{target}`, whose not-same-as names this insight ({other.path})"
                refuse(record, "same-as", target, "same-as-conflict", message, DECIDE_HINT)
                message = f"not-same-as names `{record.id}`, whose same-as names this insight ({record.path})"
                refuse(other, "not-same-as", record.id, "same-as-conflict", message, DECIDE_HINT)
    return problems


SAME_HINT = (
    "name other insights by id (their path below insights/ without .md), e.g. same-as: [umea/samsjuklighet]"
)
DECIDE_HINT = "decide whether the two teach the same learning and keep the link in one list only"


def _item_lines(f: Field | None) -> dict[str, int]:
    """Return the line of each id in a list field as written (ids are normalised and duplicates dropped)."""
    written = f.value if f and isinstance(f.value, list) else []
    return {normalise(str(v).strip()): n for v, n in zip(written, f.item_lines if f else (), strict=False)}


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
