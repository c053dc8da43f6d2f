"""Spreadsheets in and out: export, template, import (all or nothing) and the round trip."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import record, study
from insightmap.sheets.spreadsheet import HEADERS, read_table


def _project(corpus):
    return corpus(
        {
            "insights/karlskrona/tid-och-plats.md": study(title="Tid och plats"),
            "insights/karlskrona/lunch.md": record(
                title="Kontoret är stängt när invånare kan ringa.",
                perspective="[active-client, risk-group]",
                subpopulation="[adults, families]",
                shift="[closed-to-accessible]",
                method="[interviews]",
                study="karlskrona/tid-och-plats",
                quotes='["Jag kan bara ringa på lunchen; då är det stängt.", "Ring mig klockan sju."]',
                body="Invånare kan bara ringa på lunchen.\n\nKontoret har då stängt.",
            ),
            "insights/grums/unga.md": record(
                title="Unga vill ha inflytande med låga trösklar.",
                organisation="grums",
                perspective="riskgrupp",
                subpopulation="[Barn och unga]",
                date="2023",
                visibility="public",
                source="Rapport 2023",
            ),
        }
    )


REPO = Path(__file__).resolve().parents[1]


def _empty(run, tmp_path: Path) -> Path:
    root = tmp_path / "empty"
    assert run("init", root).exit_code == 0
    return root


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_export_import_export_round_trips(run, corpus, tmp_path, suffix):
    root = _project(corpus)
    first = tmp_path / f"first.{suffix}"
    result = run("-C", root, "export", "-o", first)
    assert result.exit_code == 0 and "2 insight(s) and 1 study(ies)" in result.output
    empty = _empty(run, tmp_path)
    result = run("-C", empty, "import", first)
    assert result.exit_code == 0, result.output
    assert "imported 3 record(s)" in result.output
    assert (empty / "insights/karlskrona/lunch.md").is_file()
    assert run("-C", empty, "check").exit_code == 0
    second = tmp_path / f"second.{suffix}"
    assert run("-C", empty, "export", "-o", second).exit_code == 0
    rows_first, rows_second = read_table(first)[0], read_table(second)[0]
    assert rows_first == rows_second and len(rows_first) == 3
    if suffix == "csv":  # (an xlsx also lists the project's organisations, which differ here)
        assert first.read_bytes() == second.read_bytes()


def test_export_rows_use_keys_swedish_headers_and_joined_lists(run, corpus, tmp_path):
    root = _project(corpus)
    out = tmp_path / "insikter.csv"
    run("-C", root, "export", "-o", out)
    text = out.read_text(encoding="utf-8-sig")
    assert text.startswith("Typ,Id,Rubrik,Organisation,Datum,Perspektiv")
    rows = dict((r["id"], r) for _, r in read_table(out)[0])
    assert rows["karlskrona/lunch"]["perspective"] == "active-client; risk-group"
    assert rows["grums/unga"]["perspective"] == "risk-group"  # the label became the key
    assert rows["karlskrona/lunch"]["quotes"].count("\n") == 1
    assert rows["karlskrona/tid-och-plats"]["kind"] == "study"


def test_export_public_and_json(run, corpus, tmp_path):
    import json

    root = _project(corpus)
    out = tmp_path / "open.json"
    assert run("-C", root, "export", "--public", "-o", out).exit_code == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert [r["id"] for r in data] == ["grums/unga"]


def test_template_has_drop_downs_from_the_vocabulary(run, corpus, tmp_path):
    from openpyxl import load_workbook

    root = _project(corpus)
    out = tmp_path / "mall.xlsx"
    result = run("-C", root, "export", "--template", "-o", out)
    assert result.exit_code == 0
    book = load_workbook(out)
    sheet, lists = book["Poster"], book["Listor"]
    assert lists.sheet_state == "hidden"
    assert [c.value for c in sheet[1]][:3] == ["Typ", "Id", "Rubrik"]
    assert sheet.max_row == 1
    ranges = {str(v.sqref): v.formula1 for v in sheet.data_validations.dataValidation}
    assert ranges["F2:F500"] == "=Listor!$B$2:$B$4"  # Perspektiv → the three perspectives
    # The drop-downs offer the Swedish labels (import reads them as the keys).
    assert [lists.cell(row=r, column=2).value for r in (2, 3, 4)] == [
        "Aktuella inom socialtjänsten",
        "Riskgrupp",
        "Invånare i allmänhet",
    ]
    assert run("-C", root, "export", "--template", "-o", tmp_path / "mall.csv").exit_code == 2


def test_import_with_three_bad_rows_writes_nothing_and_reports_all(run, tmp_path):
    empty = _empty(run, tmp_path)
    sheet = tmp_path / "ark.csv"
    sheet.write_text(
        "Rubrik;Organisation;Datum;Perspektiv;Delpopulation\n"
        "Bra rad om tider.;karlskrona;2024-05;Riskgrupp;Vuxna\n"
        "Okänt perspektiv.;karlskrona;2024-05;riskgrp;Vuxna\n"
        "Fel datum.;karlskrona;maj 2024;risk-group;adults\n"
        "Ingen delpopulation.;grums;2024;risk-group;\n",
        encoding="utf-8",
    )
    before = sorted(p for p in (empty / "insights").rglob("*"))
    result = run("-C", empty, "import", sheet)
    assert result.exit_code == 1
    assert (
        "ark.csv:row 3: error[vocabulary]: unknown perspective `riskgrp` (column Perspektiv)" in result.output
    )
    assert "did you mean `risk-group`?" in result.output
    assert "ark.csv:row 4: error[date]" in result.output
    assert "ark.csv:row 5: error[missing]" in result.output
    assert "ark.csv:row 2:" not in result.output
    assert "3 problem(s) in 3 row(s)" in result.output and "nothing was written" in result.output
    assert sorted(p for p in (empty / "insights").rglob("*")) == before


def test_import_refuses_a_slug_clash_before_writing_anything(run, corpus, tmp_path):
    root = _project(corpus)
    sheet = tmp_path / "ark.csv"
    sheet.write_text(
        "Title,Organisation,Date,Perspective,Subpopulation\n"
        "En ny insikt.,grums,2024,risk-group,adults\n"
        "Lunch,karlskrona,2024,risk-group,adults\n"
        "En ny insikt!,grums,2024,risk-group,adults\n",
        encoding="utf-8",
    )
    result = run("-C", root, "import", sheet)
    assert result.exit_code == 1
    assert "row 3: error[exists]: insights/karlskrona/lunch.md exists already" in result.output
    assert "row 4: error[duplicate-file]" in result.output
    assert not (root / "insights/grums/en-ny-insikt.md").exists()


def test_import_accepts_english_headers_and_labels_and_dry_run(run, tmp_path):
    from openpyxl import Workbook

    empty = _empty(run, tmp_path)
    book = Workbook()
    sheet = book.active
    sheet.append(
        [
            HEADERS["en"][c]
            for c in ("title", "organisation", "date", "perspective", "subpopulation", "quotes", "kind")
        ]
    )
    sheet.append(
        [
            "Äldre vill påverka.",
            "Karlstad",
            "2024-03",
            "General public",
            "Äldre",
            "Fråga oss först.",
            "insikt",
        ]
    )
    path = tmp_path / "sheet.xlsx"
    book.save(path)
    result = run("-C", empty, "import", "--dry-run", path)
    assert result.exit_code == 0, result.output
    assert "would write insights/karlstad/aldre-vill-paverka.md" in result.output
    assert not (empty / "insights/karlstad").exists()
    assert run("-C", empty, "import", path).exit_code == 0
    text = (empty / "insights/karlstad/aldre-vill-paverka.md").read_text(encoding="utf-8")
    assert "perspective: [General public]" in text and "- Fråga oss först." in text


def test_import_reports_unknown_columns_and_other_files(run, tmp_path):
    empty = _empty(run, tmp_path)
    bad = tmp_path / "ark.csv"
    bad.write_text("Rubrik,Färg\nX,röd\n", encoding="utf-8")
    result = run("-C", empty, "import", bad)
    assert result.exit_code == 1
    assert "ark.csv:row 1: error[unknown-column]: unknown column `Färg`" in result.output
    other = tmp_path / "ark.ods"
    other.write_text("x", encoding="utf-8")
    assert "cannot import `.ods` files" in run("-C", empty, "import", other).output


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_formula_like_text_round_trips_as_text(corpus, run, tmp_path, suffix):
    root = corpus({"insights/a.md": record(title='"=1+1 är ingen formel"', quotes='["-minus först"]')})
    sheet = tmp_path / f"ut.{suffix}"
    assert run("-C", root, "export", "-o", sheet).exit_code == 0
    target = tmp_path / "tom"
    assert run("init", target).exit_code == 0
    assert run("-C", target, "import", sheet).exit_code == 0
    rows = json.loads(run("-C", target, "list", "--format", "json").output)
    assert rows[0]["title"] == "=1+1 är ingen formel"
    assert rows[0]["quotes"] == ["-minus först"]


def test_import_takes_back_its_files_when_a_write_fails(corpus, run, tmp_path, monkeypatch):
    import errno

    import insightmap.sheets.import_commit as commit

    source = corpus({"insights/a.md": record(title="Ett"), "insights/b.md": record(title="Två")})
    sheet = tmp_path / "ut.csv"
    assert run("-C", source, "export", "-o", sheet).exit_code == 0
    target = tmp_path / "tom"
    run("init", target)
    real, calls = commit._place, []

    def fail_second(scratch, path, text):
        calls.append(path)
        if len(calls) == 2:
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        real(scratch, path, text)

    monkeypatch.setattr(commit, "_place", fail_second)
    result = run("-C", target, "import", sheet)
    assert result.exit_code == 1
    assert "No space left on device; nothing was written." in result.output
    assert list((target / "insights").rglob("*.md")) == []
    assert not (target / "build").exists()  # no staging folder left behind


NESTED = {
    "insights/umea/samsjuklighet.md": record(
        title="Samsjuklighet kräver samordning.", organisation="umea", study="umea/studier/samsjuklighet"
    ),
    "insights/umea/studier/samsjuklighet.md": study(title="Samsjuklighet", organisation="umea"),
    "insights/umea/studier/unga.md": record(title="Unga vill bli hörda.", organisation="umea"),
    "insights/grums/x/y/z.md": record(title="Djupt liggande insikt.", organisation="grums"),
}


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_nested_ids_round_trip(run, corpus, tmp_path, suffix):
    source = corpus(NESTED)
    first, second = tmp_path / f"first.{suffix}", tmp_path / f"second.{suffix}"
    assert run("-C", source, "export", "-o", first).exit_code == 0
    target = _empty(run, tmp_path)
    result = run("-C", target, "import", first)
    assert result.exit_code == 0, result.output
    for rel in NESTED:
        assert (target / rel).is_file(), rel
    assert run("-C", target, "export", "-o", second).exit_code == 0
    rows = read_table(first)[0]
    assert read_table(second)[0] == rows and len(rows) == 4


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_the_demo_corpus_round_trips(run, tmp_path, suffix):
    first, second = tmp_path / f"first.{suffix}", tmp_path / f"second.{suffix}"
    assert run("-C", REPO, "export", "-o", first).exit_code == 0
    target = tmp_path / "kopia"
    (target / "insights").mkdir(parents=True)
    shutil.copy(REPO / "insightmap.yml", target / "insightmap.yml")
    result = run("-C", target, "import", first)
    assert result.exit_code == 0, result.output
    assert run("-C", target, "export", "-o", second).exit_code == 0
    rows = read_table(first)[0]
    assert read_table(second)[0] == rows and len(rows) >= 90
    if suffix == "csv":
        assert first.read_bytes() == second.read_bytes()
    # The same sheet again: everything is there already; nothing is refused or written.
    again = run("-C", target, "import", first)
    assert again.exit_code == 0, again.output
    assert f"imported 0 record(s) from first.{suffix}; {len(rows)} already imported." in again.output


def test_an_action_with_indicators_round_trips_through_a_sheet(run, corpus, tmp_path):
    from test_actions import action

    indicators = (
        "\n  - {name: Andel som har förtroende för socialtjänsten, type: outcome, level: strategic, "
        "source: enkät, frequency: årligen}\n  - {name: Antal träffar, type: process, level: operational}"
    )
    root = corpus(
        {
            "insights/karlskrona/lunch.md": record(title="Lunchen är stängd."),
            "insights/karlskrona/arbetstider.md": action(indicators=indicators),
        }
    )
    sheet = tmp_path / "med-forandring.csv"
    assert run("-C", root, "export", "-o", sheet).exit_code == 0
    rows = read_table(sheet)[0]
    (_, row) = rows[-1]
    assert row["kind"] == "action" and row["builds_on"] == "karlskrona/lunch"
    assert row["indicators"] == (
        "Andel som har förtroende för socialtjänsten | outcome | strategic | enkät | årligen\n"
        "Antal träffar | process | operational"
    )
    empty = _empty(run, tmp_path)
    result = run("-C", empty, "import", sheet)
    assert result.exit_code == 0, result.output
    listed = json.loads(run("-C", empty, "list", "--kind", "action", "--format", "json").output)
    assert listed[0]["builds_on"] == ["karlskrona/lunch"]
    assert [i["level"] for i in listed[0]["indicators"]] == ["strategic", "operational"]
    again = tmp_path / "igen.csv"
    assert run("-C", empty, "export", "-o", again).exit_code == 0
    assert again.read_bytes() == sheet.read_bytes()
