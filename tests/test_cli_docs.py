"""Every command has help, and the README documents every command."""

from __future__ import annotations

from pathlib import Path

import pytest

from insightmap.cli import COMMANDS

README = Path(__file__).resolve().parents[1] / "README.md"


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_has_help(run, name):
    result = run(name, "--help")
    assert result.exit_code == 0
    assert "Usage: " in result.output and len(result.output) > 100


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_readme_mentions_every_command(name):
    assert f"insightmap {name}" in README.read_text(encoding="utf-8")


def test_top_level_help_lists_commands(run):
    result = run("--help")
    for name in COMMANDS:
        assert name in result.output
