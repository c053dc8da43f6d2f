"""What issue 15's users ran into: organisation names, placeholders, Excel, reproducible and empty pages."""

from __future__ import annotations

import json

import pytest

from conftest import record
from insightmap.organisations import Register


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
    from insightmap.placeholders import placeholder

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
    from insightmap.newrecord import _placeholder
    from insightmap.project import open_project

    root = corpus({})
    expected = "Vad vi lärde oss, av vilka (på gruppnivå), hur, och vad det innebär."
    assert _placeholder(open_project(root)) == expected
