"""Writing sheets: the records as csv, xlsx or json, and an empty xlsx template with drop-downs.

Vocabulary values are written as keys, so an export imports back unchanged.
Headers are Swedish by default (English when the project's language is `en`).
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from insightmap import glossary
from insightmap.load.organisations import Register
from insightmap.load.vocabulary import VOCABULARY_FIELDS, Vocabulary
from insightmap.records import Corpus, Record
from insightmap.sheets.sheet_layout import (
    COLUMNS,
    FORMULA_START,
    HEADERS,
    INDICATOR_FIELDS,
    INDICATOR_SEPARATOR,
    KINDS,
    LISTS_SHEET,
    SHEET,
    defuse,
)

TEMPLATE_ROWS = 500  # rows that get drop-downs in an xlsx


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
        elif name == "indicators":
            row[name] = "\n".join(
                INDICATOR_SEPARATOR.join(getattr(i, f) or "" for f in INDICATOR_FIELDS).rstrip(" |")
                for i in value
            )
        elif isinstance(value, tuple):
            row[name] = "; ".join(value)
        else:
            row[name] = "" if value is None else str(value)
    return row


def corpus_rows(corpus: Corpus) -> list[dict[str, str]]:
    """Return the rows of a corpus: insights, then studies, then actions, each by id."""
    return [record_row(r) for r in corpus.records]


def excel_csv(text: str) -> bytes:
    """Return csv text as Excel with Swedish regional settings opens it: `;`, CRLF, UTF-8 with a BOM.

    Excel splits a csv at the list separator of the computer's regional settings, which is `;`
    wherever the decimal separator is a comma (Sweden); without the BOM it reads å, ä, ö as cp1252.
    """
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerows(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline="")))
    return out.getvalue().encode("utf-8-sig")


def export_table(corpus: Corpus, fmt: str, language: str | None = None, excel: bool = False) -> bytes:
    """Render the corpus as a csv (`;`-separated for Excel with excel), xlsx or json file's bytes."""
    language = language or corpus.language
    rows = corpus_rows(corpus)
    if fmt == "json":
        data = [r.to_dict() | {"body": r.body.strip()} for r in corpus.records]
        return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";" if excel else ",", lineterminator="\r\n")
        writer.writerow([HEADERS[language][c] for c in COLUMNS])
        for row in rows:
            writer.writerow([defuse(row[c]) for c in COLUMNS])
        # A BOM so that Excel opens the file as UTF-8 (å, ä, ö intact).
        return out.getvalue().encode("utf-8-sig")
    if fmt == "xlsx":
        return _workbook(rows, corpus.vocabulary, corpus.register, language)
    raise ValueError(f"format must be csv, xlsx or json, not {fmt!r}")


def template_xlsx(vocabulary: Vocabulary, register: Register, language: str = "sv") -> bytes:
    """Return an empty xlsx in the import layout, whose drop-downs offer the labels in the language."""
    return _workbook([], vocabulary, register, language, labels=True)


def _choices(vocabulary: Vocabulary, register: Register, language: str, labels: bool) -> dict[str, list[str]]:
    """Return each drop-down column's values: labels ("Aktuella inom socialtjänsten") with labels, else keys.

    Import reads a label as its key, so a template filled from its drop-downs imports; an export
    keeps the keys it wrote, so that it imports back unchanged.
    """

    def values(*names: str) -> list[str]:
        pairs = [(name, key) for name in names for key in vocabulary.keys(name)]
        shown = (vocabulary.label(name, key, language) if labels else key for name, key in pairs)
        return list(dict.fromkeys(shown))

    def organisation(key: str) -> str:
        # A name only where it names this organisation alone ("Habo kommun", not a shared name).
        org = register.resolve(key)
        named = register.resolve(org.name) if org and labels else None
        return org.name if org and named and named.key == key else key

    words = glossary.words(language)
    return {
        "kind": [words["Insight"], words["Study"], words["Action"]] if labels else list(KINDS),
        **{name: values(name) for name in (*VOCABULARY_FIELDS, "visibility")},
        # One status column for both kinds: a study's statuses, then an action's.
        "status": values("status", "action-status"),
        "organisation": [organisation(key) for key in register.keys()],
    }


def _workbook(
    rows: list[dict[str, str]],
    vocabulary: Vocabulary,
    register: Register,
    language: str,
    labels: bool = False,
) -> bytes:
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
    choices = _choices(vocabulary, register, language, labels)
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
            # List fields take several values joined with `; `: offer them, accept any text.
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
