"""The white-spot report: exact cells, statuses, studies, fatigue, summary, CLI and chart."""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
from pathlib import Path

import pytest

from conftest import record, study
from insightmap.analyse.gaps import GapReport, compute_gaps
from insightmap.analyse.regions import REGIONS
from insightmap.load import load
from insightmap.load.project import open_project
from insightmap.records import Corpus
from insightmap.render.gaps import draw_gap_chart, summarise, to_csv, to_markdown
from insightmap.select import Selection

TODAY = datetime.date(2026, 11, 23)


def _load(root: Path) -> Corpus:
    corpus, problems = load(open_project(root))
    assert problems == []
    return corpus


def _study_text(title: str, status: str, organisation: str, **fields: str) -> str:
    lines = [f"{key}: {value}" for key, value in fields.items()]
    return (
        f"---\nkind: study\ntitle: {title}\nstatus: {status}\norganisation: {organisation}\n"
        f'date: "2025-01"\n' + "".join(f"{line}\n" for line in lines) + "---\n\nOm arbetet.\n"
    )


BASE = {
    "insights/i1.md": record(
        title="Ett",
        perspective="[active-client]",
        subpopulation="[adults]",
        date='"2024-05"',
        area="[homelessness]",
        theme="[accessibility-trust]",
    ),
    "insights/i2.md": record(
        title="Två",
        perspective="[active-client, risk-group]",
        subpopulation="[adults, families]",
        date='"2020-01"',
        area="[homelessness, addiction]",
        theme="[accessibility-trust, collaboration]",
    ),
    "insights/i3.md": record(
        title="Tre",
        perspective="[general-public]",
        subpopulation="[children-youth]",
        organisation="grums",
        date='"2025-03"',
        theme="[collaboration]",
    ),
    "insights/i4.md": record(
        title="Fyra",
        perspective="[risk-group]",
        subpopulation="[children-youth]",
        organisation="grums",
        date='"2021"',
    ),
    "insights/s1.md": study(title="Unga berättar", status="ongoing"),
    "insights/s2.md": study(
        title="Unga och äldre",
        status="planned",
        organisation="grums",
        subpopulation="[children-youth, older-people]",
    ),
    "insights/s3.md": study(
        title="Äldre i allmänhet",
        status="completed",
        perspective="[general-public]",
        subpopulation="[older-people]",
    ),
    "insights/s4.md": _study_text(
        "Samverkan i Grums",
        "ongoing",
        "grums",
        theme="[collaboration]",
        perspective="[active-client, risk-group]",
    ),
    "insights/s5.md": _study_text("Samverkan igen", "planned", "grums", theme="[collaboration, law]"),
}


@pytest.fixture
def base(corpus) -> Corpus:
    return _load(corpus(BASE))


def _report(corpus: Corpus, **kwargs: object) -> GapReport:
    return compute_gaps(None, corpus, today=TODAY, **kwargs)  # type: ignore[arg-type]


def test_default_matrix_counts_statuses_staleness_and_studies(base):
    report = _report(base)
    assert report.rows == ("active-client", "risk-group", "general-public")
    assert report.cols == tuple(base.vocabulary.keys("subpopulation"))  # all 13, also the empty ones
    assert len(report.cells) == 39 and report.total == 4
    non_empty = {(c.row, c.col): (c.count, c.status, c.newest, c.stale) for c in report.cells if c.count}
    assert non_empty == {
        ("active-client", "adults"): (2, "covered", "2024-05", False),
        ("active-client", "families"): (1, "thin", "2020-01", True),
        ("risk-group", "adults"): (1, "thin", "2020-01", True),
        ("risk-group", "families"): (1, "thin", "2020-01", True),
        ("risk-group", "children-youth"): (1, "thin", "2021", True),  # 2021 ends 2021-12-31 < 2023-11-23
        ("general-public", "children-youth"): (1, "thin", "2025-03", False),
    }
    assert len(report.with_status("empty")) == 33
    empty = report.cell("general-public", "older-people")
    assert (empty.count, empty.status, empty.newest, empty.stale, empty.filled_by) == (
        0,
        "empty",
        None,
        False,
        (),
    )
    # Planned and ongoing studies fill their cells; a completed one does not.
    filled = {(c.row, c.col): c.filled_by for c in report.cells if c.filled_by}
    assert filled == {
        ("risk-group", "children-youth"): ("s1", "s2"),
        ("risk-group", "older-people"): ("s2",),
    }
    assert [f.to_dict() for f in report.fatigue] == [
        {
            "row": "risk-group",
            "col": "children-youth",
            "studies": ["s1", "s2"],
            "organisations": ["grums", "karlskrona"],
        },
    ]


