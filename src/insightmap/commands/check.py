"""`insightmap check`: validate the whole project."""

from __future__ import annotations

import click

from insightmap.commands._common import checked_project
from insightmap.commands.options import format_option
from insightmap.problem_formats import FORMATS, as_suggestions


@click.command("check")
@format_option(*FORMATS, default="text")
@click.option(
    "--suggest",
    is_flag=True,
    help="Also name insights that resemble another organisation's (text format, a project without errors).",
)
@click.pass_context
def command(ctx: click.Context, fmt: str, suggest: bool) -> None:
    """Validate every record, map definition and setting of the project.

    Prints one line per problem, `path:line: error[code]: message`, with a hint.
    Exits 1 when there are errors, else 0. Warnings (`warning[code]`, such as a body
    still holding the placeholder text of `insightmap new`) are printed but do not
    fail the check, nor stop `build`.
    --format github prints GitHub Actions annotations, gitlab a Code Quality report.
    --suggest adds a line per insight without same-as/not-same-as links that the clustering
    groups with another organisation's: add `same-as: [id]` if it is the same learning.
    """
    checked = checked_project(ctx, warn=False)
    click.echo(FORMATS[fmt](checked), nl=False)
    if suggest and fmt == "text" and not checked.errors:
        click.echo(as_suggestions(checked), nl=False)
    ctx.exit(1 if checked.errors else 0)
