"""Actions (*förändringar*): records building on insights, the chain, reuse, waiting, acted-on cells."""

from __future__ import annotations

import csv
import io
import json

import pytest

from conftest import record

CONFIG = """\
language: sv
actions: {waiting-months: 6}
"""


def action(
    title: str = "Förskjutna arbetstider så att någon alltid svarar under lunchen.",
    builds_on: str = "[karlskrona/lunch]",
    organisation: str = "karlskrona",
    status: str = "in-use",
    date: str = '"2024-01"',
    **extra: str,
) -> str:
    """Return the text of an action record; extra keyword arguments add front-matter lines."""
    lines = [
        "kind: action",
        f"title: {title}",
        f"organisation: {organisation}",
        f"date: {date}",
        f"status: {status}",
        f"builds-on: {builds_on}",
    ]
    lines += [f"{key.replace('_', '-')}: {value}" for key, value in extra.items()]
    return "---\n" + "\n".join(lines) + "\n---\n\nVad vi ändrade och varför.\n"


#: A known chain: Karlskrona acts on its own lunch insight, Södermalm reuses it and acts on
#: Karlskrona's morning insight too; Grums's old insight and Karlskrona's old chat insight wait;
#: Karlskrona's recent field-team insight is too young to wait.
CHAIN = {
    "insights/karlskrona/lunch.md": record(title="Lunchen är stängd.", date='"2023-04"'),
    "insights/karlskrona/morgon.md": record(
        title="Föräldrar vill ringa tidigt.", date='"2023-05"', perspective="[risk-group]"
    ),
    "insights/karlskrona/chatt.md": record(title="Många vill chatta.", date='"2024-02"'),
    "insights/karlskrona/falt.md": record(title="Unga väljer plats.", date='"2026-08"'),
    "insights/grums/app.md": record(
        title="Unga vill tycka till i mobilen.",
        organisation="grums",
        date='"2023-08"',
        subpopulation="[children-youth]",
    ),
    "insights/karlskrona/forandringar/arbetstider.md": action(),
    "insights/sodermalm/forandringar/telefontid.md": action(
        title="Telefontid också under lunchen.",
        organisation="sodermalm",
        status="decided",
        date='"2025-02"',
        builds_on="[karlskrona/lunch, karlskrona/morgon]",
    ),
}
SODERMALM = """\
language: sv
organisations:
  sodermalm: {name: Södermalms stadsdelsförvaltning, type: city-district, parent: stockholm}
"""


