"""`insightmap clusters`: patterns across organisations, recurring insights, who to learn from."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from insightmap.commands._common import checked_project, chosen_selection, echo_json
from insightmap.commands.options import format_option, map_option, selection_options

if TYPE_CHECKING:
    from rich.console import Console

    from insightmap.analyse.clusters import ClusterReport
    from insightmap.records import Corpus


@click.command("clusters")
@selection_options
@map_option
@format_option("table", "markdown", "json")
@click.pass_context
def command(ctx: click.Context, map_name: str | None, fmt: str, **options: object) -> None:
    """Find patterns and recurring insights across organisations.

    Shows, for the selected insights (default: all), a summary of the
    aggregated map's patterns, groups of similar insights found in two or more
    organisations, organisations with similar insight profiles (who to learn
    from) and, in JSON, the related insights of every insight.
    """
    from insightmap.analyse.clusters import compute_clusters
    from insightmap.render.clusters import to_markdown

    checked = checked_project(ctx)
    corpus = checked.corpus
    selection, definition = chosen_selection(checked, map_name, options)
    report = compute_clusters(selection.apply(corpus.insights, corpus), corpus)
    report.selection = {"map": definition.name} if definition else selection.to_dict()
    if fmt == "json":
        echo_json(report.to_dict())
    elif fmt == "markdown":
        click.echo(to_markdown(report, corpus), nl=False)
    else:
        print_report(report, corpus)


def print_report(report: ClusterReport, corpus: Corpus, console: Console | None = None) -> None:
    """Print the report as rich tables to the terminal."""
    from rich.console import Console
    from rich.table import Table

    from insightmap.render.clusters import view as labelled

    console = console or Console()
    view = labelled(report, corpus)
    h = view["h"]  # the corpus's words, as in the Markdown report
    for sentence in view["summary"]:
        console.print(f"• {sentence}", highlight=False)
    patterns = Table(title=h["Patterns_per_perspective"], header_style="bold", title_justify="left")
    for name in (h["Perspective"], h["Count"], h["Largest"], "%", h["Spread"]):
        patterns.add_column(name, overflow="fold")
    for p in view["patterns"]:
        patterns.add_row(p["label"], str(p["count"]), p["dominant"], p["share"], p["spread"])
    console.print(patterns)
    console.print()
    if view["recurring"]:
        console.print(h["Recurring_insights"], style="bold")
        for n, c in enumerate(view["recurring"], start=1):
            console.print(f"\n{n}. [bold]{_escape(c['label'])}[/bold]", highlight=False)
            about = f"{c['organisations']} · {c['period']} · {c['terms']}"
            console.print(f"   {_escape(about)}", style="dim", highlight=False)
            for i in c["insights"]:
                console.print(f"   - {_escape(i['title'])} ({_escape(i['organisation'])})", highlight=False)
    else:
        console.print(h["no_recurring_insights"])
    console.print()
    if view["similar"]:
        similar = Table(title=h["similar_organisations"], header_style="bold", title_justify="left")
        for name in (h["Organisations"], "", h["Similarity"], h["Shared"]):
            similar.add_column(name, overflow="fold")
        for s in view["similar"]:
            similar.add_row(_escape(s["a"]), _escape(s["b"]), s["score"], _escape(s["shared"]))
        console.print(similar)


def _escape(text: str) -> str:
    """Escape rich markup in record text (titles may contain `[`)."""
    from rich.markup import escape

    return escape(text)
