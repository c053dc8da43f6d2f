"""Import under hostile sheets, crashes and concurrency: one clear error, nothing lost, nothing half-written.

After every failing case, insights/ and maps/ are byte-identical to before.
"""

from __future__ import annotations

import io
import os
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

HEADER = "Rubrik;Organisation;Datum;Perspektiv;Delpopulation\r\n"


def _rows(count: int) -> str:
    return "".join(
        f"Insikt nummer {i} om öppettider.;karlskrona;2024-05;risk-group;adults\r\n" for i in range(count)
    )


def _empty(run, tmp_path: Path, name: str = "tom") -> Path:
    root = tmp_path / name
    assert run("init", root).exit_code == 0
    return root


def _snapshot(root: Path) -> dict[str, bytes]:
    """Every file and folder under insights/ and maps/ (folders as b"/")."""
    found: dict[str, bytes] = {}
    for top in ("insights", "maps"):
        for path in sorted((root / top).rglob("*")):
            found[path.relative_to(root).as_posix()] = b"/" if path.is_dir() else path.read_bytes()
    return found


def _refused(run, root: Path, sheet: Path, *options: str) -> str:
    """Import sheet, expect exit 1 with nothing written; return the output."""
    before = _snapshot(root)
    result = run("-C", root, "import", *options, sheet)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and "This is a bug" not in result.output
    assert _snapshot(root) == before
    assert not (root / "build").exists()
    return result.output


def _workbook(rows: list[list[str]] | None = None) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Rubrik", "Organisation", "Datum", "Perspektiv", "Delpopulation"])
    for row in rows or [["En insikt.", "karlskrona", "2024-05", "risk-group", "adults"]]:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _rezip(data: bytes, change: dict[str, bytes]) -> bytes:
    """Return the xlsx with some members' contents replaced or added."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, change.get(info.filename, source.read(info.filename)))
        for name in sorted(set(change) - set(source.namelist())):
            target.writestr(name, change[name])
    return out.getvalue()


def _claim(data: bytes, size: int, name: bytes = b"xl/media/big.bin") -> bytes:
    """Return the zip with name's unpacked size in the central directory set to size."""
    patched = bytearray(data)
    entry = patched.find(b"PK\x01\x02")
    while entry != -1:
        length = struct.unpack_from("<H", patched, entry + 28)[0]
        if patched[entry + 46 : entry + 46 + length] == name:
            struct.pack_into("<I", patched, entry + 24, size)
        entry = patched.find(b"PK\x01\x02", entry + 4)
    return bytes(patched)


# --- encodings and delimiters ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "delimiter", "said"),
    [
        ("cp1252", ";", "read as Windows-1252"),  # Swedish Excel: "CSV (semikolonavgränsad)"
        ("utf-16", "\t", "read as UTF-16"),  # Excel's "Unicode text" (with a byte-order mark)
        ("utf-16", ";", "read as UTF-16"),
        ("utf-8-sig", ",", ""),
        ("utf-8", ";", ""),
    ],
)
def test_csv_encodings_and_delimiters_are_detected(run, tmp_path, encoding, delimiter, said):
    root = _empty(run, tmp_path)
    sheet = tmp_path / "ark.csv"
    text = (HEADER + "Äldre på Södermalm vill ringa.;karlskrona;2024-05;risk-group;adults\r\n").replace(
        ";", delimiter
    )
    sheet.write_bytes(text.encode(encoding))
    result = run("-C", root, "import", sheet)
    assert result.exit_code == 0, result.output
    assert (said in result.output) if said else ("read as" not in result.output)
    written = (root / "insights/karlskrona/aldre-pa-sodermalm-vill-ringa.md").read_text(encoding="utf-8")
    assert "title: Äldre på Södermalm vill ringa." in written


