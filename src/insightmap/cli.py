"""The `insightmap` command line: a thin adapter over the library.

Commands live in `insightmap.commands.<name>` and are imported only when run, so
`insightmap --help` answers at once; heavy imports sit inside each command.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import click

from insightmap import __version__

#: command name → "module:function"; one line per command (keep in pipeline order).
COMMANDS: dict[str, tuple[str, str]] = {
    "init": ("insightmap.commands.init", "Create a new, empty insightmap project."),
    "check": ("insightmap.commands.check", "Validate every record, map definition and setting."),
    "new": ("insightmap.commands.new", "Write a new insight record from flags or questions."),
    "list": ("insightmap.commands.list", "List insights and studies, filtered."),
    "map": ("insightmap.commands.map", "Draw or count the insight map (Venn of perspectives)."),
    "schema": (
        "insightmap.commands.schema",
        "Print the JSON Schema of insight and study front-matter.",
    ),
    "export": (
        "insightmap.commands.export",
        "Export the records to csv, xlsx or json (or an xlsx template).",
    ),
    "import": (
        "insightmap.commands.import_",
        "Import new records from a csv or xlsx sheet (all or nothing).",
    ),
    "diff": ("insightmap.commands.diff", "Show what changed between two git revisions of the records."),
    "report": ("insightmap.commands.report", "Write the board report: one self-contained HTML file."),
    "clusters": (
        "insightmap.commands.clusters",
        "Find patterns, recurring insights and similar organisations.",
    ),
    "gaps": ("insightmap.commands.gaps", "Report the white spots: where no insights exist yet."),
    "actions": (
        "insightmap.commands.actions",
        "Show the chain from insight to change: actions, reuse, waiting.",
    ),
    "history": (
        "insightmap.commands.history",
        "Show insights, actions and white spots month by month, from git.",
    ),
    "sources": ("insightmap.commands.sources", "Fetch and pin the sources of a regional site, or show them."),
    "build": ("insightmap.commands.build", "Build the insight site (check, generate pages, run MkDocs)."),
    "serve": ("insightmap.commands.serve", "Serve the site on localhost, rebuilding as records change."),
}


class LazyGroup(click.Group):
    """A group whose commands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module = importlib.import_module(COMMANDS[cmd_name][0])
        command: click.Command = module.command
        return command

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; an error of the operating system becomes a message with its path (exit 1)."""
        import os

        from insightmap.errors import EnvironmentProblem

        try:
            return super().invoke(ctx)
        except OSError as exc:
            if os.environ.get("INSIGHTMAP_DEBUG"):
                raise
            raise EnvironmentProblem(exc) from exc

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, help_text) for name, (_, help_text) in COMMANDS.items()]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "-C",
    "--project",
    "project",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="The project folder (default: the nearest folder with insightmap.yml, from here up).",
)
@click.version_option(__version__, prog_name="insightmap")
@click.pass_context
def cli(ctx: click.Context, project: Path | None) -> None:
    """Validate insight records and compile insight maps, clusters and white-spot reports.

    Run the commands inside a project (a folder with insightmap.yml) or pass -C PATH.
    """
    ctx.obj = {"project": project}


def main(args: Any = None) -> None:
    """Run the CLI; an unexpected failure prints one line, not a traceback (set
    INSIGHTMAP_DEBUG=1 to see it)."""
    import os
    import sys

    from insightmap.errors import environment_message

    try:
        cli.main(args=args, prog_name="insightmap")
    except OSError as exc:
        # The world's errors (disk full, read-only, permissions) are not bugs: say what and where.
        if os.environ.get("INSIGHTMAP_DEBUG"):
            raise
        click.echo(f"error: {environment_message(exc)}", err=True)
        sys.exit(1)
    except UnicodeError as exc:
        if not _undecodable_name(exc):
            _report_bug(exc)
        click.echo(
            "error: a file name is not valid UTF-8\n    hint: rename the file (`ls -b` shows it); "
            "insightmap reads and writes UTF-8 names only",
            err=True,
        )
        sys.exit(1)
    except Exception as exc:  # noqa: BLE001 - the last line of defence for users
        _report_bug(exc)


def _undecodable_name(exc: UnicodeError) -> bool:
    """Return True for a file name whose undecodable bytes Python kept as surrogate escapes."""
    text = getattr(exc, "object", "")
    return isinstance(text, str) and any("\udc80" <= c <= "\udcff" for c in text)


def _report_bug(exc: BaseException) -> None:
    """Print one line for a failure nobody foresaw and exit 3 (INSIGHTMAP_DEBUG=1 re-raises)."""
    import os
    import sys

    if os.environ.get("INSIGHTMAP_DEBUG"):
        raise exc
    click.echo(f"internal error: {type(exc).__name__}: {exc}", err=True)
    click.echo("This is a bug in insightmap; rerun with INSIGHTMAP_DEBUG=1 and report it.", err=True)
    sys.exit(3)
