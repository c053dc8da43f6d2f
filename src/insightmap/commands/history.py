"""`insightmap history`: insights, actions, white spots and waiting insights month by month, from git."""

from __future__ import annotations

from pathlib import Path

import click

from insightmap.commands._common import echo_json, project_from
from insightmap.commands.options import date_option, format_option, output_option

#: Output file suffix → the format written there.
SUFFIXES = {".svg": "svg", ".png": "png", ".json": "json", ".csv": "csv", ".md": "markdown", ".txt": "table"}


@click.command("history")
@date_option("--since", "Start at this month (YYYY or YYYY-MM; default: the first commit).")
@click.option(
    "--max-months",
    type=click.IntRange(1),
    default=60,
    show_default=True,
    metavar="N",
    help="Read at most the last N months (one commit each).",
)
@format_option("table", "json", "csv", "markdown")
@output_option(
    "Write to FILE instead of printing: .svg/.png draw the chart; .json, .csv, .md, .txt choose the format.",
    suffixes=tuple(SUFFIXES),
)
@click.pass_context
def command(ctx: click.Context, since: str | None, max_months: int, fmt: str, output: Path | None) -> None:
    """Show how the records changed over time, month by month, from the git history.

    For each month the last commit of that month is read (safely, as `diff` does:
    nothing is checked out) and counted: insights, actions, empty white-spot
    cells and insights waiting for an action. Months without commits show the
    month before. In a shallow clone the missing months are named, with how to
    fetch them.

    \b
    Examples:
      insightmap history
      insightmap history --since 2024-01 --format json
      insightmap history -o utveckling.svg
    """
    from insightmap.commands.actions import write_output
    from insightmap.render.history import render
    from insightmap.review.history import read_history

    project = project_from(ctx)
    result = read_history(project, since=since, max_months=max_months)
    for note in result.notes:
        click.echo(f"note: {note}", err=True)
    if output is not None:
        write_output(output, render(result, SUFFIXES[output.suffix.lower()], project.config.language))
    elif fmt == "json":
        echo_json(result.to_dict())
    else:
        click.echo(render(result, fmt, project.config.language), nl=False)
