"""`insightmap schema`: a valid draft 2020-12 schema that agrees with the validator."""

from __future__ import annotations

import json

import pytest

jsonschema = pytest.importorskip("jsonschema")


def _schema(run, *args):
    result = run(*args)
    assert result.exit_code == 0, result.output
    schema = json.loads(result.output)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def _errors(validator, data):
    return [e.message for e in validator.iter_errors(data)]


INSIGHT = {
    "title": "Unga vill ha låga trösklar.",
    "perspective": ["risk-group"],
    "subpopulation": "children-youth",
    "organisation": "grums",
    "date": "2024-05",
}


def test_insight_schema_accepts_a_valid_insight_and_lists_the_vocabulary(run, corpus):
    root = corpus({})
    validator = _schema(run, "-C", root, "schema", "--kind", "insight")
    assert _errors(validator, INSIGHT) == []
    perspective = validator.schema["$defs"]["perspective"]
    assert perspective["enum"] == ["active-client", "risk-group", "general-public"]
    assert perspective["enumDescriptions"][1].startswith("Riskgrupp (Risk group)")
    # The project's own organisations are offered too.
    assert "stadsmissionen" in validator.schema["$defs"]["organisation"]["anyOf"][0]["enum"]


@pytest.mark.parametrize(
    "change, fragment",
    [
        ({"perspective": ["riskgrupp"]}, "is not valid"),
        ({"date": "maj 2024"}, "is not valid"),
        ({"titel": "typo"}, "titel"),
        ({"perspective": ["active-client", "risk-group", "general-public", "risk-group"]}, "is not valid"),
    ],
)
def test_insight_schema_rejects_what_check_rejects(run, change, fragment):
    validator = _schema(run, "schema", "--kind", "insight")
    assert any(fragment in message for message in _errors(validator, INSIGHT | change))


def test_combined_schema_picks_study_by_kind_and_allows_x_fields(run):
    validator = _schema(run, "schema")
    study = {
        "kind": "study",
        "title": "Intervjuer",
        "organisation": "0127",
        "status": "ongoing",
        "date": 2025,
        "x-budget": 12,
    }
    assert _errors(validator, study) == []
    assert _errors(validator, INSIGHT | {"x-note": "fri"}) == []
    assert _errors(validator, study | {"quotes": ["a"]})  # quotes belong to insights only
    assert _errors(validator, {k: v for k, v in study.items() if k != "status"})


def test_labels_flag_accepts_labels(run):
    validator = _schema(run, "schema", "--kind", "insight", "--labels")
    assert _errors(validator, INSIGHT | {"perspective": ["Riskgrupp"]}) == []


ACTION = {
    "kind": "action",
    "title": "Förskjutna arbetstider.",
    "organisation": "karlskrona",
    "date": "2023-09",
    "status": "in-use",
    "builds-on": ["karlskrona/lunchstangt-kontor"],
    "indicators": [
        {
            "name": "Andel individer som uppger att de har förtroende för socialtjänsten",
            "type": "outcome",
            "level": "strategic",
            "source": "enkät",
            "frequency": "årligen",
        }
    ],
}


@pytest.mark.parametrize(
    "change, fragment",
    [
        ({"status": "ongoing"}, "'ongoing' is not one of"),  # a study's status, not an action's
        ({"builds-on": []}, "is not valid"),
        ({"indicators": [{"name": "X", "type": "impact", "level": "strategic"}]}, "'impact' is not one of"),
        ({"indicators": [{"name": "X", "type": "outcome"}]}, "'level' is a required property"),
        ({"perspective": ["risk-group"]}, "perspective"),
    ],
)
def test_action_schema_agrees_with_check(run, change, fragment):
    combined = _schema(run, "schema")
    assert _errors(combined, ACTION) == []
    assert _errors(_schema(run, "schema", "--kind", "action"), ACTION) == []
    assert any(fragment in message for message in _errors(combined, ACTION | change)), change
    missing = {k: v for k, v in ACTION.items() if k != "builds-on"}
    assert _errors(combined, missing)
