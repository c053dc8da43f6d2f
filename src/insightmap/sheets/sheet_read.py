"""Reading sheets: a csv or xlsx file → numbered rows of text cells, with bounded work.

A sheet may come from anyone, so every read is capped (rows, cells, cell length,
bytes read or unpacked) and every way a file can be unreadable — an unknown
encoding, a corrupt, truncated or encrypted workbook, entity declarations, a zip
bomb — is one located `SheetUnreadable` error, raised before the rest is read.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import stat
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

from insightmap.errors import InsightmapError
from insightmap.sheets.sheet_layout import COLUMNS, HEADERS, SHEET, RowProblem, header_index, restore

#: Excel's own row limit; a workbook claiming rows beyond it is not a sheet someone filled in.
EXCEL_ROWS = 1_048_576
#: Columns read per row of a workbook (the layout has 19; extra columns are reported, not read).
MAX_COLUMNS = 256
#: The signature of an OLE compound file: an encrypted xlsx, or an old .xls.
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: XML markup that declares entities (in UTF-8 and UTF-16): never needed in a workbook.
DTD_MARKS = tuple(
    mark.encode(codec) for mark in ("<!DOCTYPE", "<!ENTITY") for codec in ("utf-8", "utf-16-le", "utf-16-be")
)


@dataclass(frozen=True)
class Limits:
    """Caps on the work an import does (defaults documented in `insightmap import --help`)."""

    rows: int = 100_000
    cells: int = 2_000_000
    cell_chars: int = 131_072  # also the csv field limit: a larger field is an error, not a crash
    bytes: int = 128 * 1024 * 1024  # a csv's size, or what an xlsx unpacks to


@dataclass
class Sheet:
    """The rows of a sheet, problems with its header, and how its text was decoded."""

    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    encoding: str = ""


class SheetUnreadable(InsightmapError):
    """The file cannot be read as a sheet (or exceeds a limit); carries the located problem."""

    def __init__(self, problem: RowProblem) -> None:
        super().__init__(problem.format())
        self.problem = problem


def read_table(
    path: Path, limits: Limits | None = None
) -> tuple[list[tuple[int, dict[str, str]]], list[RowProblem]]:
    """Read a csv or xlsx file into (sheet row number, {column key: text}) pairs and header problems."""
    sheet = read_sheet(path, limits)
    return sheet.rows, sheet.problems


def read_sheet(path: Path, limits: Limits | None = None) -> Sheet:
    """Read a csv or xlsx file within limits; raise SheetUnreadable when it cannot be read."""
    limits = limits or Limits()
    shown = path.name
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".csv", ".txt"):
        problem = RowProblem(
            shown,
            1,
            "format",
            f"cannot import `{path.suffix}` files",
            "save the sheet as .xlsx or .csv (UTF-8)",
        )
        return Sheet(problems=[problem])
    data = _read_bytes(path, shown, limits)
    if suffix == ".xlsx":
        grid, encoding = _xlsx_grid(data, shown, limits), ""
    else:
        text, encoding = _decode(data, shown)
        grid = _csv_grid(text, shown, limits)
    sheet = _rows(grid, shown)
    sheet.encoding = encoding
    return sheet


def _unreadable(shown: str, code: str, message: str, hint: str = "", row: int = 0) -> SheetUnreadable:
    return SheetUnreadable(RowProblem(shown, row, code, message, hint))


def _read_bytes(path: Path, shown: str, limits: Limits) -> bytes:
    """Read the whole file once (checks and parser see the same bytes), refusing special files."""
    try:
        if not stat.S_ISREG(path.stat().st_mode):  # a FIFO or device would block or never end
            raise _unreadable(shown, "not-a-file", "is not a regular file", "export the sheet to a file")
        with open(path, "rb") as handle:
            data = handle.read(limits.bytes + 1)
    except OSError as exc:
        raise _unreadable(shown, "read", f"cannot read the file: {exc.strerror}") from exc
    if len(data) > limits.bytes:
        raise _unreadable(
            shown,
            "too-large",
            f"the file is larger than the limit of {_size(limits.bytes)}",
            "split the sheet, or raise the limit with --max-bytes",
        )
    return data


def _size(count: int) -> str:
    for unit, scale in (("GiB", 1024**3), ("MiB", 1024**2), ("KiB", 1024)):
        if count >= scale:
            return f"{count / scale:.1f} {unit}"
    return f"{count} bytes"


# --- csv ------------------------------------------------------------------------------------


def _decode(data: bytes, shown: str) -> tuple[str, str]:
    """Return the text and the encoding's name ("" for plain UTF-8, which needs no mention)."""
    if data.startswith(b"\xef\xbb\xbf"):
        if _utf8(data[3:]):
            return data[3:].decode("utf-8"), ""
        _bad_encoding(shown)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError:
            _bad_encoding(shown)
    if b"\x00" in data:
        raise _unreadable(
            shown,
            "encoding",
            "the file holds NUL bytes (UTF-16 without a byte-order mark?)",
            "save the sheet as CSV UTF-8",
        )
    if _utf8(data):
        return data.decode("utf-8"), ""
    try:
        # Swedish Excel's "CSV (semikolonavgränsad)" is Windows-1252, and not every byte is defined in it.
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:
        _bad_encoding(shown)