def test_thin_and_stale_thresholds_are_settable(base):
    report = _report(base, thin=3, stale_years=10)
    assert report.cell("active-client", "adults").status == "thin"
    assert not any(c.stale for c in report.cells)
    later = compute_gaps(None, base, today=datetime.date(2028, 1, 1))
    assert later.cell("active-client", "adults").stale  # 2024-05 is older than 3 years by then


def test_organisation_coverage_and_who_could_share(base):
    report = _report(base)
    karlskrona, grums = report.organisations["karlskrona"], report.organisations["grums"]
    assert (karlskrona.insights, karlskrona.cells, karlskrona.covered) == (2, 39, 4)
    assert (grums.insights, grums.covered) == (2, 2)
    assert round(grums.share, 4) == round(2 / 39, 4)
    assert ("risk-group", "children-youth") in karlskrona.empty
    assert ("risk-group", "children-youth", ("grums",)) in karlskrona.learn_from
    assert ("active-client", "adults", ("karlskrona",)) in grums.learn_from
    sharing = {(s.row, s.col): (s.have, s.lack) for s in report.sharing}
    assert sharing[("active-client", "adults")] == (("karlskrona",), ("grums",))
    assert len(sharing) == 6


def test_region_by_area(base):
    report = _report(base, rows="region", cols="area")
    assert report.rows == REGIONS and len(report.rows) == 7
    assert report.rows[3] == "active-client+risk-group"
    assert len(report.cols) == 8
    counts = {(c.row, c.col): c.count for c in report.cells if c.count}
    # i3 and i4 declare no area: they are in no cell of this matrix.
    assert counts == {
        ("active-client", "homelessness"): 1,
        ("active-client+risk-group", "homelessness"): 1,
        ("active-client+risk-group", "addiction"): 1,
    }
    assert report.cell("active-client+risk-group", "addiction").stale
    # No study declares an area, so none fills a cell and nothing warns of fatigue.
    assert not any(c.filled_by for c in report.cells) and report.fatigue == ()


def test_region_by_subpopulation_fills_every_region_within_the_studys_perspectives(corpus):
    loaded = _load(
        corpus(
            {
                "insights/i1.md": record(),
                "insights/s.md": study(perspective="[active-client, risk-group]", subpopulation="[adults]"),
            }
        )
    )
    report = _report(loaded, rows="region", cols="subpopulation")
    filled = sorted(c.row for c in report.cells if c.filled_by)
    assert filled == ["active-client", "active-client+risk-group", "risk-group"]


def test_organisation_by_theme(base):
    report = _report(base, rows="organisation", cols="theme")
    assert report.rows == ("grums", "karlskrona")
    counts = {(c.row, c.col): (c.count, c.status) for c in report.cells if c.count}
    assert counts == {
        ("karlskrona", "accessibility-trust"): (2, "covered"),
        ("karlskrona", "collaboration"): (1, "thin"),
        ("grums", "collaboration"): (1, "thin"),
    }
    # Studies fill their own organisation's theme cells; ones without a theme fill nothing.
    filled = {(c.row, c.col): c.filled_by for c in report.cells if c.filled_by}
    assert filled == {("grums", "collaboration"): ("s4", "s5"), ("grums", "law"): ("s5",)}
    assert [(f.row, f.col, f.studies) for f in report.fatigue] == [("grums", "collaboration", ("s4", "s5"))]
    # On an organisation axis, an organisation's own row is its whole matrix.
    assert report.organisations["grums"].cells == 10 and report.organisations["grums"].covered == 1
    assert report.sharing == ()