def test_undecodable_csv_is_one_error(run, tmp_path):
    root = _empty(run, tmp_path)
    sheet = tmp_path / "ark.csv"
    sheet.write_bytes(HEADER.encode() + b"Trasig \x81\x8d text;karlskrona;2024;risk-group;adults\r\n")
    output = _refused(run, root, sheet)
    assert "ark.csv: error[encoding]: the text is neither UTF-8" in output
    sheet.write_bytes("Rubrik,Organisation\r\nX,grums\r\n".encode("utf-16-le"))  # no byte-order mark
    assert "error[encoding]: the file holds NUL bytes" in _refused(run, root, sheet)


# --- caps -----------------------------------------------------------------------------------


def test_a_csv_field_over_128_kib_is_a_clear_error(run, tmp_path):
    root = _empty(run, tmp_path)
    sheet = tmp_path / "ark.csv"
    sheet.write_text(HEADER + _rows(2) + "Lång;karlskrona;2024;risk-group;" + "x" * 140_000 + "\r\n", "utf-8")
    output = _refused(run, root, sheet)
    assert "ark.csv:row 4: error[cell-too-large]: a cell is longer than 131072 characters" in output
    assert "--max-cell-chars" in output


def test_caps_on_rows_cells_and_bytes_are_settable(run, tmp_path):
    root = _empty(run, tmp_path)
    sheet = tmp_path / "ark.csv"
    sheet.write_text(HEADER + _rows(20), encoding="utf-8")
    assert "error[too-many-rows]: the sheet has more than 10 rows" in _refused(
        run, root, sheet, "--max-rows", "10"
    )
    assert "error[too-many-cells]" in _refused(run, root, sheet, "--max-cells", "50")
    assert "error[cell-too-large]" in _refused(run, root, sheet, "--max-cell-chars", "20")
    assert "error[too-large]: the file is larger than" in _refused(run, root, sheet, "--max-bytes", "1000")
    result = run("-C", root, "import", "--max-rows", "20", sheet)
    assert result.exit_code == 0 and "imported 20 record(s)" in result.output
    help_text = run("import", "--help").output
    for option in ("--max-rows", "--max-cells", "--max-cell-chars", "--max-bytes"):
        assert option in help_text
    assert "100000" in help_text and "131072" in help_text


def test_printed_problems_are_capped(run, tmp_path):
    root = _empty(run, tmp_path)
    sheet = tmp_path / "ark.csv"
    sheet.write_text(HEADER + _rows(300).replace("risk-group", "riskgrp"), encoding="utf-8")
    output = _refused(run, root, sheet)
    assert output.count("error[vocabulary]") == 50
    assert "… and 250 more problem(s)" in output
    assert "300 problem(s) in 300 row(s)" in output


def test_a_fifo_is_refused_without_hanging(run, tmp_path):
    if not hasattr(os, "mkfifo"):
        pytest.skip("not applicable: no FIFOs on this system")
    root = _empty(run, tmp_path)
    fifo = tmp_path / "ark.csv"
    os.mkfifo(fifo)
    assert "ark.csv: error[not-a-file]" in _refused(run, root, fifo)


# --- hostile workbooks ----------------------------------------------------------------------