def _utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _bad_encoding(shown: str) -> NoReturn:
    raise _unreadable(
        shown,
        "encoding",
        "the text is neither UTF-8, UTF-16 with a byte-order mark, nor Windows-1252",
        "save the sheet as CSV UTF-8",
    )


def _csv_grid(text: str, shown: str, limits: Limits) -> list[list[str]]:
    first = text.split("\n", 1)[0]
    # Swedish Excel saves CSV with `;`; ours uses `,`. The header line tells which.
    delimiter = max((",", ";", "\t"), key=first.count)
    # The field limit is process-wide state: set it for this read only.
    previous = csv.field_size_limit(limits.cell_chars)
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        return _capped(reader, shown, limits)
    except csv.Error as exc:
        row = reader.line_num
        if "field larger than field limit" in str(exc):
            raise _too_long(shown, row, limits) from exc
        raise _unreadable(shown, "csv", f"cannot read the csv: {exc}", row=row) from exc
    finally:
        csv.field_size_limit(previous)


def _too_long(shown: str, row: int, limits: Limits) -> SheetUnreadable:
    return _unreadable(
        shown,
        "cell-too-large",
        f"a cell is longer than {limits.cell_chars} characters",
        "shorten the text, or raise the limit with --max-cell-chars",
        row=row,
    )


def _capped(rows: Iterable[Iterable[str]], shown: str, limits: Limits) -> list[list[str]]:
    """Collect rows of text, stopping at the first limit exceeded."""
    grid: list[list[str]] = []
    cells = filled = 0
    for number, row in enumerate(rows, start=1):
        texts = list(row)
        while texts and not texts[-1]:
            texts.pop()
        if number > EXCEL_ROWS + 1:
            raise _unreadable(shown, "too-many-rows", f"the sheet has more than {EXCEL_ROWS} rows")
        cells += len(texts)
        if cells > limits.cells:
            raise _unreadable(
                shown,
                "too-many-cells",
                f"the sheet has more than {limits.cells} cells",
                "split the sheet, or raise the limit with --max-cells",
                row=number,
            )
        if any(len(t) > limits.cell_chars for t in texts):
            raise _too_long(shown, number, limits)
        if any(t.strip() for t in texts):
            filled += 1
            if filled > limits.rows + 1:  # + the header row
                raise _unreadable(
                    shown,
                    "too-many-rows",
                    f"the sheet has more than {limits.rows} rows",
                    "split the sheet, or raise the limit with --max-rows",
                    row=number,
                )
        grid.append(texts)
    return grid


