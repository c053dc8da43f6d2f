"""Map definitions in maps/*.yml: loading, normalising, every error located, and `map --map`."""

from __future__ import annotations

import json

import pytest

from conftest import record
from insightmap.load.maps import load_map_definitions
from insightmap.load.project import open_project

RECORDS = {
    "insights/a.md": record(perspective="[risk-group]", subpopulation="[children-youth]", theme="[law]"),
    "insights/b.md": record(
        perspective="[general-public]", subpopulation="[families]", organisation="sodermalm", date='"2023-02"'
    ),
    "insights/c.md": record(perspective="[active-client]", subpopulation="[adults]", organisation="malmo"),
}

BY_KEYS = """\
title: Barn och familjer
description: Insikter om barn och familjer.
filter:
  subpopulation: [children-youth, families]
  organisation-type: [municipality, city-district]
  date: {from: 2023-01, to: 2025-12}
colour-by: organisation
"""

BY_LABELS = """\
title: Barn och familjer
description: Insikter om barn och familjer.
filter:
  subpopulation: [Barn och unga, FAMILJER]
  organisation-type: [Kommun, Stadsdelsförvaltning]
  date: {from: "2023-01", to: "2025-12"}
colour-by: organisation
"""


def test_definitions_load_with_values_normalised_to_keys(corpus):
    root = corpus({**RECORDS, "maps/barn.yml": BY_LABELS, "maps/alla.yml": "title: Alla\n"})
    definitions, problems = load_map_definitions(open_project(root))
    assert problems == []
    assert [d.name for d in definitions] == ["alla", "barn"]
    barn = definitions[1]
    assert barn.title == "Barn och familjer" and barn.colour_by == "organisation"
    assert barn.path == "maps/barn.yml"
    assert barn.selection.values["subpopulation"] == ("children-youth", "families")
    assert barn.selection.organisation_types == ("municipality", "city-district")
    assert (barn.selection.date_from, barn.selection.date_to) == ("2023-01", "2025-12")
    assert definitions[0].selection.is_everything() and definitions[0].colour_by == "organisation-type"


def test_label_and_key_definitions_give_the_same_map(corpus, run):
    root = corpus({**RECORDS, "maps/nycklar.yml": BY_KEYS, "maps/etiketter.yml": BY_LABELS})
    outputs = []
    for name in ("nycklar", "etiketter"):
        result = run("-C", root, "map", "--map", name, "--format", "json")
        assert result.exit_code == 0, result.output
        outputs.append(json.loads(result.output))
    assert outputs[0] == outputs[1]
    assert outputs[0]["total"] == 2
    assert outputs[0]["regions"]["general-public"]["organisations"] == {"sodermalm": 1}


def test_every_filter_key_is_accepted(corpus):
    text = """\
title: Allt
filter:
  organisation: [karlskrona, "1280"]
  organisation-type: municipality
  county: ["10", "12"]
  perspective: riskgrupp
  subpopulation: barn
  shift: acute-to-preventive
  theme: Juridik
  area: disability
  method: intervjuer
  date: {from: 2020, to: 2025-06-30}
  study-status: [ongoing, Avslutad]
"""
    definitions, problems = load_map_definitions(open_project(corpus({"maps/allt.yml": text})))
    assert problems == []
    selection = definitions[0].selection
    assert selection.organisations == ("karlskrona", "malmo")
    assert selection.counties == ("10", "12")
    assert selection.values["theme"] == ("law",) and selection.values["method"] == ("interviews",)
    assert (selection.date_from, selection.date_to) == ("2020", "2025-06-30")
    assert selection.study_status == ("ongoing", "completed")


@pytest.mark.parametrize(
    "text, line, code, fragment",
    [
        ("title: X\nfliter: {}\n", 2, "unknown-key", "did you mean `filter`?"),
        ("title: X\nfilter:\n  subpopulation: barn\n  themes: law\n", 4, "unknown-filter", "`theme`"),
        ("title: X\nfilter:\n  perspective: [risk-group, riskgrup]\n", 3, "vocabulary", "`risk-group`"),
        ("title: X\nfilter: {organisation: karlskrone}\n", 2, "organisation", "`karlskrona`"),
        ("title: X\nfilter:\n  county: 01\n", 3, "county", 'county: "01"'),
        ("title: X\nfilter:\n  date: {from: 2025-13}\n", 3, "date", "YYYY-MM"),
        ("title: X\nfilter:\n  date: {from: 2025, to: 2024}\n", 3, "date", "ends before"),
        ("title: X\nfilter: [karlskrona]\n", 2, "type", "mapping"),
        ("title: X\ncolour-by: organisations\n", 2, "colour-by", "`organisation`"),
        ("description: no title\n", 1, "missing", "title"),
        ("title: X\nfilter: {organisation: [karlskrona\n", 2, "yaml", "invalid YAML"),
    ],
)
def test_invalid_definitions_are_reported_by_check(corpus, run, text, line, code, fragment):
    root = corpus({**RECORDS, "maps/trasig.yml": text})
    result = run("-C", root, "check")
    assert result.exit_code == 1
    assert f"maps/trasig.yml:{line}: error[{code}]:" in result.output
    assert fragment in result.output


def test_map_with_an_invalid_definition_exits_1_with_the_location(corpus, run):
    root = corpus({**RECORDS, "maps/trasig.yml": "title: X\nfilter:\n  subpopulation: barnn\n"})
    result = run("-C", root, "map", "--map", "trasig")
    assert result.exit_code == 1
    assert "maps/trasig.yml:3: error[vocabulary]: unknown subpopulation `barnn`" in result.output


def test_unknown_map_name_is_wrong_usage_with_the_names_available(corpus, run):
    root = corpus({**RECORDS, "maps/barn.yml": BY_KEYS})
    result = run("-C", root, "map", "--map", "barnn")
    assert result.exit_code == 2
    assert "no map definition `barnn` in maps/; available: barn. Did you mean `barn`?" in result.output
    assert "Traceback" not in result.output


def test_map_name_with_extension_and_filters_are_exclusive(corpus, run):
    root = corpus({**RECORDS, "maps/barn.yml": BY_KEYS})
    assert run("-C", root, "map", "--map", "barn.yml", "--format", "json").exit_code == 0
    result = run("-C", root, "map", "--map", "barn", "--organisation", "karlskrona")
    assert result.exit_code == 2


def test_valid_definitions_pass_check(corpus, run):
    result = run("-C", corpus({**RECORDS, "maps/barn.yml": BY_KEYS}), "check")
    assert result.exit_code == 0, result.output
