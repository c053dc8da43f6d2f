"""`insightmap map`: the three-circle insight map of a selection, as a table, JSON, Markdown or picture."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import click

from insightmap.commands._common import (
    checked_output,
    echo_json,
    format_option,
    load_corpus,
    selection_from,
    selection_options,
)
from insightmap.errors import InsightmapError, ProblemsFound


@click.command("map")
@click.option("--map", "map_name", metavar="NAME", help="A map definition in maps/ (file name without .yml).")
@selection_options
@click.option(
    "--colour-by",
    "colour_by",
    type=click.Choice(["organisation-type", "organisation"]),
    default=None,
    help="Colour markers by organisation type (default) or organisation.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the picture to FILE (.svg or .png) instead of printing the numbers.",
)
@click.option(
    "--base-url",
    metavar="URL",
    default=None,
    help="Prefix of region links in the SVG (default: site_url from mkdocs.yml, else relative).",
)
@format_option("table", "json", "markdown")
@click.pass_context
def command(
    ctx: click.Context,
    map_name: str | None,
    colour_by: str | None,
    output: Path | None,
    base_url: str | None,
    fmt: str,
    **options: Any,
) -> None:
    """Count insights in the 7 regions of the perspective Venn diagram.

    Select with --organisation (repeatable), --map NAME (a file in maps/) or any
    filter; without one the map shows every insight. With -o FILE the picture is
    written as SVG (regions link to the site's insight lists) or PNG.
    """
    from insightmap.analyse.venn import compute_map
    from insightmap.render.venn import draw_map, table_markdown
    from insightmap.site.urls import region_url

    if output is not None and output.suffix.lower() not in (".svg", ".png"):
        raise click.BadParameter("the file must end in .svg or .png", param_hint="-o")
    output = checked_output(ctx, output)
    project, corpus = load_corpus(ctx)
    title = None
    if map_name and any(options.values()):
        raise click.UsageError("--map takes its filter from the map definition; drop the other filters")
    if map_name:
        definition = _definition(project, map_name)
        selection = definition.selection
        title = definition.title
        colour_by = colour_by or definition.colour_by
    else:
        selection = selection_from(corpus, options)
    vmap = compute_map(corpus.insights, corpus, colour_by or "organisation-type", selection)
    if output is not None:
        base = base_url if base_url is not None else _site_url(project.root)
        only_org = selection.organisations[0] if _only_organisation(selection) else None
        link = None
        if map_name or only_org or selection.is_everything():

            def link(key: str) -> str:
                return region_url(
                    key, map_name=map_name and Path(map_name).stem, organisation=only_org, base=base
                )

        if only_org and title is None:
            title = corpus.organisation(only_org).name
        fmt_out = output.suffix.lower().lstrip(".")
        from insightmap.write import write_atomic

        write_atomic(output, draw_map(vmap, corpus, fmt=fmt_out, link=link, title=title))
        click.echo(f"wrote {output} ({vmap.total} insight(s))", err=True)
        return
    if fmt == "json":
        echo_json(vmap.to_dict())
    elif fmt == "markdown":
        click.echo(table_markdown(vmap, corpus), nl=False)
    else:
        _table(vmap, corpus, title)


def _definition(project: Any, name: str) -> Any:
    from insightmap.maps import find_map_definition, map_names

    definition, problems = find_map_definition(project, name)
    if problems:
        raise ProblemsFound(problems)
    if definition is None:
        names = map_names(project)
        known = f"; available: {', '.join(names)}" if names else "; maps/ has no map definitions"
        raise InsightmapError(f"no map definition `{name}` in maps/{known}")
    return definition


def _only_organisation(selection: Any) -> bool:
    from dataclasses import replace

    return len(selection.organisations) == 1 and replace(selection, organisations=()).is_everything()


def _site_url(root: Path) -> str:
    """Return site_url from mkdocs.yml (read as text: the file may hold tags PyYAML refuses)."""
    try:
        text = (root / "mkdocs.yml").read_text(encoding="utf-8")
    except OSError:
        return ""
    match = re.search(r"^site_url:\s*['\"]?([^'\"\s#]+)", text, re.MULTILINE)
    return match.group(1) if match else ""


def _table(vmap: Any, corpus: Any, title: str | None) -> None:
    from rich.console import Console
    from rich.table import Table

    from insightmap.analyse.venn import REGIONS, region_label

    lang = corpus.language
    table = Table(
        title=title or (vmap.selection.describe(corpus, lang) if vmap.selection else None),
        header_style="bold",
    )
    table.add_column("Region")
    table.add_column("Insights", justify="right")
    table.add_column("Sub-populations", overflow="fold")
    table.add_column("Organisation types", overflow="fold")
    for key in REGIONS:
        region = vmap.regions[key]
        table.add_row(
            region_label(key, corpus, lang),
            str(region.count),
            ", ".join(
                f"{corpus.vocabulary.label('subpopulation', s, lang)} {n}"
                for s, n in region.subpopulations.items()
            ),
            ", ".join(
                f"{corpus.vocabulary.label('organisation-type', t, lang)} {n}"
                for t, n in region.organisation_types.items()
            ),
        )
    console = Console()
    console.print(table)
    console.print(f"{vmap.total} insight(s)")
