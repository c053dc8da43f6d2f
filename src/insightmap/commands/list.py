"""`insightmap list`: list insights and studies, filtered."""

from __future__ import annotations

import csv
import io

import click

from insightmap.commands._common import checked_project, echo_json, selection_from
from insightmap.commands.options import format_option, selection_options
from insightmap.records import Corpus, Record

COLUMNS = ("id", "kind", "date", "organisation", "perspective", "subpopulation", "title")


@click.command("list")
@selection_options
@click.option(
    "--kind",
    "kinds",
    multiple=True,
    type=click.Choice(["insight", "study", "action"]),
    help="Only insights, studies or actions (repeatable; default: all).",
)
@format_option("table", "json", "csv")
@click.pass_context
def command(ctx: click.Context, kinds: tuple[str, ...], fmt: str, **options: object) -> None:
    """List insights and studies, newest first, filtered by any field.

    Filters take keys or Swedish/English labels: `--perspective riskgrupp` is
    the same as `--perspective risk-group`.
    """
    corpus = checked_project(ctx).corpus
    selection = selection_from(corpus, options, kinds)
    records = selection.apply(corpus.records, corpus)
    records.sort(key=lambda r: (r.date, r.id), reverse=True)
    if fmt == "json":
        echo_json([r.to_dict() for r in records])
    elif fmt == "csv":
        click.echo(_csv(records), nl=False)
    else:
        _table(records, corpus)


def _csv(records: list[Record]) -> str:
    """Return the records as csv, one row each, list fields joined with `; `."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for r in records:
        row = r.to_dict()
        writer.writerow(["; ".join(row[c]) if isinstance(row[c], list) else row[c] for c in COLUMNS])
    return out.getvalue()


def _table(records: list[Record], corpus: Corpus) -> None:
    """Print the records as a rich table, with the count."""
    from rich.console import Console
    from rich.table import Table

    table = Table(show_lines=False, header_style="bold")
    for name in ("Date", "Organisation", "Perspective", "Title"):
        table.add_column(name, overflow="fold")
    for r in records:
        title = r.title if r.kind == "insight" else f"[{r.kind}, {r.status}] {r.title}"
        table.add_row(r.date, r.organisation, ", ".join(r.perspective), title)
    console = Console()
    console.print(table)
    console.print(f"{len(records)} record(s)")
