"""`insightmap actions`: from insight to change — what each action builds on, reuse, waiting insights."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from insightmap.commands._common import checked_project, echo_json, organisation_keys
from insightmap.commands.options import format_option, organisation_option, output_option, public_option

if TYPE_CHECKING:
    from insightmap.analyse.actions import ActionReport
    from insightmap.records import Corpus

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

    corpus = checked_project(ctx, public=public).corpus
    keys = organisation_keys(corpus, organisation)
    report = compute_actions(
        corpus, today=today.date() if today else None, waiting_months=waiting_months, organisations=keys
    )
    kind = SUFFIXES[output.suffix.lower()] if output is not None else fmt
    if kind == "json":
        if output is None:
            echo_json(report.to_dict())
            return
        import json

        text = json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n"
    elif kind == "table":
        text = _table(report, corpus, output is None)
    else:
        from insightmap.render import actions as render

        text = render.to_csv(report) if kind == "csv" else render.to_markdown(report, corpus)
    if output is None:
        click.echo(text, nl=False)
        return
    from insightmap.write import write_atomic

    write_atomic(output, text)
    click.echo(f"wrote {output}", err=True)


def _table(report: ActionReport, corpus: Corpus, terminal: bool) -> str:
    """Print the terminal table (terminal) or return it as plain text (for -o FILE.txt)."""
    import io

    from rich.console import Console

    from insightmap.render.actions import print_table

    if terminal:
        print_table(Console(), report, corpus)
        return ""
    buffer = io.StringIO()
    print_table(Console(file=buffer, width=120, color_system=None), report, corpus)
    return buffer.getvalue()
