"""`insightmap diff` on real git repositories built in tmp_path."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from conftest import record, study

GIT = [
    "git",
    "-c",
    "user.name=Test",
    "-c",
    "user.email=test@example.invalid",
    "-c",
    "commit.gpgsign=false",
    "-c",
    "init.defaultBranch=main",
]


def git(root: Path, *args: str) -> str:
    done = subprocess.run([*GIT, "-C", str(root), *args], capture_output=True, text=True, check=True)
    return done.stdout.strip()


def commit_all(root: Path, message: str) -> None:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)


@pytest.fixture
def repo(corpus):
    """A project on main with two insights and a study, and a feature branch checked out."""
    root = corpus(
        {
            "insights/karlskrona/lunch.md": record(
                title="Kontoret är stängt på lunchen.",
                perspective="[active-client]",
                subpopulation="[adults]",
            ),
            "insights/karlskrona/morgon.md": record(
                title="Föräldrar vill ringa tidigt.",
                perspective="[general-public]",
                subpopulation="[families]",
            ),
            "insights/karlskrona/tider.md": study(
                title="Tider", perspective="[risk-group]", subpopulation="[older-people]"
            ),
        }
    )
    git(root, "init", "-q")
    commit_all(root, "start")
    git(root, "checkout", "-q", "-b", "feature")
    return root


def change(root: Path) -> None:
    """Add an insight (Grums, risk group × older people), change one, remove one."""
    (root / "insights/grums").mkdir()
    (root / "insights/grums/aldre.md").write_text(
        record(
            title="Äldre vill bli tillfrågade först.",
            organisation="grums",
            perspective="[risk-group]",
            subpopulation="[older-people]",
        ),
        encoding="utf-8",
    )
    (root / "insights/karlskrona/lunch.md").write_text(
        record(
            title="Kontoret är stängt på lunchen.",
            perspective="[active-client]",
            subpopulation="[adults, families]",
            body="Ny text.",
        ),
        encoding="utf-8",
    )
    (root / "insights/karlskrona/morgon.md").unlink()


def test_diff_json_reports_records_white_spots_and_map(run, repo):
    change(repo)
    commit_all(repo, "change")
    result = run("-C", repo, "diff", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["base"]["rev"] == "main" and data["head"]["rev"] == "working tree"
    assert [r["id"] for r in data["insights"]["added"]] == ["grums/aldre"]
    assert [r["id"] for r in data["insights"]["removed"]] == ["karlskrona/morgon"]
    assert data["insights"]["changed"] == [
        {
            "id": "karlskrona/lunch",
            "title": "Kontoret är stängt på lunchen.",
            "organisation": "karlskrona",
            "fields": ["subpopulation", "body"],
        }
    ]
    assert data["studies"] == {"added": [], "removed": [], "changed": []}
    filled = {(c["row"], c["col"]) for c in data["gaps"]["filled"]}
    assert filled == {("risk-group", "older-people"), ("active-client", "families")}
    emptied = {(c["row"], c["col"]) for c in data["gaps"]["emptied"]}
    assert emptied == {("general-public", "families")}
    assert data["map"]["regions"] == {
        "risk-group": {"before": 0, "after": 1},
        "general-public": {"before": 1, "after": 0},
    }
    assert {"organisation": "grums", "gained": ["risk-group"], "lost": []} in data["map"]["organisations"]
    assert {"organisation": "karlskrona", "gained": [], "lost": ["general-public"]} in data["map"][
        "organisations"
    ]
    assert data["totals"]["insights"] == {"before": 2, "after": 2}


def test_diff_markdown_speaks_swedish_and_names_the_movement(run, repo):
    change(repo)  # uncommitted: the working tree is the default head
    result = run("-C", repo, "diff", "--format", "markdown")
    assert result.exit_code == 0, result.output
    text = result.output
    assert text.startswith("## Ändringar i insikterna")
    assert "**Nya (1)**" in text and "Äldre vill bli tillfrågade först. — Grums kommun" in text
    assert "ändrat subpopulation, text" in text
    assert "~~Föräldrar vill ringa tidigt.~~" in text
    assert "- Fyller: **Riskgrupp × Äldre** (0 → 1)" in text
    assert "- Ny vit fläck: **Invånare i allmänhet × Familjer** (1 → 0)" in text
    assert "Grums kommun har nu insikter från riskgrupp" in text


def test_diff_between_two_named_revisions_and_nothing_changed(run, repo):
    change(repo)
    commit_all(repo, "change")
    result = run("-C", repo, "diff", "main", "feature", "--format", "json")
    assert json.loads(result.output)["head"]["rev"] == "feature"
    result = run("-C", repo, "diff", "HEAD")
    assert result.exit_code == 0
    assert "Inga insikter eller insiktsarbeten har ändrats." in result.output


def test_diff_without_main_branch_compares_with_head(run, repo):
    git(repo, "branch", "-q", "-D", "main")
    change(repo)
    data = json.loads(run("-C", repo, "diff", "--format", "json").output)
    assert data["base"]["rev"] == "HEAD" and "no main or master branch" in data["notes"][0]
    assert [r["id"] for r in data["insights"]["added"]] == ["grums/aldre"]


def test_diff_outside_git_and_with_unknown_revision(run, corpus, repo):
    result = run("-C", repo, "diff", "nosuchrev")
    assert result.exit_code == 1 and "unknown revision `nosuchrev`" in result.output
    subprocess.run(["rm", "-rf", str(repo / ".git")], check=True)
    result = run("-C", repo, "diff")
    assert result.exit_code == 1
    assert "is not inside a git repository" in result.output


def test_diff_in_a_shallow_clone_explains_the_missing_history(run, repo, tmp_path):
    change(repo)
    commit_all(repo, "change")
    clone = tmp_path / "clone"
    subprocess.run(
        [*GIT, "clone", "-q", "--depth", "1", "--branch", "feature", f"file://{repo}", str(clone)],
        check=True,
        capture_output=True,
    )
    result = run("-C", clone, "diff", "HEAD~1")
    assert result.exit_code == 1
    assert "shallow clone" in result.output and "fetch-depth: 0" in result.output
    # No main branch was fetched: fall back to HEAD with a note rather than fail.
    result = run("-C", clone, "diff")
    assert result.exit_code == 0 and "no main or master branch" in result.output


def test_diff_reads_a_project_in_a_subfolder_and_a_revision_before_it_existed(run, corpus, tmp_path):
    root = corpus({"insights/karlskrona/a.md": record()})
    top = root.parent
    git(top, "init", "-q")
    (top / "README.md").write_text("x\n", encoding="utf-8")
    git(top, "add", "README.md")
    git(top, "commit", "-q", "-m", "before the project")
    git(top, "checkout", "-q", "-b", "add-project")
    commit_all(top, "project")
    data = json.loads(run("-C", root, "diff", "--format", "json").output)
    assert [r["id"] for r in data["insights"]["added"]] == ["karlskrona/a"]
    assert data["totals"]["insights"] == {"before": 0, "after": 1}


def test_diff_speaks_english_with_the_glossary_words(run, repo):
    config = repo / "insightmap.yml"
    config.write_text(config.read_text("utf-8").replace("language: sv", "language: en"), "utf-8")
    commit_all(repo, "english")
    change(repo)
    result = run("-C", repo, "diff", "HEAD", "--format", "text")
    assert result.exit_code == 0, result.output
    text = result.output
    assert text.startswith("Changes to the insights\n\nCompared: ")
    assert "New (1)" in text and "Removed (1)" in text
    assert "changed subpopulation, body" in text
    assert "- Fills: Risk group × Older people (0 → 1)" in text
    assert "Count: insights 2 → 2, studies 1 → 1, empty cells" in text


def test_diff_names_a_new_action_and_the_insights_that_now_have_one(run, repo):
    from test_actions import action

    (repo / "insights/karlskrona/arbetstider.md").write_text(
        action(title="Förskjutna arbetstider.", builds_on="[karlskrona/lunch]"), encoding="utf-8"
    )
    commit_all(repo, "an action")
    data = json.loads(run("-C", repo, "diff", "--format", "json").output)
    assert data["actions"]["added"] == [
        {
            "id": "karlskrona/arbetstider",
            "title": "Förskjutna arbetstider.",
            "organisation": "karlskrona",
            "builds_on": ["karlskrona/lunch"],
        }
    ]
    assert data["now_acted"] == [
        {
            "id": "karlskrona/lunch",
            "title": "Kontoret är stängt på lunchen.",
            "organisation": "karlskrona",
            "actions": ["karlskrona/arbetstider"],
        }
    ]
    assert data["totals"]["actions"] == {"before": 0, "after": 1}
    text = run("-C", repo, "diff", "--format", "markdown").output
    assert "### Från insikt till förändring" in text
    assert (
        "- **Förskjutna arbetstider.** — Karlskrona kommun (`karlskrona/arbetstider`): "
        "ny förändring som bygger på ”Kontoret är stängt på lunchen.”"
    ) in text
    assert "- Insikt `karlskrona/lunch` har nu en förändring: Kontoret är stängt på lunchen." in text
    assert "förändringar 0 → 1" in text
    (repo / "insights/karlskrona/arbetstider.md").write_text(
        action(title="Förskjutna arbetstider.", builds_on="[karlskrona/lunch]", status="stopped"),
        encoding="utf-8",
    )
    changed = json.loads(run("-C", repo, "diff", "HEAD", "--format", "json").output)
    assert changed["actions"]["changed"][0]["fields"] == ["status"]
    assert changed["now_acted"] == []


def test_diff_markdown_gives_each_change_its_own_bullet_and_blank_lines_before_headings(run, repo):
    change(repo)
    (repo / "insights/karlskrona/tider.md").write_text(
        study(title="Tider", perspective="[general-public]", subpopulation="[older-people]"),
        encoding="utf-8",
    )
    (repo / "insights/karlskrona/ny.md").write_text(
        record(title="Unga vill chatta.", subpopulation="[children-youth]"), encoding="utf-8"
    )
    (repo / "insights/grums/aldre.md").write_text(record(organisation="grums"), encoding="utf-8")
    commit_all(repo, "one")
    (repo / "insights/karlskrona/ny.md").write_text(
        record(title="Unga vill chatta.", subpopulation="[young-adults]"), encoding="utf-8"
    )
    (repo / "insights/grums/aldre.md").write_text(
        record(organisation="grums", perspective="[risk-group]"), encoding="utf-8"
    )
    (repo / "insights/karlskrona/lunch.md").unlink()
    for fmt in ("markdown", "text"):
        result = run("-C", repo, "diff", "HEAD", "--format", fmt)
        assert result.exit_code == 0, result.output
        lines = result.output.splitlines()
        bullets = [line for line in lines if line.startswith("- ")]
        changed = [line for line in bullets if "ändrat" in line]
        # Two changed insights: two bullets, each naming one record and its fields only.
        assert len(changed) == 2, result.output
        assert all(line.count("ändrat") == 1 for line in changed), result.output
        for i, line in enumerate(lines):
            # Every heading (### or **…**) stands after a blank line, never glued to a bullet.
            if line.startswith("### ") or (line.startswith("**") and line.endswith("**")):
                assert lines[i - 1] == "", (fmt, line, result.output)
            if fmt == "text" and line in ("Borttagna (1)", "Ändrade (2)"):
                assert lines[i - 1] == "", (fmt, line, result.output)
