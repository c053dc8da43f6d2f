"""Records as spreadsheet rows: export to CSV/XLSX/JSON, a template with drop-downs, and import.

Layout: one sheet, one row per record, insights first, then studies, each sorted
by id; a `kind` column (Typ) tells them apart, so that an insight's `study`
reference can be imported together with its study. List fields are joined
with `; `; quotes (which may contain semicolons) go one per line in their cell.
Vocabulary values are written as keys, so an export imports back unchanged;
import also accepts labels and aliases. Headers are Swedish by default (English
when the project's language is `en`); import accepts either, or the field keys.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from insightmap.organisations import Register
from insightmap.project import Project
from insightmap.records import Corpus, Record
from insightmap.vocabulary import VOCABULARY_FIELDS, Vocabulary

FORMATS = ("csv", "xlsx", "json")
COLUMNS = (
    "kind",
    "id",
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
    "status",
    "end",
    "contact",
    "visibility",
    "source",
    "quotes",
    "body",
)
LIST_COLUMNS = VOCABULARY_FIELDS
HEADERS = {
    "sv": {
        "kind": "Typ",
        "id": "Id",
        "title": "Rubrik",
        "organisation": "Organisation",
        "date": "Datum",
        "perspective": "Perspektiv",
        "subpopulation": "Delpopulation",
        "shift": "Förflyttning",
        "theme": "Tema",
        "area": "Verksamhetsområde",
        "method": "Metod",
        "study": "Insiktsarbete",
        "status": "Status",
        "end": "Slutdatum",
        "contact": "Kontakt",
        "visibility": "Synlighet",
        "source": "Källa",
        "quotes": "Citat",
        "body": "Text",
    },
    "en": {
        "kind": "Kind",
        "id": "Id",
        "title": "Title",
        "organisation": "Organisation",
        "date": "Date",
        "perspective": "Perspective",
        "subpopulation": "Subpopulation",
        "shift": "Shift",
        "theme": "Theme",
        "area": "Service area",
        "method": "Method",
        "study": "Study",
        "status": "Status",
        "end": "End",
        "contact": "Contact",
        "visibility": "Visibility",
        "source": "Source",
        "quotes": "Quotes",
        "body": "Body",
    },
}
SHEET = {"sv": "Poster", "en": "Records"}
LISTS_SHEET = {"sv": "Listor", "en": "Lists"}
KINDS = {"insight": ("insight", "insikt"), "study": ("study", "studie", "insiktsarbete")}
TEMPLATE_ROWS = 500  # rows that get drop-downs in an xlsx


@dataclass(frozen=True, order=True)
class RowProblem:
    """A problem of one spreadsheet row: `FILE:row N: error[code]: message`."""

    file: str
    row: int
    code: str
    message: str
    hint: str = ""

    def format(self) -> str:
        """Render the problem as one line plus an optional hint line."""
        text = f"{self.file}:row {self.row}: error[{self.code}]: {self.message}"
        return text + (f"\n    hint: {self.hint}" if self.hint else "")

    def to_dict(self) -> dict[str, Any]:
        """Return the problem as a JSON-ready dict."""
        return {
            "file": self.file,
            "row": self.row,
            "code": self.code,
            "message": self.message,
            "hint": self.hint,
        }


@dataclass
class ImportPlan:
    """What an import would write (path → record text), or why it cannot."""

    files: dict[Path, str] = field(default_factory=dict)
    problems: list[RowProblem] = field(default_factory=list)
    rows: int = 0


# --- export ---------------------------------------------------------------------------------


def record_row(record: Record) -> dict[str, str]:
    """Return a record as a row of text cells (keys, lists joined with `; `)."""
    row: dict[str, str] = {}
    for name in COLUMNS:
        if name == "body":
            value: Any = record.body.strip()
        else:
            value = getattr(record, name)
        if name == "quotes":
            row[name] = "\n".join(value)
        elif isinstance(value, tuple):
            row[name] = "; ".join(value)
        else:
            row[name] = "" if value is None else str(value)
    return row


def corpus_rows(corpus: Corpus) -> list[dict[str, str]]:
    """Return the rows of a corpus: insights, then studies, each by id."""
    return [record_row(r) for r in [*corpus.insights, *corpus.studies]]


def export_table(corpus: Corpus, fmt: str, language: str | None = None) -> bytes:
    """Render the corpus as a csv, xlsx or json file's bytes."""
    language = language or corpus.language
    rows = corpus_rows(corpus)
    if fmt == "json":
        data = [r.to_dict() | {"body": r.body.strip()} for r in [*corpus.insights, *corpus.studies]]
        return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow([HEADERS[language][c] for c in COLUMNS])
        for row in rows:
            writer.writerow([_defuse(row[c]) for c in COLUMNS])
        # A BOM so that Excel opens the file as UTF-8 (å, ä, ö intact).
        return out.getvalue().encode("utf-8-sig")
    if fmt == "xlsx":
        return _workbook(rows, corpus.vocabulary, corpus.register, language)
    raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")