# --- xlsx -----------------------------------------------------------------------------------


def _xlsx_grid(data: bytes, shown: str, limits: Limits) -> list[list[str]]:
    if data.startswith(OLE_MAGIC):
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise _unreadable(
                shown,
                "encrypted",
                "the workbook is encrypted",
                "save a copy without a password and import that",
            )
        raise _unreadable(shown, "format", "this is an old .xls workbook, not .xlsx", "save it as .xlsx")
    _check_zip(data, shown, limits)
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        if not book.worksheets:
            raise _corrupt(shown, "no worksheets")
        visible = [s for s in book.worksheets if s.sheet_state == "visible"]
        if not visible:
            raise _unreadable(
                shown, "hidden", "every sheet of the workbook is hidden", "unhide the sheet of records"
            )
        preferred = [s for s in visible if s.title in SHEET.values()]
        sheet = (preferred or visible)[0]
        grid = _capped(_xlsx_rows(sheet), shown, limits)
        book.close()
    except SheetUnreadable:
        raise
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many types for a damaged workbook
        raise _corrupt(shown, f"{type(exc).__name__}: {exc}") from exc
    return grid


def _xlsx_rows(sheet: Any) -> Iterator[list[str]]:
    # An explicit column bound: a hostile sheet may claim 16,384 columns on every row.
    for row in sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True):
        yield [_cell_text(v) for v in row]


def _corrupt(shown: str, detail: str) -> SheetUnreadable:
    return _unreadable(
        shown,
        "corrupt",
        f"cannot read the workbook; it is damaged or truncated ({detail[:200]})",
        "open it in Excel or LibreOffice and save it again as .xlsx",
    )


def _check_zip(data: bytes, shown: str, limits: Limits) -> None:
    """Refuse a zip bomb, encrypted members and entity declarations before openpyxl parses anything."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            declared = sum(m.file_size for m in members)
            if declared > limits.bytes:
                raise _too_unpacked(shown, declared, limits)
            unpacked = 0
            for member in members:
                if member.flag_bits & 0x1:
                    raise _unreadable(
                        shown, "encrypted", "the workbook is encrypted", "save it without a password"
                    )
                # zipfile stops at the declared size (and then checks the CRC), so a lying
                # header cannot make this read more than the limit.
                with archive.open(member) as stream:
                    tail = b""
                    while chunk := stream.read(1 << 20):
                        unpacked += len(chunk)
                        if unpacked > limits.bytes:
                            raise _too_unpacked(shown, unpacked, limits)
                        window = tail + chunk
                        if any(mark in window for mark in DTD_MARKS):
                            raise _unreadable(
                                shown,
                                "dtd",
                                f"the workbook's {member.filename} declares XML entities (<!DOCTYPE>)",
                                "workbooks saved by Excel or LibreOffice have none; save the sheet again",
                            )
                        tail = chunk[-32:]
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, ValueError) as exc:
        raise _corrupt(shown, str(exc)) from exc


def _too_unpacked(shown: str, size: int, limits: Limits) -> SheetUnreadable:
    return _unreadable(
        shown,
        "too-large",
        f"the workbook unpacks to {_size(size)} or more, above the limit of {_size(limits.bytes)}",
        "split the sheet, or raise the limit with --max-bytes",
    )


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


# --- rows -----------------------------------------------------------------------------------


def _rows(grid: list[list[str]], shown: str) -> Sheet:
    """Map the header row to column keys and the other rows to {key: text}, skipping empty rows."""
    if not grid:
        return Sheet(problems=[RowProblem(shown, 1, "empty", "the sheet has no header row")])
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
                    f"unknown column `{header[:100]}`",
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
        row = {c: restore(v).strip() for c, v in pairs if c is not None and v.strip()}
        if row:
            rows.append((number, row))
    return Sheet(rows, problems)
