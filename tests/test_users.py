"""What issue 15's users ran into: organisation names, placeholders, Excel, reproducible and empty pages."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from types import SimpleNamespace

import pytest

from conftest import record
from insightmap.load.organisations import Register


@pytest.mark.parametrize(
    "written, key",
    [
        ("vaxjo-kommun", "vaxjo"),
        ("Växjö kommun", "vaxjo"),
        ("Stockholms stad", "stockholm"),
        ("Malmö stad", "malmo"),
        ("Region Gotland", "gotland"),
        ("Håbo kommun", "haabo"),
        ("Habo kommun", "habo"),
        ("upplands-vasby-kommun", "upplands-vasby"),
    ],
)
def test_a_municipality_written_by_its_full_name_is_its_key(written, key):
    org = Register().resolve(written)
    assert org is not None and org.key == key


@pytest.mark.parametrize(
    "written, hint",
    [
        ("Vexjö kommun", "did you mean `vaxjo` (Växjö kommun)?"),
        ("vaxjo-kommunn", "did you mean `vaxjo` (Växjö kommun)?"),
        ("karlskrone", "did you mean `karlskrona`?"),
        # Region Kalmar is the region, not Kalmar kommun: never taken for the municipality.
        ("Region Kalmar", "add it under `organisations:` in insightmap.yml (type: region)"),
    ],
)
def test_an_organisation_name_that_is_not_quite_right_is_offered_the_key(written, hint):
    register = Register()
    assert register.resolve(written) is None
    assert register.hint(written) == hint


def test_check_accepts_a_full_name_and_offers_the_key_for_a_near_one(corpus, run):
    root = corpus(
        {
            "insights/a.md": record(organisation="Växjö kommun"),
            "insights/b.md": record(organisation="vaxjo-kommun"),
            "insights/c.md": record(organisation="Vexjö kommun"),
        }
    )
    result = run("-C", root, "check", "--format", "json")
    problems = json.loads(result.output)
    assert [(p["path"], p["hint"]) for p in problems] == [
        ("insights/c.md", "did you mean `vaxjo` (Växjö kommun)?")
    ], problems
    (root / "insights/c.md").unlink()
    listed = run("-C", root, "list", "--organisation", "vaxjo", "--format", "json")
    assert listed.exit_code == 0, listed.output
    assert sorted(r["organisation"] for r in json.loads(listed.output)) == ["vaxjo", "vaxjo"]


def test_a_parent_written_by_name_is_its_key(corpus, run):
    config = "organisations:\n  norr: {name: Norrmalm, type: city-district, parent: Stockholms stad}\n"
    config += "  syd: {name: Syd, type: city-district, parent: Stokholms stad}\n"
    root = corpus({"insights/a.md": record(organisation="norr")}, config=config)
    problems = json.loads(run("-C", root, "check", "--format", "json").output)
    assert [p["hint"] for p in problems] == ["did you mean `stockholm` (Stockholm kommun)?"], problems


def test_a_placeholder_body_is_a_warning_that_neither_fails_check_nor_stops_build(corpus, run, monkeypatch):
    from insightmap.load.placeholders import placeholder

    root = corpus(
        {
            "insights/a.md": record(body=placeholder("insight", "sv")),
            "insights/b.md": record(title="Annat.", body="Riktig text."),
        }
    )
    result = run("-C", root, "check")
    assert result.exit_code == 0, result.output
    assert "insights/a.md:9: warning[placeholder]: the body still holds the placeholder text" in result.output
    assert "1 warning(s)." in result.output
    problems = json.loads(run("-C", root, "check", "--format", "json").output)
    assert [(p["severity"], p["code"]) for p in problems] == [("warning", "placeholder")]
    # The record stays in: a warning leaves nothing out.
    listed = json.loads(run("-C", root, "list", "--format", "json").stdout)
    assert len(listed) == 2
    # What `build` (and the MkDocs plugin) asks before publishing: warnings do not stop it.
    from insightmap import pipeline

    assert pipeline.check(root).require_clean().errors == []
    # An error still fails check, and the summary counts both.
    (root / "insights/c.md").write_text(record(perspective="[riskgrup]"), encoding="utf-8")
    result = run("-C", root, "check")
    assert result.exit_code == 1 and "1 problem(s) in 1 file(s), 1 warning(s)" in result.output


def test_new_writes_the_placeholder_check_warns_about(corpus, run):
    from insightmap.load.project import open_project
    from insightmap.newrecord import _placeholder

    root = corpus({})
    expected = "Vad vi lärde oss, av vilka (på gruppnivå), hur, och vad det innebär."
    assert _placeholder(open_project(root)) == expected


def _drop_downs(path):
    """Return {header: the values its drop-down offers} of a template."""
    from openpyxl import load_workbook
    from openpyxl.utils import column_index_from_string

    book = load_workbook(path)
    sheet = book.worksheets[0]
    lists = book.worksheets[1]
    headers = {cell.column_letter: cell.value for cell in sheet[1]}
    offered = {}
    for validation in sheet.data_validations.dataValidation:
        target = str(validation.sqref)[0]
        source = validation.formula1.split("!")[1].replace("$", "")
        start, end = source.split(":")
        column = column_index_from_string(start[0])
        rows = range(int(start[1:]), int(end[1:]) + 1)
        offered[headers[target]] = [lists.cell(row=r, column=column).value for r in rows]
    return book, offered


@pytest.mark.parametrize("language", ["sv", "en"])
def test_a_template_filled_from_its_drop_downs_imports(corpus, run, tmp_path, language):
    from insightmap.sheets.sheet_layout import COLUMNS, HEADERS

    root = corpus({}, config=f"language: {language}\n")
    template = tmp_path / "mall.xlsx"
    assert run("-C", root, "export", "--template", "-o", template).exit_code == 0
    book, offered = _drop_downs(template)
    h = HEADERS[language]
    if language == "sv":
        assert offered[h["perspective"]][0] == "Aktuella inom socialtjänsten"
        assert offered[h["kind"]] == ["Insikt", "Insiktsarbete", "Förändring"]
        assert "Växjö kommun" in offered[h["organisation"]] and "Intern" in offered[h["visibility"]]
    else:
        assert offered[h["perspective"]][0] == "Current clients"
    assert not {"active-client", "risk-group", "children-youth"} & {v for vs in offered.values() for v in vs}
    sheet = book.worksheets[0]
    header = [h[c] for c in COLUMNS]
    fields = [h[c] for c in COLUMNS if h[c] in offered and c not in ("kind", "status")]
    longest = max(len(offered[f]) for f in fields)
    # Every value each drop-down offers, row after row: insights, then a study per study status.
    rows = []
    for n in range(longest):
        row = {f: offered[f][n % len(offered[f])] for f in fields}
        row |= {h["kind"]: offered[h["kind"]][0], h["title"]: f"Insikt {n}.", h["date"]: "2025-01"}
        rows.append(row)
    for n, value in enumerate(offered[h["status"]][:3]):
        rows.append(
            {
                h["kind"]: offered[h["kind"]][1],
                h["title"]: f"Arbete {n}",
                h["status"]: value,
                h["organisation"]: offered[h["organisation"]][0],
                h["date"]: "2025-02",
            }
        )
    for row in rows:
        sheet.append([row.get(name, "") for name in header])
    book.save(template)
    result = run("-C", root, "import", template)
    assert result.exit_code == 0, result.output[-2000:]
    assert f"imported {len(rows)} record(s)" in result.output
    assert run("-C", root, "check").exit_code == 0


def test_excel_csv_is_semicolon_separated_with_a_bom_and_imports_back(corpus, run, tmp_path):
    import csv
    import io

    text = record(title="Tider; öppet, stängt.", subpopulation="[adults, families]")
    root = corpus({"insights/a.md": text})
    sheet = tmp_path / "ark.csv"
    assert run("-C", root, "export", "--excel", "-o", sheet).exit_code == 0
    data = sheet.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Typ", "Id", "Rubrik"] and "Tider; öppet, stängt." in rows[1]
    plain = tmp_path / "plain.csv"
    run("-C", root, "export", "-o", plain)
    assert plain.read_bytes().decode("utf-8-sig").startswith("Typ,Id,Rubrik")
    # What Excel saves back (`;`) imports into a fresh project.
    fresh = corpus({})
    (fresh / "insights/a.md").unlink(missing_ok=True)
    imported = run("-C", fresh, "import", sheet)
    assert imported.exit_code == 0, imported.output

    gaps = tmp_path / "vita.csv"
    assert run("-C", root, "gaps", "-o", gaps, "--excel").exit_code == 0
    text = gaps.read_bytes()
    assert text.startswith("\ufeffrow;col;".encode())
    printed = run("-C", root, "gaps", "--format", "csv", "--excel").stdout
    assert printed.startswith("row;col;") and printed == text.decode("utf-8-sig").replace("\r\n", "\n")
    # --excel is for csv only: wrong usage.
    assert run("-C", root, "export", "--excel", "-o", tmp_path / "a.xlsx").exit_code == 2
    assert run("-C", root, "gaps", "--excel").exit_code == 2


def test_today_setting_is_validated_and_wins_over_source_date_epoch(corpus, monkeypatch):
    import datetime

    from insightmap import clock
    from insightmap.load.project import open_project

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14
    root = corpus({}, config="today: 2026-11-20\n")
    assert clock.today(open_project(root).config) == datetime.date(2026, 11, 20)
    root.joinpath("insightmap.yml").write_text('today: "2026-02-30"\n', encoding="utf-8")
    project = open_project(root)
    assert [p.code for p in project.problems] == ["type"]
    assert clock.today(project.config) == datetime.date(2023, 11, 14)


@pytest.fixture(scope="module")
def empty_site(tmp_path_factory):
    """A project made by `insightmap init` with no records, `today:` set, built once."""
    from conftest import cli

    root = tmp_path_factory.mktemp("empty") / "tom"
    assert cli("init", root).exit_code == 0
    with (root / "insightmap.yml").open("a", encoding="utf-8") as config:
        config.write("today: 2026-11-20\n")
    result = cli("-C", root, "build")
    assert result.exit_code == 0, result.output
    return root / "site"


@pytest.mark.parametrize(
    "page, says",
    [
        ("insikter/index.html", "Inga insikter ännu."),
        ("organisationer/index.html", "Inga organisationer ännu."),
        ("insiktsarbeten/index.html", "Inga insiktsarbeten ännu."),
        ("vita-flackar/index.html", "Beräknat per 2026-11-20"),
        ("index.html", "Beräknat per 2026-11-20"),
    ],
)
def test_an_empty_project_says_so_on_its_pages(empty_site, page, says):
    html = (empty_site / page).read_text(encoding="utf-8")
    assert says in html
    # No header row without rows ("TitelOrganisationDatum").
    assert "<th>Titel</th>" not in html or page == "index.html"


def _not_found_heading(html):
    return re.search(r"<h1>(.*?)</h1>", html).group(1)


def test_the_404_page_is_swedish_with_a_link_to_the_start_page(empty_site):
    html = (empty_site / "404.html").read_text(encoding="utf-8")
    assert _not_found_heading(html) == "Sidan finns inte"
    assert '<a href="/">Till startsidan</a>' in html
    assert "404 - Not found" not in html


def test_plain_properdocs_build_gets_the_same_404_page(empty_site):
    """`properdocs build` with the plugin (no derived config) says it in Swedish too."""
    root = empty_site.parent
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
    done = subprocess.run(
        [sys.executable, "-m", "properdocs", "build", "-d", "plain"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    html = (root / "plain" / "404.html").read_text(encoding="utf-8")
    assert _not_found_heading(html) == "Sidan finns inte"


def test_a_404_template_of_the_users_own_custom_dir_wins():
    from insightmap.site import notfound

    theme = SimpleNamespace(custom_dir="/project/overrides", dirs=["/project/overrides", "/material"])
    notfound.on_config(SimpleNamespace(theme=theme))
    assert theme.dirs == ["/project/overrides", notfound.TEMPLATES, "/material"]
    theme = SimpleNamespace(custom_dir=None, dirs=["/material"])
    notfound.on_config(SimpleNamespace(theme=theme))
    notfound.on_config(SimpleNamespace(theme=theme))  # the plugin and a hook both: once
    assert theme.dirs == [notfound.TEMPLATES, "/material"]


def test_an_english_project_gets_an_english_404_page():
    from insightmap.site import notfound

    env = SimpleNamespace(globals={})
    notfound.on_env(env, SimpleNamespace(theme={"language": "en"}), None)
    assert env.globals["insightmap_not_found"] == {
        "title": "Page not found",
        "text": "The page you are looking for is not here, or has moved.",
        "link": "To the start page",
    }


def test_on_a_phone_the_map_table_shows_open_and_the_map_scales():
    """At 400 px the map's labels are unreadable, so the stylesheet opens its numbers table."""
    from importlib import resources

    css = resources.files("insightmap").joinpath("site/assets/insightmap.css").read_text("utf-8")
    narrow = css[css.index("@media screen and (max-width: 700px)") :]
    assert "details.im-map-table::details-content { content-visibility: visible" in narrow
    assert ".im-map svg { width: 100%; height: auto; }" in narrow