def test_corrupt_and_truncated_workbooks(run, tmp_path):
    root = _empty(run, tmp_path)
    sheet = tmp_path / "ark.xlsx"
    sheet.write_bytes(b"PK\x03\x04 not really a zip" * 10)
    assert "ark.xlsx: error[corrupt]: cannot read the workbook" in _refused(run, root, sheet)
    good = _workbook()
    sheet.write_bytes(good[: len(good) // 2])
    assert "error[corrupt]" in _refused(run, root, sheet)
    # A valid zip that is not a workbook.
    sheet.write_bytes(_rezip(good, {"xl/workbook.xml": b"<nonsense/>"}))
    assert "error[corrupt]" in _refused(run, root, sheet)


def test_encrypted_workbook(run, tmp_path):
    root = _empty(run, tmp_path)
    sheet = tmp_path / "ark.xlsx"
    # Excel saves a password-protected xlsx as an OLE compound file holding an EncryptedPackage stream.
    ole = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + "EncryptedPackage".encode("utf-16-le") + bytes(512)
    )
    sheet.write_bytes(ole)
    assert "ark.xlsx: error[encrypted]: the workbook is encrypted" in _refused(run, root, sheet)


def test_all_sheets_hidden(run, tmp_path):
    root = _empty(run, tmp_path)
    sheet = tmp_path / "ark.xlsx"
    good = _workbook()
    workbook = zipfile.ZipFile(io.BytesIO(good)).read("xl/workbook.xml")
    hidden = workbook.replace(b'state="visible" r:id', b'state="hidden" r:id')
    assert hidden != workbook
    sheet.write_bytes(_rezip(good, {"xl/workbook.xml": hidden}))
    assert "ark.xlsx: error[hidden]: every sheet of the workbook is hidden" in _refused(run, root, sheet)


def test_entity_declarations_in_a_workbook(run, tmp_path):
    root = _empty(run, tmp_path)
    sheet = tmp_path / "ark.xlsx"
    good = _workbook()
    members = zipfile.ZipFile(io.BytesIO(good))
    laughs = b'<!DOCTYPE x [<!ENTITY a "aaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    xml = members.read("xl/worksheets/sheet1.xml")
    xml = b'<?xml version="1.0"?>' + laughs + xml
    sheet.write_bytes(_rezip(good, {"xl/worksheets/sheet1.xml": xml}))
    assert "error[dtd]: the workbook's xl/worksheets/sheet1.xml declares XML entities" in _refused(
        run, root, sheet
    )


def test_zip_bomb_is_refused_from_its_declared_size(run, tmp_path):
    root = _empty(run, tmp_path)
    sheet = tmp_path / "ark.xlsx"
    # A member that claims 3.1 GB unpacked in the central directory, as a real bomb does.
    sheet.write_bytes(_claim(_rezip(_workbook(), {"xl/media/big.bin": bytes(1000)}), 3_100_000_000))
    output = _refused(run, root, sheet)
    assert (
        "ark.xlsx: error[too-large]: the workbook unpacks to 2.9 GiB or more, above the limit of 128.0 MiB"
        in (output)
    )


def test_zip_bomb_that_lies_about_its_size_reads_no_more_than_declared(run, tmp_path):
    root = _empty(run, tmp_path)
    sheet = tmp_path / "ark.xlsx"
    good = _workbook()
    bomb = _rezip(good, {"xl/media/big.bin": bytes(20_000_000)})
    # An honest 20 MB member is over a 10 MB limit ...
    sheet.write_bytes(bomb)
    assert "error[too-large]" in _refused(run, root, sheet, "--max-bytes", "10000000")
    # ... and one that claims 1,000 bytes is read up to those 1,000 and then fails its checksum.
    sheet.write_bytes(_claim(bomb, 1000))
    assert "error[corrupt]" in _refused(run, root, sheet, "--max-bytes", "10000000")


# --- ids and round trips --------------------------------------------------------------------


def test_a_row_id_that_is_no_path_below_insights_is_refused(run, tmp_path):
    root = _empty(run, tmp_path)
    sheet = tmp_path / "ark.csv"
    for bad in ("../../../../tmp/x", "a/../../x", "/etc/x", "umea/.dold", "umea//x", "Umea/X"):
        sheet.write_text("Id;" + HEADER + f"{bad};" + _rows(1), encoding="utf-8")
        assert "ark.csv:row 2: error[id]: the id" in _refused(run, root, sheet)
    assert not (tmp_path / "tmp").exists()


# --- already imported, refused, locked ------------------------------------------------------


def test_rerun_reports_already_imported_and_adds_the_rest(run, tmp_path):
    root = _empty(run, tmp_path)
    sheet = tmp_path / "ark.csv"
    sheet.write_text(HEADER + _rows(3), encoding="utf-8")
    assert run("-C", root, "import", sheet).exit_code == 0
    sheet.write_text(HEADER + _rows(5), encoding="utf-8")
    result = run("-C", root, "import", sheet)
    assert result.exit_code == 0, result.output
    assert "already imported insights/karlskrona/insikt-nummer-0-om-oppettider.md" in result.output
    assert "imported 2 record(s) from ark.csv; 3 already imported." in result.output
    # A different file at the same path is still refused: a record is never overwritten.
    edited = root / "insights/karlskrona/insikt-nummer-1-om-oppettider.md"
    edited.write_text(edited.read_text(encoding="utf-8") + "Tillägg.\n", encoding="utf-8")
    output = _refused(run, root, sheet)
    assert (
        "ark.csv:row 3: error[exists]: insights/karlskrona/insikt-nummer-1-om-oppettider.md exists" in output
    )


def test_a_second_import_at_once_stops_with_a_clear_message(run, tmp_path, monkeypatch):
    import insightmap.write as write

    root = _empty(run, tmp_path)
    sheet = tmp_path / "ark.csv"
    sheet.write_text(HEADER + _rows(3), encoding="utf-8")
    monkeypatch.setattr(write, "LOCK_WAIT", 0.0)
    before = _snapshot(root)
    with write.folder_lock(root / "build/import.lock", "import"):  # what a running import holds
        result = run("-C", root, "import", sheet)
    assert result.exit_code == 1
    assert "another insightmap import (pid" in result.output and "; import stopped" in result.output
    assert _snapshot(root) == before
    assert run("-C", root, "import", sheet).exit_code == 0


# --- kill -9 --------------------------------------------------------------------------------

#: Runs `insightmap import` and SIGKILLs itself at a chosen point (no cleanup code can run).
KILLER = """
import os, signal, sys
import insightmap.sheets.import_commit as commit
point, after = sys.argv[1], int(sys.argv[2])
real = getattr(commit, point)
calls = []
def dying(*args, **kwargs):
    if len(calls) == after:
        os.kill(os.getpid(), signal.SIGKILL)
    calls.append(args)
    return real(*args, **kwargs)
setattr(commit, point, dying)
from insightmap.cli import main
main(sys.argv[3:])
"""


def _kill(root: Path, sheet: Path, point: str, after: int) -> None:
    done = subprocess.run(
        [sys.executable, "-c", KILLER, point, str(after), "-C", str(root), "import", str(sheet)],
        capture_output=True,
        timeout=60,
    )
    assert done.returncode == -9, done.stderr


@pytest.mark.skipif(sys.platform == "win32", reason="not applicable: no SIGKILL on Windows")
def test_kill_while_placing_leaves_whole_files_and_the_next_run_completes(run, tmp_path):
    root = _empty(run, tmp_path)
    sheet = tmp_path / "ark.csv"
    sheet.write_text(HEADER + _rows(300), encoding="utf-8")
    _kill(root, sheet, "_place", 120)
    placed = sorted((root / "insights").rglob("*.md"))
    assert len(placed) == 120  # killed midway: only whole files ...
    assert all(p.read_text(encoding="utf-8").endswith("\n") for p in placed)
    assert run("-C", root, "check").exit_code == 0  # ... each a valid record
    result = run("-C", root, "import", sheet)
    assert result.exit_code == 0, result.output
    assert "left by an interrupted import" in result.output
    assert "imported 300 record(s)" in result.output
    assert len(list((root / "insights").rglob("*.md"))) == 300
    assert not any((root / "build").rglob("*"))  # the staging folder and the dead run's lock are gone


@pytest.mark.skipif(sys.platform == "win32", reason="not applicable: no SIGKILL on Windows")
def test_kill_while_staging_leaves_insights_untouched(run, tmp_path):
    root = _empty(run, tmp_path)
    sheet = tmp_path / "ark.csv"
    sheet.write_text(HEADER + _rows(50), encoding="utf-8")
    before = _snapshot(root)
    _kill(root, sheet, "write_atomic", 0)  # staged every file, killed before the manifest
    assert _snapshot(root) == before
    assert any((root / "build/import").iterdir())  # the stale staging folder ...
    result = run("-C", root, "import", "--dry-run", sheet)
    assert result.exit_code == 0
    assert not (root / "build/import").exists()  # ... is cleaned by the next run