def test_selection_narrows_insights_studies_and_the_filtered_axis(base):
    report = _report(base, selection=Selection(organisations=("grums",)))
    assert report.total == 2 and set(report.organisations) == {"grums"}
    assert report.cell("risk-group", "children-youth").filled_by == ("s2",)
    narrowed = _report(base, selection=Selection(values={"subpopulation": ("adults", "families")}))
    assert narrowed.cols == ("adults", "families") and narrowed.total == 2


def test_to_dict_has_the_issue_shape(base):
    data = _report(base).to_dict()
    assert {"rows", "cols", "cells", "fatigue", "organisations"} <= set(data)
    cell = data["cells"][0]
    assert {"row", "col", "count", "status", "stale", "newest", "filled_by"} <= set(cell)
    assert data["fatigue"][0]["studies"] == ["s1", "s2"]
    assert json.loads(json.dumps(data)) == data


def test_unknown_dimension_is_an_error(base):
    with pytest.raises(ValueError, match="unknown dimension"):
        compute_gaps(None, base, rows="colour", today=TODAY)


# --- the summary -------------------------------------------------------------------------------


def _spread(ac: int, rg: int, gp: int) -> dict[str, str]:
    files = {}
    for perspective, n in (("active-client", ac), ("risk-group", rg), ("general-public", gp)):
        for i in range(n):
            files[f"insights/{perspective}-{i}.md"] = record(
                title=f"Insikt {perspective} {i}", perspective=f"[{perspective}]"
            )
    return files


def test_summary_speaks_the_pilots_sentence_only_when_the_numbers_support_it(corpus):
    supported = _load(corpus(_spread(3, 1, 2)))
    lines = summarise(_report(supported), supported)
    assert any(
        line.startswith("De flesta insikterna rör personer som har eller har haft insatser (3)")
        and "färst från personer med förhöjd risk (1) – den grupp som borde vara mest intressant" in line
        for line in lines
    )


def test_summary_says_nothing_about_perspectives_on_a_tie(corpus):
    tied = _load(corpus(_spread(2, 2, 1)))
    text = "\n".join(summarise(_report(tied), tied))
    assert "De flesta" not in text and "Flest insikter" not in text


def test_summary_sentence_changes_when_the_corpus_changes(corpus):
    root = corpus(_spread(3, 1, 2))
    before = summarise(_report(_load(root)), _load(root))
    # Two more risk-group insights: now the risk group has the most, the general public the fewest.
    for i in range(3):
        (root / f"insights/extra-{i}.md").write_text(
            record(title=f"Extra {i}", perspective="[risk-group]"), encoding="utf-8"
        )
    after_corpus = _load(root)
    after = summarise(_report(after_corpus), after_corpus)
    assert not any("förhöjd risk" in line for line in after)
    assert (
        "Flest insikter rör invånare som tillhör en identifierad riskgrupp (4), "
        "färst invånare i allmänhet (2)."
    ) in after
    assert before != after


def test_summary_names_white_spots_filling_and_fatigue(base):
    lines = summarise(_report(base), base)
    text = "\n".join(lines)
    assert lines[0].startswith(
        "De 4 insikterna fördelar sig på 39 celler (perspektiv × subpopulation): 1 täckt, "
        "5 tunna (färre än 2 insikter) och 33 vita fläckar."
    )
    # Whole columns without any insight are the largest white spots.
    assert "De största vita fläckarna – inga insikter alls: unga vuxna, äldre" in text
    assert (
        "1 av de 33 vita fläckarna håller på att fyllas: riskgrupp × äldre av ”Unga och äldre” "
        "(Grums kommun, planerad)." in text
    )
    assert (
        "Risk för insiktströtthet: 2 insiktsarbeten från 2 organisationer riktar sig till "
        "riskgrupp × barn och unga" in text
    )
    assert "4 celler bygger bara på insikter äldre än 3 år" in text


