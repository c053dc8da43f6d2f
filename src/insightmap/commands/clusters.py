"""`insightmap clusters`: patterns across organisations, recurring insights, who to learn from."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from insightmap.commands._common import (
    InsightmapError,
    echo_json,
    format_option,
    load_corpus,
    selection_from,
    selection_options,
)

if TYPE_CHECKING:
    from insightmap.project import Project
    from insightmap.select import Selection


@click.command("clusters")
@selection_options
@click.option(
    "--map",
    "map_name",
    metavar="NAME",
    help="Only the insights of map definition maps/NAME.yml (and the other filters).",
)
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

    project, corpus = load_corpus(ctx)
    selection = selection_from(corpus, options)
    records = selection.apply(corpus.insights, corpus)
    if map_name:
        records = _map_selection(project, map_name).apply(records, corpus)
    report = compute_clusters(records, corpus)
    report.selection = {**({"map": map_name} if map_name else {}), **selection.to_dict()}
    if fmt == "json":
        echo_json(report.to_dict())
    elif fmt == "markdown":
        from insightmap.render.clusters import to_markdown

        click.echo(to_markdown(report, corpus), nl=False)
    else:
        from insightmap.render.clusters import print_report

        print_report(report, corpus)


def _map_selection(project: Project, name: str) -> Selection:
    """Return the selection of map definition NAME; unknown or broken maps are errors."""
    try:
        from insightmap.maps import find_map_definition, map_names
    except ImportError as exc:
        raise click.UsageError("--map is not available in this version") from exc
    definition, problems = find_map_definition(project, name)
    if problems:
        raise InsightmapError("\n".join(p.format() for p in problems))
    if definition is None:
        known = ", ".join(map_names(project)) or "none"
        raise click.BadParameter(f"no map definition `{name}` (known: {known})", param_hint="--map")
    return definition.selection
