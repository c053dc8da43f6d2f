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


COMMANDS_DIR = Path(__file__).resolve().parents[1] / "src" / "insightmap" / "commands"
#: The longest a command's body may be (docstring excluded): build the object, call the library, print.
BODY_MAX = 20


def command_body_lines(source: str) -> int:
    """Return the lines of the `command` function's body in a module's source, its docstring left out."""
    import ast

    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef) and node.name == "command":
            body = node.body
            if isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                body = body[1:]
            return (body[-1].end_lineno or body[-1].lineno) - body[0].lineno + 1
    raise AssertionError("no function `command`")


#: Modules of commands/ that hold no command: shared helpers and options.
HELPERS = ("__init__.py", "_common.py", "options.py")
MODULES = sorted(p for p in COMMANDS_DIR.glob("*.py") if p.name not in HELPERS)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.stem)
def test_every_command_body_is_short(path):
    lines = command_body_lines(path.read_text(encoding="utf-8"))
    assert lines <= BODY_MAX, f"{path.name}: the command's body has {lines} lines; move logic to the library"


def test_every_command_module_is_registered():
    registered = {module.rsplit(".", 1)[1] for module, _ in COMMANDS.values()}
    assert {p.stem for p in MODULES} == registered


def test_body_length_counts_code_not_the_docstring():
    source = 'def command():\n    """Doc.\n\n    More.\n    """\n    a = 1\n\n    return a\n'
    assert command_body_lines(source) == 3


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_and_option_has_help_text(name):
    import importlib

    import click

    command = importlib.import_module(COMMANDS[name][0]).command
    assert (command.help or "").strip(), f"`insightmap {name}` has no help text"
    for param in command.params:
        if isinstance(param, click.Option):
            assert (param.help or "").strip(), f"`insightmap {name} {param.opts[0]}` has no help text"