def test_summary_in_english(corpus):
    root = corpus(BASE, config="language: en\n")
    loaded = _load(root)
    text = "\n".join(summarise(_report(loaded), loaded))
    assert "Largest white spots – no insights at all: young adults, older people" in text
    assert (
        "Risk of insight fatigue: 2 studies from 2 organisations target risk group × children and youth"
    ) in text


# --- outputs -----------------------------------------------------------------------------------


def test_markdown_and_csv(base):
    report = _report(base)
    md = to_markdown(report, base)
    assert (
        "| Subpopulation | Aktuella inom socialtjänsten | Riskgrupp | Invånare i allmänhet | Totalt |" in md
    )
    assert "| Barn och unga | **○** | *1*† ◆◆ | *1* | 2 |" in md
    assert "| Äldre | **○** | **○ ◆** | **○** | 0 |" in md
    rows = list(csv.DictReader(io.StringIO(to_csv(report, base))))
    assert len(rows) == 39
    cell = next(r for r in rows if (r["row"], r["col"]) == ("risk-group", "children-youth"))
    assert cell == {
        "row": "risk-group",
        "col": "children-youth",
        "row_label": "Riskgrupp",
        "col_label": "Barn och unga",
        "count": "1",
        "status": "thin",
        "stale": "yes",
        "newest": "2021",
        "filled_by": "s1;s2",
        "organisations": "grums",
        "actions": "",
        "acted": "no",
        "row_insights": "2",
        "col_insights": "2",
        "all_insights": "4",
    }


def test_chart_draws_every_cell_with_its_status(base):
    report = _report(base)
    svg = draw_gap_chart(report, base, "svg")
    assert isinstance(svg, str)
    ids = set(re.findall(r'id="(cell--[^"]+)"', svg))
    assert len(ids) == 39
    assert "cell--risk-group--children-youth--thin--filled--fatigue--stale" in ids
    assert "cell--risk-group--older-people--empty--filled" in ids
    assert "cell--general-public--older-people--empty" in ids
    assert "cell--active-client--adults--covered" in ids
    assert 'id="bubble--active-client--adults--2"' in svg
    assert svg.count('id="ring--') == 33
    assert "Vita fläckar: Perspektiv × subpopulation" in svg  # Swedish, text kept as text
    assert draw_gap_chart(report, base, "svg") == svg  # deterministic
    png = draw_gap_chart(report, base, "png")
    assert isinstance(png, bytes) and png.startswith(b"\x89PNG")


def test_region_chart_ids_are_valid(base):
    svg = draw_gap_chart(_report(base, rows="region", cols="area"), base, "svg")
    assert 'id="cell--active-client_risk-group--addiction--thin--stale"' in svg
    assert "+" not in "".join(re.findall(r'id="(cell--[^"]+)"', svg))


# --- the command -------------------------------------------------------------------------------


def test_cli_json(corpus, run):
    root = corpus(BASE)
    result = run("-C", root, "gaps", "--format", "json", "--today", "2026-11-23")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["today"] == "2026-11-23"
    expected = {
        "insights": 4,
        "cells": 39,
        "empty": 33,
        "thin": 5,
        "covered": 1,
        "stale": 4,
        "filled": 2,
        "cell_sum": 7,  # an insight with two subpopulations counts in two cells
    }
    assert {key: data["totals"][key] for key in expected} == expected
    assert data["totals_note"].startswith("Cellerna summerar till 7 men insikterna är 4:")
    assert data["summary"][0].startswith("De 4 insikterna")


def test_cli_table_markdown_csv_and_other_dimensions(corpus, run):
    root = corpus(BASE)
    table = run("-C", root, "gaps", "--today", "2026-11-23")
    assert table.exit_code == 0 and "Vita fläckar" in table.output and "○" in table.output
    md = run("-C", root, "gaps", "--format", "markdown", "--rows", "organisation", "--cols", "theme")
    assert md.exit_code == 0 and "| Tema | Grums kommun | Karlskrona kommun | Totalt |" in md.output
    out = run("-C", root, "gaps", "--format", "csv", "--rows", "region", "--cols", "area", "--thin", "1")
    lines = out.output.splitlines()
    assert len(lines) == 1 + 7 * 8 and "thin" not in out.output
    filtered = run("-C", root, "gaps", "--format", "json", "--organisation", "grums")
    assert json.loads(filtered.output)["totals"]["insights"] == 2


