"""`insightmap history`: the records month by month from git, one commit per month, nothing checked out."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import record
from test_actions import action

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is needed to build the repository")

CONFIG = "language: sv\n"
#: 2025-06-15: the day the histories are read on.
EPOCH = "1749945600"


def _git(root: Path, *args: str, date: str | None = None) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.invalid"}
    env.update(GIT_COMMITTER_NAME="Test", GIT_COMMITTER_EMAIL="test@example.invalid")
    if date:
        env.update(GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, env=env)


def _commit(root: Path, files: dict[str, str], date: str, message: str) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", message, date=date)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A project with commits on known dates: January (two insights, the last commit of two),
    March (an action), April (an insight and a second commit on the action)."""
    root = tmp_path / "project"
    root.mkdir()
    _git(root, "init", "-q", "-b", "main")
    _commit(
        root,
        {"insightmap.yml": CONFIG, "insights/karlskrona/lunch.md": record(date='"2024-04"')},
        "2025-01-10T12:00:00+00:00",
        "first insight",
    )
    _commit(
        root,
        {
            "insights/grums/app.md": record(
                organisation="grums", date='"2024-11"', subpopulation="[children-youth]"
            )
        },
        "2025-01-28T12:00:00+00:00",
        "second insight",
    )
    _commit(
        root,
        {"insights/karlskrona/arbetstider.md": action(date='"2025-03"')},
        "2025-03-05T12:00:00+00:00",
        "an action",
    )
    _commit(
        root,
        {"insights/karlskrona/morgon.md": record(title="Föräldrar vill ringa tidigt.", date='"2025-04"')},
        "2025-04-02T12:00:00+00:00",
        "third insight",
    )
    _commit(
        root,
        {"insights/karlskrona/arbetstider.md": action(date='"2025-03"', status="piloting")},
        "2025-04-20T12:00:00+00:00",
        "the action is piloted",
    )
    return root


def _history(run, root: Path, *args: str) -> dict:
    result = run("-C", root, "history", "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_history_counts_month_by_month_from_the_last_commit_of_each_month(repo, run, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    data = _history(run, repo)
    rows = [(m["month"], m["insights"], m["actions"], m["acted_on"], m["waiting"]) for m in data["months"]]
    assert rows == [
        ("2025-01", 2, 0, 0, 1),  # Karlskrona's 2024-04 insight is over six months old; Grums's is not
        ("2025-02", 2, 0, 0, 1),  # no commit: January's state, a month older
        ("2025-03", 2, 1, 1, 0),  # the action builds on the lunch insight; Grums's 2024-11 not yet waiting
        ("2025-04", 3, 1, 1, 0),
        ("2025-05", 3, 1, 1, 0),
        ("2025-06", 3, 1, 1, 1),  # 2025-06-15: Grums's insight is now waiting
    ]
    commits = [m["commit"] for m in data["months"]]
    assert commits[0] == commits[1] and commits[3] == commits[4] == commits[5]
    log = subprocess.run(
        ["git", "-C", str(repo), "log", "--format=%H %s"], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    by_message = {line.split(" ", 1)[1]: line.split(" ", 1)[0] for line in log}
    assert commits[0] == by_message["second insight"]
    assert commits[3] == by_message["the action is piloted"]
    assert data["months"][0]["empty_cells"] == 37  # 3 perspectives × 13 subpopulations, 2 covered
    assert data["shallow"] is False and data["notes"] == []


def test_history_is_bounded_and_can_start_later(repo, run, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    assert [m["month"] for m in _history(run, repo, "--since", "2025-04")["months"]] == [
        "2025-04",
        "2025-05",
        "2025-06",
    ]
    result = run("-C", repo, "history", "--format", "json", "--max-months", "2")
    data = json.loads(result.stdout)
    assert [m["month"] for m in data["months"]] == ["2025-05", "2025-06"]
    assert "showing the last 2" in data["notes"][0]


def test_history_never_touches_the_working_tree(repo, run, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    (repo / "insights" / "karlskrona" / "lunch.md").write_text("changed, not committed\n", encoding="utf-8")
    _history(run, repo)
    assert (repo / "insights" / "karlskrona" / "lunch.md").read_text(
        encoding="utf-8"
    ) == "changed, not committed\n"


def test_history_in_a_shallow_clone_says_what_is_missing(repo, run, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    clone = tmp_path / "clone"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "2", f"file://{repo}", str(clone)], check=True, capture_output=True
    )
    result = run("-C", clone, "history", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["shallow"] is True
    assert [m["month"] for m in data["months"]] == ["2025-04", "2025-05", "2025-06"]
    assert "shallow clone: its history starts at 2025-04-02" in data["notes"][0]
    assert "git fetch --unshallow" in result.output


def test_history_outside_git_is_a_clear_error(corpus, run):
    root = corpus({"insights/a.md": record()})
    result = run("-C", root, "history")
    assert result.exit_code == 1
    assert "is not inside a git repository; `insightmap history` reads git revisions" in result.output


@pytest.mark.parametrize("suffix", [".svg", ".png", ".csv", ".md"])
def test_history_chart_and_tables(repo, run, monkeypatch, suffix):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    target = repo.parent / f"historik{suffix}"
    result = run("-C", repo, "history", "-o", target)
    assert result.exit_code == 0, result.output
    data = target.read_bytes()
    if suffix == ".svg":
        assert b"<svg" in data and "Förändringar".encode() in data
    elif suffix == ".png":
        assert data.startswith(b"\x89PNG")
    elif suffix == ".csv":
        assert data.decode().splitlines()[1].startswith("2025-01,")
    else:
        assert "| 2025-03 | 2 | 1 | 37 | 0 |" in data.decode()