def _actions_json(run, root, *args: str) -> dict:
    result = run("-C", root, "actions", "--format", "json", "--today", "2026-11-20", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_actions_json_gives_the_chain_reuse_and_waiting_exactly(corpus, run):
    root = corpus(CHAIN, SODERMALM)
    data = _actions_json(run, root)
    assert [(a["id"], a["organisation"], a["status"], a["builds_on"]) for a in data["actions"]] == [
        ("karlskrona/forandringar/arbetstider", "karlskrona", "in-use", ["karlskrona/lunch"]),
        (
            "sodermalm/forandringar/telefontid",
            "sodermalm",
            "decided",
            ["karlskrona/lunch", "karlskrona/morgon"],
        ),
    ]
    second = data["actions"][1]
    assert second["perspectives"] == ["active-client", "risk-group"]
    assert second["insights"][1]["subpopulation"] == ["adults"]
    assert data["reused"] == [
        {
            "action": "sodermalm/forandringar/telefontid",
            "insight": "karlskrona/lunch",
            "from": "karlskrona",
            "to": "sodermalm",
        },
        {
            "action": "sodermalm/forandringar/telefontid",
            "insight": "karlskrona/morgon",
            "from": "karlskrona",
            "to": "sodermalm",
        },
    ]
    assert [(w["id"], w["organisation"], w["date"]) for w in data["waiting"]] == [
        ("grums/app", "grums", "2023-08"),
        ("karlskrona/chatt", "karlskrona", "2024-02"),
    ]
    assert data["waiting_by_organisation"] == {"grums": 1, "karlskrona": 1}
    insights = {i["id"]: i["actions"] for i in data["insights"]}
    assert insights["karlskrona/lunch"] == [
        "karlskrona/forandringar/arbetstider",
        "sodermalm/forandringar/telefontid",
    ]
    assert insights["karlskrona/falt"] == []
    assert data["totals"] == {"actions": 2, "insights": 5, "acted_on": 2, "reused": 2, "waiting": 2}


def test_waiting_age_comes_from_the_setting_and_the_option(corpus, run):
    root = corpus(CHAIN, SODERMALM + "actions: {waiting-months: 48}\n")
    assert _actions_json(run, root)["waiting"] == []
    data = _actions_json(run, root, "--waiting-months", "0")
    assert [w["id"] for w in data["waiting"]] == ["grums/app", "karlskrona/chatt", "karlskrona/falt"]


def test_waiting_age_is_measured_against_source_date_epoch(corpus, run, monkeypatch):
    root = corpus(CHAIN, SODERMALM)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1709251200")  # 2024-03-01: Karlskrona's chat is young
    result = run("-C", root, "actions", "--format", "json")
    data = json.loads(result.output)
    assert data["today"] == "2024-03-01"
    assert [w["id"] for w in data["waiting"]] == ["grums/app"]


def test_organisation_narrows_to_its_actions_reuse_and_waiting(corpus, run):
    root = corpus(CHAIN, SODERMALM)
    data = _actions_json(run, root, "--organisation", "grums")
    assert data["actions"] == [] and data["reused"] == []
    assert [w["id"] for w in data["waiting"]] == ["grums/app"]
    karlskrona = _actions_json(run, root, "--organisation", "karlskrona")
    assert len(karlskrona["actions"]) == 1 and len(karlskrona["reused"]) == 2


@pytest.mark.parametrize("fmt", ["table", "markdown", "csv"])
def test_actions_other_formats(corpus, run, fmt):
    root = corpus(CHAIN, SODERMALM)
    result = run("-C", root, "actions", "--format", fmt, "--today", "2026-11-20")
    assert result.exit_code == 0, result.output
    if fmt == "csv":
        lines = result.output.splitlines()
        assert lines[0].startswith("action,action_organisation,status,insight")
        assert "sodermalm/forandringar/telefontid,sodermalm,decided,karlskrona/lunch,karlskrona" in lines[2]
        assert lines[-1] == ",,,karlskrona/chatt,karlskrona,,,no,yes"
    elif fmt == "markdown":
        assert "## Från insikt till förändring" in result.output
        assert "2 insikter har lett till förändring." in result.output
        assert "**Grums kommun** (1)" in result.output
    else:
        assert "Förändringar (2)" in result.output


def test_a_valid_action_checks_clean_with_indicators(corpus, run):
    indicators = (
        "\n  - {name: Andel individer som uppger att de har förtroende för socialtjänsten, "
        "type: utfall, level: strategisk, source: enkät, frequency: årligen}"
    )
    root = corpus(
        {
            "insights/karlskrona/lunch.md": record(title="Lunchen är stängd."),
            "insights/karlskrona/a.md": action(indicators=indicators, status="I bruk"),
        }
    )
    result = run("-C", root, "check")
    assert result.exit_code == 0, result.output
    listed = run("-C", root, "list", "--kind", "action", "--format", "json")
    assert listed.exit_code == 0, listed.output
    (item,) = json.loads(listed.output)
    assert item["status"] == "in-use"
    assert item["indicators"] == [
        {
            "name": "Andel individer som uppger att de har förtroende för socialtjänsten",
            "type": "outcome",
            "level": "strategic",
            "source": "enkät",
            "frequency": "årligen",
        }
    ]


@pytest.mark.parametrize(
    ("text", "line", "code", "message"),
    [
        (action(builds_on="[karlskrona/lunh]"), 7, "unknown-insight", "`karlskrona/lunh`, which is no"),
        (action(builds_on="[karlskrona/studie]"), 7, "builds-on-kind", "which is a study"),
        (action(builds_on="[karlskrona/b]"), 7, "builds-on-kind", "which is an action"),
        (action(builds_on="[]"), 7, "builds-on", "at least one insight"),
        (action(status="planned"), 6, "status", "status must be one of idea, decided"),
        (action(indicators="\n  - {name: X, type: impact, level: strategic}"), 9, "indicator type", "impact"),
        (action(indicators="\n  - {name: X, type: outcome, level: top}"), 9, "indicator level", "top"),
        (action(indicators="\n  - {name: X, type: outcome}"), 9, "indicator", "has no `level`"),
        (action(indicators="\n  - {name: X, typ: outcome, level: tactical}"), 9, "unknown-key", "`typ`"),
        (action(perspective="[active-client]"), 8, "unknown-key", "unknown field `perspective` in an action"),
        (action(contact="Ring 070-123 45 67"), 8, "personal-data", ""),
    ],
)
def test_action_problems_are_located(corpus, run, text, line, code, message):
    from conftest import study

    root = corpus(
        {
            "insights/karlskrona/lunch.md": record(title="Lunchen är stängd."),
            "insights/karlskrona/studie.md": study(),
            "insights/karlskrona/b.md": action(title="En annan förändring."),
            "insights/karlskrona/a.md": text,
        }
    )
    result = run("-C", root, "check")
    assert result.exit_code == 1
    assert f"insights/karlskrona/a.md:{line}: error[{code}]: " in result.output, result.output
    assert message in result.output


def test_action_without_builds_on_is_refused(corpus, run):
    text = action().replace("builds-on: [karlskrona/lunch]\n", "")
    root = corpus({"insights/karlskrona/lunch.md": record(), "insights/karlskrona/a.md": text})
    result = run("-C", root, "check")
    assert result.exit_code == 1
    assert "error[missing]: the required field `builds-on` is missing" in result.output


def test_a_public_action_does_not_leak_an_internal_insight(corpus, run):
    root = corpus(
        {
            "insights/karlskrona/lunch.md": record(title="Lunchen är stängd.", visibility="public"),
            "insights/karlskrona/hemlig.md": record(title="En intern insikt om arbetstider."),
            "insights/karlskrona/a.md": action(
                builds_on="[karlskrona/lunch, karlskrona/hemlig]", visibility="public"
            ),
            "insights/karlskrona/intern.md": action(title="En intern förändring."),
        }
    )
    data = _actions_json(run, root, "--public")
    assert [a["id"] for a in data["actions"]] == ["karlskrona/a"]
    assert data["actions"][0]["builds_on"] == ["karlskrona/lunch"]
    assert "hemlig" not in json.dumps(data) and "intern insikt" not in json.dumps(data)


def test_waiting_months_setting_is_validated(corpus, run):
    root = corpus({}, "actions: {waiting-months: soon, wait: 3}\n")
    result = run("-C", root, "check")
    assert result.exit_code == 1
    assert "insightmap.yml:1: error[type]: `actions.waiting-months` must be a whole number" in result.output
    assert "error[unknown-key]: unknown setting `actions.wait`" in result.output


def test_gaps_mark_cells_with_insights_but_no_action(corpus, run):
    root = corpus(CHAIN, SODERMALM)
    result = run("-C", root, "gaps", "--format", "json", "--today", "2026-11-20")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    cells = {(c["row"], c["col"]): c for c in data["cells"]}
    adults = cells[("active-client", "adults")]
    assert adults["status"] == "covered" and adults["acted"] is True
    assert adults["actions"] == ["karlskrona/forandringar/arbetstider", "sodermalm/forandringar/telefontid"]
    youth = cells[("active-client", "children-youth")]
    assert youth["count"] == 1 and youth["acted"] is False and youth["actions"] == []
    assert cells[("general-public", "older-people")]["acted"] is None
    assert data["totals"]["acted"] == 2 and data["totals"]["not_acted"] == 1


def test_new_kind_action_writes_a_valid_action(corpus, run):
    root = corpus({"insights/karlskrona/lunch.md": record(title="Lunchen är stängd.")})
    result = run(
        "-C", root, "new", "--kind", "action", "--no-input", "--title", "Förskjutna arbetstider.",
        "--organisation", "karlskrona", "--date", "2024-01", "--status", "i bruk",
        "--builds-on", "karlskrona/lunch", "--contact", "Enhetschef", "--shift", "closed-to-accessible",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    path = root / "insights/karlskrona/forandringar/forskjutna-arbetstider.md"
    assert path.is_file(), result.output
    text = path.read_text(encoding="utf-8")
    assert "kind: action" in text and "status: in-use" in text and "builds-on: [karlskrona/lunch]" in text
    assert run("-C", root, "check").exit_code == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--builds-on", "karlskrona/lunh", "--status", "idea"],
            "`karlskrona/lunh` is no insight; did you mean `karlskrona/lunch`?",
        ),
        (["--builds-on", "karlskrona/lunch", "--status", "ongoing"], "unknown status `ongoing`"),
        (["--status", "idea"], "missing --builds-on"),
        (
            ["--builds-on", "karlskrona/lunch", "--status", "idea", "--perspective", "risk-group"],
            "has no perspective",
        ),
    ],
)
def test_new_kind_action_refuses_wrong_values(corpus, run, args, message):
    root = corpus({"insights/karlskrona/lunch.md": record(title="Lunchen är stängd.")})
    base = ["new", "--kind", "action", "--no-input", "--title", "X.", "--organisation", "karlskrona"]
    result = run("-C", root, *base, "--date", "2024", *args)
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert not (root / "insights/karlskrona/forandringar").exists()


def test_cells_nobody_acted_on_are_marked_in_every_output(corpus, run, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795132800")  # 2026-11-20
    root = corpus(CHAIN)
    md = run("-C", root, "gaps", "--format", "markdown").output
    assert "△ insikter men ingen förändring" in md  # the legend
    rows = list(csv.DictReader(io.StringIO(run("-C", root, "gaps", "--format", "csv").output)))
    acted = {(r["row"], r["col"]): r["acted"] for r in rows}
    assert acted[("active-client", "adults")] == "yes"  # the lunch insight led to change
    assert "no" in acted.values() and "" in acted.values()  # not acted on; no insights at all
    table = run("-C", root, "gaps").output
    assert "△" in table
    svg = run("-C", root, "gaps", "-o", str(root.parent / "g.svg"))
    assert svg.exit_code == 0
    assert 'id="not-acted--' in (root.parent / "g.svg").read_text("utf-8")


def test_projects_without_actions_show_no_action_layer(corpus, run):
    root = corpus({"insights/karlskrona/lunch.md": record()})
    assert "△" not in run("-C", root, "gaps", "--format", "markdown").output