def test_cli_fail_on(corpus, run):
    root = corpus(BASE)
    result = run("-C", root, "gaps", "--fail-on", "empty", "--format", "csv")
    assert result.exit_code == 1
    assert "33 cell(s) are empty" in result.output
    assert "general-public × older-people (Invånare i allmänhet × Äldre): 0" in result.output


def test_cli_fail_on_passes_when_the_chosen_cells_are_covered(corpus, run):
    covered = corpus({"insights/i.md": record(subpopulation="[adults]")})
    ok = run(
        "-C",
        covered,
        "gaps",
        "--rows",
        "perspective",
        "--cols",
        "subpopulation",
        "--subpopulation",
        "adults",
        "--perspective",
        "active-client",
        "--fail-on",
        "empty",
    )
    assert ok.exit_code == 0, ok.output
    thin = run(
        "-C",
        covered,
        "gaps",
        "--subpopulation",
        "adults",
        "--perspective",
        "active-client",
        "--fail-on",
        "thin",
        "--format",
        "json",
    )
    assert thin.exit_code == 1 and "1 cell(s) are empty or thin" in thin.output


def test_cli_writes_files_by_suffix(corpus, run, tmp_path):
    root = corpus(BASE)
    checks = (
        ("g.svg", lambda b: b.startswith(b"<?xml")),
        ("g.png", lambda b: b[:4] == b"\x89PNG"),
        ("g.md", lambda b: b.startswith(b"## Vita fl")),
        ("g.csv", lambda b: b.startswith(b"row,")),
        ("g.json", lambda b: json.loads(b)["rows"][0] == "active-client"),
    )
    for name, check in checks:
        target = tmp_path / "out" / name
        result = run("-C", root, "gaps", "--today", "2026-11-23", "-o", target)
        assert result.exit_code == 0, result.output
        assert check(target.read_bytes()), name
    bad = run("-C", root, "gaps", "-o", tmp_path / "g.doc")
    assert bad.exit_code == 2 and "cannot tell the format" in bad.output


def test_cli_usage_errors(corpus, run):
    root = corpus(BASE)
    assert run("-C", root, "gaps", "--rows", "theme", "--cols", "theme").exit_code == 2
    assert run("-C", root, "gaps", "--rows", "colour").exit_code == 2
    assert run("-C", root, "gaps", "--today", "tomorrow").exit_code == 2
    assert run("-C", root, "gaps", "--subpopulation", "aldre-folk").exit_code == 2