#: A cell starting so is a formula to Excel and LibreOffice ("CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _defuse(value: str) -> str:
    """Prefix a formula-like csv cell with `'`, which spreadsheets show as text; import strips it."""
    return "'" + value if value.startswith(FORMULA_START) else value


def _restore(value: str) -> str:
    """Undo _defuse on import."""
    return value[1:] if value.startswith("'") and value[1:].startswith(FORMULA_START) else value


def template_xlsx(vocabulary: Vocabulary, register: Register, language: str = "sv") -> bytes:
    """Return an empty xlsx in the import layout, with vocabulary drop-downs."""
    return _workbook([], vocabulary, register, language)


def _workbook(rows: list[dict[str, str]], vocabulary: Vocabulary, register: Register, language: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.active
    sheet.title = SHEET[language]
    sheet.append([HEADERS[language][c] for c in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([row[c] for c in COLUMNS])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str) and cell.value.startswith(FORMULA_START):
                cell.data_type = "s"  # text, never a formula that Excel would evaluate
    sheet.freeze_panes = "C2"
    widths = {"title": 60, "body": 80, "quotes": 40, "id": 30}
    for index, name in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = widths.get(name, 18)
        for cell in sheet[letter][1:]:
            cell.number_format = "@"  # text: Excel must not turn 2024-05 into a date
            if name in ("body", "quotes"):
                cell.alignment = Alignment(wrap_text=True, vertical="top")

    lists = book.create_sheet(LISTS_SHEET[language])
    lists.sheet_state = "hidden"
    choices = {
        "kind": ["insight", "study"],
        **{name: vocabulary.keys(name) for name in (*VOCABULARY_FIELDS, "status", "visibility")},
        "organisation": register.keys(),
    }
    last = max(len(rows) + 1, TEMPLATE_ROWS)
    for index, (name, keys) in enumerate(choices.items(), start=1):
        letter = get_column_letter(index)
        lists.cell(row=1, column=index, value=HEADERS[language][name])
        for offset, key in enumerate(keys, start=2):
            lists.cell(row=offset, column=index, value=key)
        target = get_column_letter(COLUMNS.index(name) + 1)
        single = name in ("kind", "status", "visibility")
        validation = DataValidation(
            type="list",
            formula1=f"={lists.title}!${letter}$2:${letter}${len(keys) + 1}",
            allow_blank=True,
            # List fields take several keys joined with `; `: offer the keys, accept any text.
            showErrorMessage=single,
            errorStyle="stop" if single else "information",
        )
        validation.add(f"{target}2:{target}{last}")
        sheet.add_data_validation(validation)
    out = io.BytesIO()
    book.save(out)
    return _normalise_zip(out.getvalue())


def _normalise_zip(data: bytes) -> bytes:
    """Rewrite the xlsx with fixed timestamps so that the same rows give the same bytes."""
    import re
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"<dcterms:(created|modified)[^>]*>[^<]*</dcterms:\1>", b"", content)
            fixed = zipfile.ZipInfo(info.filename, date_time=(2000, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, content)
    return out.getvalue()


# --- import ---------------------------------------------------------------------------------


def header_index() -> dict[str, str]:
    """Return every accepted header (any language or the key, folded) → column key."""
    index = {c: c for c in COLUMNS}
    for names in HEADERS.values():
        index.update({label.casefold(): key for key, label in names.items()})
    return index


def read_table(path: Path) -> tuple[list[tuple[int, dict[str, str]]], list[RowProblem]]:
    """Read a csv or xlsx file into (sheet row number, {column key: text}) pairs."""
    shown = path.name
    if path.suffix.lower() == ".xlsx":
        grid = _xlsx_grid(path)
    elif path.suffix.lower() in (".csv", ".txt"):
        grid = _csv_grid(path)
    else:
        return [], [
            RowProblem(
                shown,
                1,
                "format",
                f"cannot import `{path.suffix}` files",
                "save the sheet as .xlsx or .csv (UTF-8)",
            )
        ]
    if not grid:
        return [], [RowProblem(shown, 1, "empty", "the sheet has no header row")]
    index = header_index()
    columns: list[str | None] = []
    problems = []
    for header in grid[0]:
        text = " ".join(header.split()).casefold()
        if not text:
            columns.append(None)
        elif text in index:
            columns.append(index[text])
        else:
            columns.append(None)
            known = ", ".join(HEADERS["sv"][c] for c in COLUMNS)
            problems.append(
                RowProblem(
                    shown,
                    1,
                    "unknown-column",
                    f"unknown column `{header}`",
                    f"known columns: {known} (or the English names)",
                )
            )
    if "title" not in columns:
        problems.append(
            RowProblem(
                shown,
                1,
                "missing-column",
                "the sheet has no title column",
                "the first row must hold the column names, e.g. Rubrik",
            )
        )
    rows = []
    for number, cells in enumerate(grid[1:], start=2):
        pairs = zip(columns, cells, strict=False)
        row = {c: _restore(v).strip() for c, v in pairs if c is not None and v.strip()}
        if row:
            rows.append((number, row))
    return rows, problems


def _csv_grid(path: Path) -> list[list[str]]:
    text = path.read_text(encoding="utf-8-sig")
    first = text.split("\n", 1)[0]
    # Swedish Excel saves CSV with `;`; ours uses `,`. The header line tells which.
    delimiter = max((",", ";", "\t"), key=first.count)
    return [list(r) for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]


def _xlsx_grid(path: Path) -> list[list[str]]:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    names = [s.title for s in book.worksheets if s.sheet_state == "visible"]
    preferred = [n for n in names if n in SHEET.values()]
    sheet = book[(preferred or names)[0]]
    grid = [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    book.close()
    return grid


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def row_fields(row: dict[str, str]) -> tuple[dict[str, Any], str]:
    """Return the front-matter fields and body of a row (lists split, keys as written)."""
    fields: dict[str, Any] = {}
    kind = _kind(row.get("kind", ""))
    if kind == "study":
        fields["kind"] = "study"
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
    visibility = row.get("visibility", "")
    if visibility and visibility.casefold() not in ("internal", "intern"):
        fields["visibility"] = visibility
    return fields, row.get("body", "")


def _kind(value: str) -> str | None:
    if not value:
        return "insight"
    for kind, names in KINDS.items():
        if value.casefold() in names:
            return kind
    return None


def plan_import(project: Project, path: Path) -> ImportPlan:
    """Validate every row as the record it would become; return the files to write or the problems.

    Each row is rendered with `render_record` and checked by the same loader and
    validator as `insightmap check`, together with the project's existing records
    (so ids must be unique and `study` references must resolve).
    """
    from insightmap.load import RawRecord, _fields, read_records
    from insightmap.validate import build_corpus
    from insightmap.write import render_record, slugify
    from insightmap.yamlfile import read_document

    shown = path.name
    rows, problems = read_table(path)
    plan = ImportPlan(problems=list(problems), rows=len(rows))
    if problems:
        return plan
    # Personal data in any cell refuses the whole file before anything is planned.
    from insightmap.privacy import HINT, describe, find_personal_data

    labels = HEADERS[project.config.language]
    for number, row in rows:
        for key, value in row.items():
            for found in find_personal_data(value, project.privacy_allow):
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
            folder = org.key if org else slugify(str(fields.get("organisation") or "okand"))
            if org:
                fields["organisation"] = org.key
            record_id = row.get("id", "")
            stem = record_id.rsplit("/", 1)[-1] if record_id else str(fields.get("title", ""))
            name = slugify(stem)
            rel = f"insights/{folder}/{name}.md"
            if record_id and record_id != rel.removeprefix("insights/").removesuffix(".md"):
                fields["id"] = record_id
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
            if (project.root / rel).exists():
                plan.problems.append(
                    RowProblem(
                        shown,
                        number,
                        "exists",
                        f"{rel} exists already; import never overwrites",
                        "give the row another id, or remove the row",
                    )
                )
                continue
            text = render_record(fields, body or "")
            scratch = Path(tmp) / f"row{number}.md"
            scratch.write_text(text, encoding="utf-8")
            try:
                document = read_document(scratch, rel, project.config.max_record_bytes)
            except Exception as exc:  # noqa: BLE001 - RecordSyntaxError carries a Problem
                problem = getattr(exc, "problem", None)
                message = problem.message if problem else str(exc)
                plan.problems.append(RowProblem(shown, number, getattr(problem, "code", "syntax"), message))
                continue
            new_raws.append(RawRecord(rel, document, _fields(document.front, rel)))
            lines = {line: key for key, line in document.front.lines.items()}
            for key, item_lines in document.front.item_lines.items():
                lines.update({line: key for line in item_lines})
            where[rel] = (number, lines)
            plan.files[project.root / rel] = text
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


def write_import(plan: ImportPlan) -> list[Path]:
    """Write the planned records (never overwriting); return their paths."""
    from insightmap.write import write_new

    written: list[Path] = []
    try:
        for path, text in sorted(plan.files.items()):
            write_new(path, text)
            written.append(path)
    except BaseException:
        # All or nothing: take back what this import wrote (only its own new files).
        for path in written:
            path.unlink(missing_ok=True)
        raise
    return written
