"""CI outputs of `check` (GitHub annotations, GitLab Code Quality) and the CI examples' commands."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import click
import pytest
import yaml

from conftest import record
from insightmap.cli import COMMANDS, cli

REPO = Path(__file__).resolve().parents[1]
WORKFLOWS = [REPO / "examples/github/insightmap.yml", REPO / "examples/gitlab/.gitlab-ci.yml"]


@pytest.fixture
def broken(corpus):
    return corpus(
        {
            "insights/karlskrona/a.md": record(perspective="[riskgrp]"),
            "insights/karlskrona/b.md": record(title='"Ok, med: kolon."', date='"2024-13"'),
        }
    )


def test_check_github_annotations(run, broken):
    result = run("-C", broken, "check", "--format", "github")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert len(lines) == 2
    assert lines[0] == (
        "::error file=insights/karlskrona/a.md,line=3,title=insightmap vocabulary"
        "::unknown perspective `riskgrp`%0Ahint: did you mean `risk-group`?"
    )
    assert lines[1].startswith("::error file=insights/karlskrona/b.md,line=6,title=insightmap date::")


def test_check_gitlab_code_quality(run, broken):
    result = run("-C", broken, "check", "--format", "gitlab")
    assert result.exit_code == 1
    issues = json.loads(result.output)
    assert [i["location"] for i in issues] == [
        {"path": "insights/karlskrona/a.md", "lines": {"begin": 3}},
        {"path": "insights/karlskrona/b.md", "lines": {"begin": 6}},
    ]
    assert {i["severity"] for i in issues} == {"major"}
    assert issues[0]["check_name"] == "insightmap/vocabulary"
    assert len({i["fingerprint"] for i in issues}) == 2
    assert all(re.fullmatch(r"[0-9a-f]{32}", i["fingerprint"]) for i in issues)
    # Stable: the same problem keeps its fingerprint between runs.
    assert json.loads(run("-C", broken, "check", "--format", "gitlab").output) == issues


def test_clean_project_gives_empty_reports(run, corpus):
    root = corpus({"insights/karlskrona/a.md": record()})
    assert run("-C", root, "check", "--format", "github").output == ""
    assert json.loads(run("-C", root, "check", "--format", "gitlab").output) == []


def test_pre_commit_hook_definition():
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    (hook,) = hooks
    assert hook["id"] == "insightmap-check" and hook["entry"] == "insightmap check"
    assert hook["language"] == "python" and hook["pass_filenames"] is False
    pattern = re.compile(hook["files"])
    assert pattern.search("insights/grums/a.md") and pattern.search("insightmap.yml")
    assert pattern.search("maps/alla.yml") and not pattern.search("README.md")


def _scripts(node: object) -> list[str]:
    """Return every shell script (`run:` of GitHub steps, `script:` lines of GitLab jobs)."""
    found: list[str] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("run", "script", "before_script") and isinstance(value, str):
                found.append(value)
            elif key in ("script", "before_script") and isinstance(value, list):
                found.extend(str(v) for v in value)
            else:
                found.extend(_scripts(value))
    elif isinstance(node, list):
        for item in node:
            found.extend(_scripts(item))
    return found


def _commands(script: str) -> list[list[str]]:
    """Return the argument lists of the `insightmap …` commands in a shell script."""
    script = re.sub(r"\$\{\{[^}]*\}\}", "X", script).replace("\\\n", " ")
    commands = []
    for line in script.splitlines():
        for part in re.split(r"&&|\|\||;|\|", line):
            words = shlex.split(part, comments=True)
            if not words or words[0] != "insightmap":
                continue
            args, skip = [], False
            for word in words[1:]:
                if skip:
                    skip = False
                elif word in (">", "2>", ">>"):
                    skip = True
                elif not word.startswith((">", "2>")):
                    args.append(word)
            commands.append(args)
    return commands


def _workflow_commands() -> list[tuple[str, list[str]]]:
    found = []
    for path in WORKFLOWS:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for script in _scripts(data):
            for args in _commands(script):
                found.append((f"{path.parent.name}: insightmap {' '.join(args)}", args))
    return found


def test_workflows_use_insightmap():
    names = {args[0] for _, args in _workflow_commands()}
    assert {"check", "diff", "build", "report"} <= names


@pytest.mark.parametrize("shown, args", _workflow_commands(), ids=lambda v: v if isinstance(v, str) else "")
def test_workflow_command_is_valid(shown, args):
    """Parse the command line as the CLI would (without running it)."""
    if args[0] not in COMMANDS:
        pytest.skip(f"`insightmap {args[0]}` is not registered yet")
    parent = click.Context(cli, info_name="insightmap")
    command = cli.get_command(parent, args[0])
    assert command is not None, shown
    try:
        command.make_context(args[0], list(args[1:]), parent=parent)
    except click.UsageError as exc:
        pytest.fail(f"{shown}: {exc.format_message()}")


def test_the_command_check_catches_a_bad_option():
    (args,) = _commands("insightmap check --format nope > out.json || true")
    assert args == ["check", "--format", "nope"]
    with pytest.raises(pytest.fail.Exception, match="nope"):
        test_workflow_command_is_valid("check --format nope", args)