def test_cli_map_definition_gives_the_selection(corpus, run):
    root = corpus({**BASE, "maps/grums.yml": "title: Grums\nfilter:\n  organisation: grums\n"})
    result = run("-C", root, "gaps", "--map", "grums", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["selection"] == {"organisation": ["grums"]} and data["totals"]["insights"] == 2
    assert run("-C", root, "gaps", "--map", "nowhere").exit_code == 2
    assert run("-C", root, "gaps", "--map", "grums", "--organisation", "karlskrona").exit_code == 2


def test_summary_of_an_empty_selection_is_one_sentence(corpus):
    loaded = _load(corpus({"insights/i.md": record()}))
    report = compute_gaps([], loaded, today=TODAY)
    assert summarise(report, loaded) == [
        "Urvalet innehåller inga insikter: alla 39 celler i matrisen "
        "perspektiv × subpopulation är vita fläckar."
    ]
    assert draw_gap_chart(report, loaded, "svg").count('id="ring--') == 39


def test_markdown_escapes_project_text(corpus):
    hostile = "<img src=x onerror=alert(1)> [klick](javascript:alert(1)) | x"
    config = "language: sv\norganisations:\n  ond: {name: '<b>Ond</b> | org', type: civil-society}\n"
    loaded = _load(
        corpus(
            {
                "insights/i.md": record(organisation="ond"),
                "insights/s.md": study(
                    title=f"'{hostile}'",
                    organisation="ond",
                    perspective="[active-client]",
                    subpopulation="[adults]",
                ),
            },
            config=config,
        )
    )
    md = to_markdown(compute_gaps(None, loaded, today=TODAY), loaded)
    assert "<img" not in md and "<b>" not in md
    assert not re.search(r"(?<!\\)\]\(javascript", md)  # no live link
    assert "&lt;b&gt;Ond&lt;/b&gt; \\| org" in md
    assert "\\[klick\\](javascript:alert(1)) \\| x" in md


def test_terminal_table_prints_project_text_as_is(corpus, run):
    config = "language: sv\norganisations:\n  ond: {name: '[/bold] [red]Ond', type: civil-society}\n"
    root = corpus(
        {
            "insights/i.md": record(organisation="ond"),
            "insights/s.md": study(title="'[/x] titel'", organisation="ond"),
        },
        config=config,
    )
    result = run("-C", root, "gaps", "--rows", "organisation", "--cols", "perspective")
    assert result.exit_code == 0, result.output
    assert "[/bold] [red]Ond" in result.output and "[/x] titel" in result.output


# --- what a reader sees: whole numbers at any width, totals explained (issue 15) --------------

PERSPECTIVE_SETS = ("[active-client]", "[risk-group]", "[general-public]", "[active-client, general-public]")
SUBPOPULATION_SETS = (
    "[adults, families]",
    "[children-youth]",
    "[older-people, relatives-carers]",
    "[adults]",
)
AREAS = ("homelessness", "financial-assistance", "addiction", "child-youth-care", "elderly-care")

#: 48 insights over many cells: totals of two digits, and insights counted in several cells.
MANY = {
    f"insights/m{n:02}.md": record(
        title=f"Insikt {n}",
        perspective=PERSPECTIVE_SETS[n % 4],
        subpopulation=SUBPOPULATION_SETS[n // 4 % 4],
        area=f"[{AREAS[n % 5]}]",
        organisation=("karlskrona", "grums", "sodermalm")[n % 3],
    )
    for n in range(48)
}


def _table_numbers(output: str, total_word: str) -> tuple[list[int], list[int]]:
    """Return the numbers in the table's last column (side totals, then the grand total) and its total row."""
    rows = [line.split("│")[1:-1] for line in output.splitlines() if line.startswith("│")]
    last = [int(fields[-1]) for fields in rows if fields[-1].strip()]
    total_row = next(fields for fields in rows if fields[0].strip() == total_word)
    return last, [int(field) for field in total_row[1:]]


@pytest.mark.parametrize("dimensions", [(), ("--rows", "region", "--cols", "area")])
def test_terminal_table_at_80_columns_shows_every_total_whole(corpus, run, monkeypatch, dimensions):
    monkeypatch.setenv("COLUMNS", "80")  # as in an 80-column terminal, or piped to a file
    root = corpus(MANY)
    result = run("-C", root, "gaps", "--today", "2026-11-23", *dimensions)
    assert result.exit_code == 0, result.output
    assert max(len(line) for line in result.output.splitlines()) <= 80
    loaded = _load(root)
    rows, cols = (dimensions[1], dimensions[3]) if dimensions else ("perspective", "subpopulation")
    report = compute_gaps(None, loaded, rows=rows, cols=cols, today=TODAY)
    side_totals, total_row = _table_numbers(result.output, "Totalt")
    if len(report.cols) > len(report.rows):  # the longer dimension runs down the side
        expected_side = [report.col_total(c) for c in report.cols]
        expected_top = [report.row_total(r) for r in report.rows]
    else:
        expected_side = [report.row_total(r) for r in report.rows]
        expected_top = [report.col_total(c) for c in report.cols]
    assert side_totals == [*expected_side, 48]
    assert total_row == [*expected_top, 48]
    assert max(expected_side) >= 10  # two-digit totals, the ones a cut column showed as one digit


def test_terminal_table_names_its_columns_in_a_key_when_the_labels_do_not_fit(corpus, run, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    result = run("-C", corpus(MANY), "gaps", "--rows", "region", "--cols", "area", "--today", "2026-11-23")
    assert "Kolumner:" in result.output
    assert "  A  Aktuella inom socialtjänsten\n" in result.output
    assert "  G  Aktuella inom socialtjänsten + Riskgrupp + Invånare i allmänhet\n" in result.output


def test_terminal_matrix_too_wide_for_any_table_becomes_a_list(corpus):
    from rich.console import Console

    from insightmap.render.gaps import to_table

    loaded = _load(corpus(MANY))
    report = compute_gaps(None, loaded, rows="organisation", cols="subpopulation", today=TODAY)
    console = Console(width=40, record=True, color_system=None)
    console.print(to_table(report, loaded))
    text = console.export_text()
    assert max(len(line) for line in text.splitlines()) <= 40
    # Subpopulations run down the side (more values), one line per organisation under each.
    assert f"Vuxna · totalt {report.col_total('adults')}\n" in text
    assert f"  Karlskrona kommun: {report.cell('karlskrona', 'adults').count}\n" in text
    assert "Totalt 48\n  Grums kommun: 16\n" in text


def test_totals_are_explained_where_they_stand(corpus, run, tmp_path):
    root = corpus(MANY)
    loaded = _load(root)
    report = compute_gaps(None, loaded, today=TODAY)
    counted = sum(c.count for c in report.cells)
    assert counted > 48
    note = (
        f"Cellerna summerar till {counted} men insikterna är 48: en insikt med flera perspektiv eller "
        "subpopulationer räknas i varje cell den hör till. Varje summa räknar en insikt en gång."
    )
    table = run("-C", root, "gaps", "--today", "2026-11-23").output
    assert " ".join(note.split()) in " ".join(table.split())
    assert f"*{note}*" in to_markdown(report, loaded)
    data = json.loads(run("-C", root, "gaps", "--format", "json", "--today", "2026-11-23").output)
    assert (data["totals"]["insights"], data["totals"]["cell_sum"], data["totals_note"]) == (
        48,
        counted,
        note,
    )
    rows = list(csv.DictReader(io.StringIO(to_csv(report, loaded))))
    assert {r["all_insights"] for r in rows} == {"48"}
    assert sum(int(r["count"]) for r in rows) == counted
    svg = draw_gap_chart(report, loaded, "svg")
    assert "Varje summa räknar en insikt en gång." in svg
    assert "Varje summa" not in draw_gap_chart(report, loaded, "svg", note_on_chart=False)


def test_insights_outside_the_matrix_are_explained(corpus):
    loaded = _load(corpus(MANY | {"insights/no-area.md": record(title="Utan område")}))
    report = compute_gaps(None, loaded, rows="region", cols="area", today=TODAY)
    assert "1 av insikterna saknar verksamhetsområde och står därför inte i någon cell" in to_markdown(
        report, loaded
    )


def test_summary_writes_labels_as_inside_a_sentence(corpus):
    """Labels lower-case mid-sentence, perspectives by their long label; organisation names as written."""
    loaded = _load(corpus(BASE))
    text = "\n".join(summarise(_report(loaded), loaded))
    assert "Inom " not in text
    assert "Bland invånare i allmänhet finns inga insikter om vuxna och familjer (2 av 13)." in text
    assert "Bland invånare som är aktuella inom socialtjänsten finns inga insikter om barn och unga" in text
    by_organisation = "\n".join(summarise(_report(loaded, rows="organisation"), loaded))
    assert "Hos Grums kommun finns inga insikter om vuxna och familjer" in by_organisation  # a proper noun
    english = _load(corpus(BASE, config="language: en\n"))
    text = "\n".join(summarise(_report(english), english))
    assert "Among residents in general there are no insights about adults and families (2 of 13)." in text


def test_in_sentence_keeps_abbreviations():
    from insightmap.glossary import in_sentence

    assert (in_sentence("Äldre"), in_sentence("LSS-insatser"), in_sentence("")) == (
        "äldre",
        "LSS-insatser",
        "",
    )
