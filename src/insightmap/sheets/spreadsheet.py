"""Records as spreadsheet rows: export and template (sheet_write), reading (sheet_read), and import.

Import turns each row into the record it would become, validates it together with
the project's records, and writes all rows or none (import_commit). A row with an
id is written at `insights/<id>.md`, so export → import keeps every id; a row
without one goes to `insights/<organisation>/<title as slug>.md`. Values may be
keys, labels or aliases; headers may be Swedish, English or the field keys.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from insightmap.load.project import Project
from insightmap.sheets.sheet_layout import (
    COLUMNS,
    FORMATS,
    FORMULA_START,
    HEADERS,
    INDICATOR_FIELDS,
    KINDS,
    LIST_COLUMNS,
    LISTS_SHEET,
    SHEET,
    RowProblem,
    header_index,
)
from insightmap.sheets.sheet_read import Limits, SheetUnreadable, read_sheet, read_table
from insightmap.sheets.sheet_write import corpus_rows, export_table, record_row, template_xlsx

__all__ = [
    "COLUMNS",
    "FORMATS",
    "FORMULA_START",
    "HEADERS",
    "KINDS",
    "LISTS_SHEET",
    "LIST_COLUMNS",
    "SHEET",
    "ImportPlan",
    "Limits",
    "RowProblem",
    "SheetUnreadable",
    "corpus_rows",
    "export_table",
    "header_index",
    "plan_import",
    "read_table",
    "record_row",
    "row_fields",
    "template_xlsx",
    "write_import",
]


@dataclass
class ImportPlan:
    """What an import would write (path → record text), what is there already, or why it cannot."""

    files: dict[Path, str] = field(default_factory=dict)
    problems: list[RowProblem] = field(default_factory=list)
    rows: int = 0
    already: list[Path] = field(default_factory=list)
    encoding: str = ""  # how a csv was decoded, when not plain UTF-8


def row_fields(row: dict[str, str]) -> tuple[dict[str, Any], str]:
    """Return the front-matter fields and body of a row (lists split, keys as written)."""
    fields: dict[str, Any] = {}
    kind = _kind(row.get("kind", ""))
    if kind in ("study", "action"):
        fields["kind"] = kind
    elif kind is None:
        fields["kind"] = row["kind"]  # the validator explains what kind may be
    for name in ("title", "organisation", "date", "study", "status", "end", "contact", "source"):
        if row.get(name):
            fields[name] = row[name]
    for name in LIST_COLUMNS:
        values = [v.strip() for v in row.get(name, "").replace("\n", ";").split(";") if v.strip()]
        if values:
            fields[name] = values
    if row.get("quotes"):
        fields["quotes"] = [q.strip() for q in row["quotes"].split("\n") if q.strip()]
    for name in ("builds_on", "same_as", "not_same_as"):
        ids = [v.strip() for v in row.get(name, "").replace("\n", ";").split(";") if v.strip()]
        if ids:
            fields[name.replace("_", "-")] = ids
    if row.get("indicators"):
        fields["indicators"] = [_indicator(line) for line in row["indicators"].split("\n") if line.strip()]
    visibility = row.get("visibility", "")
    if visibility and visibility.casefold() not in ("internal", "intern"):
        fields["visibility"] = visibility
    return fields, row.get("body", "")


def _indicator(line: str) -> dict[str, str]:
    """Return an indicator from its cell line `name | type | level | source | frequency` (the validator
    explains a missing part)."""
    parts = [p.strip() for p in line.split("|")]
    return {key: value for key, value in zip(INDICATOR_FIELDS, parts, strict=False) if value}


def _kind(value: str) -> str | None:
    if not value:
        return "insight"
    for kind, names in KINDS.items():
        if value.casefold() in names:
            return kind
    return None


def plan_import(project: Project, path: Path, limits: Limits | None = None) -> ImportPlan:
    """Validate every row as the record it would become; return the files to write or the problems.

    Each row is rendered with `render_record` and checked by the same loader and
    validator as `insightmap check`, together with the project's existing records
    (so ids must be unique and `study` references must resolve). A row whose file
    exists with exactly the text it would get is already imported, not a problem.
    Raises SheetUnreadable when the file cannot be read within limits.
    """
    from insightmap.load import read_records
    from insightmap.load.rawrecord import RawRecord
    from insightmap.load.rawrecord import fields_of as _fields
    from insightmap.load.validate import build_corpus
    from insightmap.load.yamlfile import read_document
    from insightmap.write import render_record

    shown = path.name
    sheet = read_sheet(path, limits)
    rows = sheet.rows
    plan = ImportPlan(problems=list(sheet.problems), rows=len(rows), encoding=sheet.encoding)
    if plan.problems:
        return plan
    # Personal data in any cell refuses the whole file before anything is planned.
    from insightmap.load.privacy import HINT, describe, scan_markdown

    labels = HEADERS[project.config.language]
    for number, row in rows:
        for key, value in row.items():
            for found in scan_markdown(value, project.privacy_allow):
                message = f"{describe(found)} (column {labels.get(key, key)})"
                plan.problems.append(RowProblem(shown, number, "personal-data", message, HINT))
    if plan.problems:
        return plan
    existing, _ = read_records(project)
    targets: dict[str, int] = {}
    new_raws: list[RawRecord] = []
    where: dict[str, tuple[int, dict[int, str]]] = {}
    with tempfile.TemporaryDirectory(prefix="insightmap-import-") as tmp:
        for number, row in rows:
            fields, body = row_fields(row)
            org = project.register.resolve(str(fields.get("organisation", "")))
            if org:
                fields["organisation"] = org.key
            rel, bad = _target(row, fields, org.key if org else None, shown, number)
            if bad:
                plan.problems.append(bad)
                continue
            if rel in targets:
                plan.problems.append(
                    RowProblem(
                        shown,
                        number,
                        "duplicate-file",
                        f"would write {rel}, as row {targets[rel]} does",
                        "give the rows different titles or ids",
                    )
                )
                continue
            targets[rel] = number
            text = render_record(fields, body or "")
            target = project.root / rel
            if target.exists() or target.is_symlink():
                if _holds(target, text):
                    plan.already.append(target)
                else:
                    plan.problems.append(
                        RowProblem(
                            shown,
                            number,
                            "exists",
                            f"{rel} exists already (with other content); import never overwrites",
                            "give the row another id, or remove the row",
                        )
                    )
                continue
            scratch = Path(tmp) / f"row{number}.md"
            scratch.write_text(text, encoding="utf-8")
            try:
                document = read_document(scratch, rel, project.config.max_record_bytes)
            except Exception as exc:  # noqa: BLE001 - RecordSyntaxError carries a Problem
                syntax = getattr(exc, "problem", None)
                message = syntax.message if syntax else str(exc)
                plan.problems.append(RowProblem(shown, number, getattr(syntax, "code", "syntax"), message))
                continue
            new_raws.append(RawRecord(rel, document, _fields(document.front, rel)))
            lines = {line: key for key, line in document.front.lines.items()}
            for key, item_lines in document.front.item_lines.items():
                lines.update({line: key for line in item_lines})
            where[rel] = (number, lines)
            plan.files[target] = text
    _, record_problems = build_corpus([*existing, *new_raws], project)
    columns = HEADERS[project.config.language]
    for problem in record_problems:
        if problem.path not in where:
            continue
        number, lines = where[problem.path]
        column = lines.get(problem.line)
        suffix = f" (column {columns.get(column, column)})" if column else ""
        plan.problems.append(RowProblem(shown, number, problem.code, problem.message + suffix, problem.hint))
    if plan.problems:
        plan.files = {}
    plan.problems.sort()
    return plan


def _target(
    row: dict[str, str], fields: dict[str, Any], org: str | None, shown: str, number: int
) -> tuple[str, RowProblem | None]:
    """Return the file a row becomes: its id's path, else organisation folder and title slug."""
    from insightmap.load import ids
    from insightmap.write import slugify

    record_id = ids.normalise(row.get("id", ""))
    if not record_id:
        folder = org or slugify(str(fields.get("organisation") or "okand"))
        return f"insights/{folder}/{slugify(str(fields.get('title', '')))}.md", None
    reason = ids.slug_error(record_id)
    if reason is None:
        return f"insights/{record_id}.md", None
    return "", RowProblem(
        shown,
        number,
        "id",
        f"the id `{record_id[:200]}` {reason}; it cannot be a path below insights/",
        f"use {ids.GRAMMAR}, e.g. `{ids.suggest(record_id)}`",
    )


def _holds(target: Path, text: str) -> bool:
    """Tell whether target is a regular file holding exactly text (a row imported before)."""
    data = text.encode("utf-8")
    try:
        return (
            target.is_file()
            and not target.is_symlink()
            and target.stat().st_size == len(data)
            and target.read_bytes() == data
        )
    except OSError:
        return False


def write_import(plan: ImportPlan, root: Path) -> list[Path]:
    """Write the planned records all or nothing, also across a crash (see import_commit)."""
    from insightmap.sheets.import_commit import commit

    return commit(root, plan.files)
