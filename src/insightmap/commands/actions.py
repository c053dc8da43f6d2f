"""`insightmap actions`: from insight to change — what each action builds on, reuse, waiting insights."""

from __future__ import annotations

import datetime
from pathlib import Path

import click

from insightmap.commands._common import checked_project, echo_json, organisation_keys
from insightmap.commands.options import format_option, organisation_option, output_option, public_option

#: Output file suffix → the format written there.
SUFFIXES = {".json": "json", ".csv": "csv", ".md": "markdown", ".txt": "table"}


@click.command("actions")
@organisation_option
@public_option
@click.option(
    "--waiting-months",
    type=click.IntRange(0),
    metavar="N",
    help="An insight older than N months that no action builds on is waiting (default: "
    "actions.waiting-months in insightmap.yml, 6).",
)
@click.option(
    "--today",
    type=click.DateTime(["%Y-%m-%d"]),
    metavar="YYYY-MM-DD",
    help="The date ages are measured from (default: today, or SOURCE_DATE_EPOCH).",
)
@format_option("table", "json", "markdown", "csv")
@output_option("Write to FILE instead of printing: .json, .csv, .md, .txt.", suffixes=tuple(SUFFIXES))
@click.pass_context
def command(
    ctx: click.Context,
    organisation: tuple[str, ...],
    public: bool,
    waiting_months: int | None,
    today: datetime.datetime | None,
    fmt: str,
    output: Path | None,
) -> None:
    """Show the chain from insight to change (*från insikt till förändring*).

    For every action (`kind: action`) the insights it builds on, with their
    perspectives and subpopulations; reuse — an action building on another
    organisation's insight; and the insights waiting for a decision: older than
    `actions.waiting-months` (default 6) with no action building on them, by
    organisation. `--organisation` narrows it to the actions, reuse and waiting
    insights of those organisations.

    \b
    Examples:
      insightmap actions
      insightmap actions --format json --organisation karlskrona
      insightmap actions --waiting-months 12 -o vantar.md
    """
    from insightmap.analyse.actions import compute_actions
    from insightmap.render.actions import print_table, render

    corpus = checked_project(ctx, public=public).corpus
    keys = organisation_keys(corpus, organisation)
    day = today.date() if today else None
    report = compute_actions(corpus, today=day, waiting_months=waiting_months, organisations=keys)
    if output is not None:
        write_output(output, render(report, corpus, SUFFIXES[output.suffix.lower()]))
    elif fmt == "json":
        echo_json(report.to_dict())
    elif fmt == "table":
        from rich.console import Console

        print_table(Console(), report, corpus)
    else:
        click.echo(render(report, corpus, fmt), nl=False)


def write_output(output: Path, content: str | bytes) -> None:
    """Write an -o file atomically and say so on stderr."""
    from insightmap.write import write_atomic

    write_atomic(output, content)
    click.echo(f"wrote {output}", err=True)
