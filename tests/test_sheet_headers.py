"""Spreadsheet headers are the glossary's words; sheets written with the earlier words still import."""

from __future__ import annotations

import pytest

from conftest import record
from insightmap.sheets.sheet_layout import HEADERS, header_index


def test_export_writes_the_glossary_words(corpus, run, tmp_path):
    root = corpus({"insights/a.md": record()})
    out = tmp_path / "poster.csv"
    assert run("-C", root, "export", "-o", out).exit_code == 0
    header = out.read_text("utf-8-sig").splitlines()[0]
    assert "Subpopulation" in header and "Slutdatum" in header
    assert "Delpopulation" not in header
    assert HEADERS["en"]["end"] == "End date"


@pytest.mark.parametrize(
    "header, column",
    [
        ("Delpopulation", "subpopulation"),  # the Swedish header before the glossary
        ("Subpopulation", "subpopulation"),
        ("End", "end"),  # the English header before the glossary
        ("End date", "end"),
        ("Slutdatum", "end"),
        ("Rubrik", "title"),
        ("Title", "title"),
        ("Verksamhetsområde", "area"),
        ("Service area", "area"),
    ],
)
def test_old_and_new_headers_are_read(header, column):
    assert header_index()[header.casefold()] == column


def test_a_sheet_filled_in_before_the_change_imports(run, tmp_path):
    root = tmp_path / "tom"
    assert run("init", root).exit_code == 0
    sheet = tmp_path / "gammal.csv"
    sheet.write_text(
        "Rubrik;Organisation;Datum;Perspektiv;Delpopulation\n"
        "Unga vill ha låga trösklar.;karlskrona;2024-05;Riskgrupp;Vuxna\n",
        encoding="utf-8",
    )
    result = run("-C", root, "import", sheet)
    assert result.exit_code == 0, result.output
    written = "\n".join(p.read_text("utf-8") for p in (root / "insights").rglob("*.md"))
    assert "subpopulation: [Vuxna]" in written, written
