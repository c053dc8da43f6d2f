"""One "did you mean": the same typo gets the same suggestion, said the same way, at every door."""

from __future__ import annotations

from conftest import record
from insightmap import hints


def test_suggest_offers_the_closest_choice_or_nothing():
    assert hints.suggest("riskgrup", ["risk-group", "general-public"]) == "risk-group"
    assert hints.suggest("xyz", ["risk-group", "general-public"]) is None
    assert hints.phrase("risk-group") == "did you mean `risk-group`?"
    assert hints.phrase("risk-group", sentence=True) == "Did you mean `risk-group`?"
    assert hints.did_you_mean("xyz", ["a"], "known: a") == "known: a"


def test_a_mistyped_organisation_gets_one_hint_in_records_and_map_definitions(corpus, run):
    root = corpus(
        {
            "insights/a.md": record(organisation="karlskrone"),
            "maps/m.yml": "title: X\nfilter: {organisation: karlskrone}\n",
        }
    )
    out = run("-C", root, "check").output
    assert out.count("hint: did you mean `karlskrona`?") == 2, out


def test_a_mistyped_setting_is_offered_the_setting(corpus, run):
    root = corpus({"insightmap.yml": "languag: en\n"})
    out = run("-C", root, "check").output
    assert "error[unknown-key]: unknown setting `languag`" in out, out
    assert "hint: did you mean `language`?" in out
