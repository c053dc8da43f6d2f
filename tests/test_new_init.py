"""`insightmap new` and `insightmap init`: valid files, never an overwrite."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import record


def test_new_writes_a_valid_record(corpus, run):
    root = corpus({"insights/a.md": record()})
    result = run(
        "-C",
        root,
        "new",
        "--title",
        "Unga vill mötas där de redan är.",
        "--organisation",
        "karlskrona",
        "--date",
        "2025-04",
        "--perspective",
        "riskgrupp",
        "--subpopulation",
        "Barn och unga",
        "--method",
        "dialog",
        "--no-input",
    )
    assert result.exit_code == 0, result.output
    path = root / "insights/karlskrona/unga-vill-motas-dar-de-redan-ar.md"
    text = path.read_text(encoding="utf-8")
    assert "perspective: [risk-group]" in text
    assert run("-C", root, "check").exit_code == 0


def test_new_refuses_to_overwrite(corpus, run):
    root = corpus({"insights/karlskrona/samma.md": record()})
    before = (root / "insights/karlskrona/samma.md").read_text(encoding="utf-8")
    result = run(
        "-C",
        root,
        "new",
        "--title",
        "Samma",
        "--organisation",
        "karlskrona",
        "--date",
        "2025",
        "--perspective",
        "risk-group",
        "--subpopulation",
        "adults",
        "--no-input",
    )
    assert result.exit_code == 1
    assert "never overwrites" in result.output
    assert (root / "insights/karlskrona/samma.md").read_text(encoding="utf-8") == before


def test_new_asks_for_missing_values(corpus, run, monkeypatch):
    root = corpus({})
    monkeypatch.setattr("insightmap.commands.new._stdin_is_tty", lambda: True)
    result = run(
        "-C",
        root,
        "new",
        "--organisation",
        "grums",
        "--date",
        "2025",
        input="Unga vill ha inflytande.\n2\n1, adults\n",
    )
    assert result.exit_code == 0, result.output
    text = (root / "insights/grums/unga-vill-ha-inflytande.md").read_text(encoding="utf-8")
    assert "perspective: [risk-group]" in text and "subpopulation: [children-youth, adults]" in text


def test_new_without_input_names_the_missing_flag(corpus, run):
    root = corpus({})
    result = run("-C", root, "new", "--title", "x", "--organisation", "grums", "--date", "2025", "--no-input")
    assert result.exit_code == 2
    assert "missing --perspective" in result.output


def test_new_rejects_unknown_vocabulary(corpus, run):
    root = corpus({})
    result = run(
        "-C",
        root,
        "new",
        "--title",
        "x",
        "--organisation",
        "grums",
        "--date",
        "2025",
        "--perspective",
        "riskgrp",
        "--subpopulation",
        "adults",
        "--no-input",
    )
    assert result.exit_code == 2 and "risk-group" in result.output


def test_init_creates_a_project_that_passes_check(tmp_path, run):
    target = tmp_path / "kommun"
    result = run("init", target)
    assert result.exit_code == 0, result.output
    for name in ("insightmap.yml", "properdocs.yml", ".gitignore", "insights", "maps", "docs"):
        assert (target / name).exists()
    assert list((target / "insights").glob("**/*.md")) == []
    assert run("-C", target, "check").exit_code == 0


def test_init_example_passes_check(tmp_path, run):
    target = tmp_path / "kommun"
    assert run("init", target, "--example", "--organisation", "grums").exit_code == 0
    assert list((target / "insights/grums").glob("*.md"))
    check = run("-C", target, "check")
    assert check.exit_code == 0, check.output


def test_init_refuses_non_empty_folder(tmp_path, run):
    (tmp_path / "something.txt").write_text("keep me")
    result = run("init", tmp_path)
    assert result.exit_code == 1
    assert "not empty" in result.output
    assert sorted(p.name for p in Path(tmp_path).iterdir()) == ["something.txt"]


def _ask(monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr("insightmap.commands.new._stdin_is_tty", lambda: True)


def test_new_asks_again_after_a_vocabulary_typo_and_keeps_the_answers(corpus, run, monkeypatch):
    root = corpus({})
    _ask(monkeypatch)
    answers = "Unga vill ha inflytande.\nriskgrup\nriskgrupp\n1, vuxnaa\n1, Vuxna\n"
    result = run("-C", root, "new", "--organisation", "grums", "--date", "2025", input=answers)
    assert result.exit_code == 0, result.output
    assert "Error: unknown perspective `riskgrup`. Did you mean `risk-group`?" in result.output
    assert "unknown subpopulation `vuxnaa`" in result.output
    text = (root / "insights/grums/unga-vill-ha-inflytande.md").read_text(encoding="utf-8")
    assert "title: Unga vill ha inflytande." in text
    assert "perspective: [risk-group]" in text and "subpopulation: [children-youth, adults]" in text


@pytest.mark.parametrize(
    "flags, answers, refusals",
    [
        (  # a date is asked again until it is a real one
            ["--organisation", "grums"],
            "Unga vill ha inflytande.\n2025-13\n2025-02-30\n2025-02\n2\n1\n",
            ["`2025-13` has no month 13", "`2025-02-30` is not a real calendar date"],
        ),
        (  # an organisation is asked again, offering the closest
            ["--date", "2025"],
            "Unga vill ha inflytande.\ngrumms\ngrums\n2\n1\n",
            ["unknown organisation `grumms` (did you mean `grums`?)"],
        ),
    ],
)
def test_new_asks_again_until_the_answer_is_right(corpus, run, monkeypatch, flags, answers, refusals):
    root = corpus({})
    _ask(monkeypatch)
    result = run("-C", root, "new", *flags, input=answers)
    assert result.exit_code == 0, result.output
    for refusal in refusals:
        assert f"Error: {refusal}" in result.output
    text = (root / "insights/grums/unga-vill-ha-inflytande.md").read_text(encoding="utf-8")
    assert "perspective: [risk-group]" in text


def test_new_stops_on_a_wrong_flag_before_asking(corpus, run, monkeypatch):
    root = corpus({})
    _ask(monkeypatch)
    result = run("-C", root, "new", "--organisation", "grumms", "--date", "2025", input="x\n")
    assert result.exit_code == 2
    assert "Title" not in result.output and "unknown organisation `grumms`" in result.output
    assert list((root / "insights").rglob("*.md")) == []


def test_the_library_never_prompts(corpus):
    """newrecord raises its own errors for a missing value; the dialogue lives in commands/new.py."""
    from insightmap.load.project import open_project
    from insightmap.newrecord import MissingValue, new_insight

    with pytest.raises(MissingValue) as missing:
        new_insight(open_project(corpus({})), {"title": "x", "organisation": "grums", "date": "2025"})
    assert missing.value.field == "perspective" and "risk-group" in missing.value.choices
