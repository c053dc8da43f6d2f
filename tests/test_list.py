"""`insightmap list`: filters by key or label, three formats."""

from __future__ import annotations

import csv
import io
import json

from conftest import record, study


def _project(corpus):
    return corpus(
        {
            "insights/a.md": record(
                title="Ett", perspective="[risk-group]", subpopulation="[children-youth]"
            ),
            "insights/b.md": record(
                title="Två",
                perspective="[active-client, general-public]",
                organisation="grums",
                date='"2023"',
                theme="[law]",
            ),
            "insights/s.md": study(),
        }
    )


def test_label_and_key_filters_give_the_same_result(corpus, run):
    root = _project(corpus)
    by_label = run("-C", root, "list", "--perspective", "riskgrupp", "--format", "json")
    by_key = run("-C", root, "list", "--perspective", "risk-group", "--format", "json")
    assert by_label.exit_code == 0
    assert by_label.output == by_key.output
    ids = [r["id"] for r in json.loads(by_key.output)]
    assert ids == ["s", "a"]  # the study targets risk-group too; newest first


def test_json_has_normalised_fields(corpus, run):
    rows = json.loads(run("-C", _project(corpus), "list", "--kind", "insight", "--format", "json").output)
    row = next(r for r in rows if r["id"] == "b")
    assert row["perspective"] == ["active-client", "general-public"]
    for key in ("id", "kind", "title", "organisation", "date", "perspective", "subpopulation"):
        assert key in row


def test_filters_combine(corpus, run):
    root = _project(corpus)
    out = run("-C", root, "list", "--organisation", "grums", "--theme", "Juridik", "--format", "json")
    assert [r["id"] for r in json.loads(out.output)] == ["b"]
    out = run("-C", root, "list", "--since", "2024", "--kind", "insight", "--format", "json")
    assert [r["id"] for r in json.loads(out.output)] == ["a"]


def test_csv_and_table(corpus, run):
    root = _project(corpus)
    rows = list(csv.DictReader(io.StringIO(run("-C", root, "list", "--format", "csv").output)))
    assert {r["id"] for r in rows} == {"a", "b", "s"}
    assert next(r for r in rows if r["id"] == "b")["perspective"] == "active-client; general-public"
    table = run("-C", root, "list")
    assert table.exit_code == 0 and "3 record(s)" in table.output


def test_unknown_filter_value_is_usage_error(corpus, run):
    result = run("-C", _project(corpus), "list", "--perspective", "riskgrup")
    assert result.exit_code == 2
    assert "did you mean `risk-group`" in result.output.lower()
