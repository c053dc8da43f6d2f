"""`insightmap map`: the three-circle insight map of a selection, as a table, JSON, Markdown or picture."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from insightmap.commands._common import checked_project, chosen_selection, echo_json
from insightmap.commands.options import format_option, map_option, output_option, selection_options

if TYPE_CHECKING:
    from collections.abc import Callable

    from insightmap.analyse.venn import VennMap
    from insightmap.pipeline import Checked
    from insightmap.records import Corpus
    from insightmap.select import Selection


@click.command("map")
@map_option
@selection_options
@click.option(
    "--colour-by",
    "colour_by",
    type=click.Choice(["organisation-type", "organisation"]),
    default=None,
    help="Colour markers by organisation type (default) or organisation.",
)
@output_option(
    "Write the picture to FILE (.svg or .png) instead of printing the numbers.", suffixes=(".svg", ".png")
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
    from insightmap.write import write_atomic

    checked = checked_project(ctx)
    corpus = checked.corpus
    selection, definition = chosen_selection(checked, map_name, options)
    colour_by = colour_by or (definition.colour_by if definition else "organisation-type")
    vmap = compute_map(corpus.insights, corpus, colour_by, selection)
    title = definition.title if definition else None
    if output is not None:
        link, title = _links(selection, checked, map_name, base_url, title)
        write_atomic(output, draw_map(vmap, corpus, fmt=output.suffix.lower()[1:], link=link, title=title))
        click.echo(f"wrote {output} ({vmap.total} insight(s))", err=True)
    elif fmt == "json":
        echo_json(vmap.to_dict())
    elif fmt == "markdown":
        click.echo(table_markdown(vmap, corpus), nl=False)
    else:
        _table(vmap, corpus, title)


def _links(
    selection: Selection, checked: Checked, map_name: str | None, base_url: str | None, title: str | None
) -> tuple[Callable[[str], str] | None, str | None]:
    """Return how regions link into the site (None when the site has no page for the selection), and
    the picture's title (a single organisation's name when nothing else names it)."""
    from insightmap.site.urls import region_url

    corpus = checked.corpus
    base = _site_url(checked.project.root) if base_url is None else base_url
    only_org = None
    if len(selection.organisations) == 1 and replace(selection, organisations=()).is_everything():
        only_org = selection.organisations[0]
        title = title or corpus.organisation(only_org).name
    if not (map_name or only_org or selection.is_everything()):
        return None, title

    def link(key: str) -> str:
        return region_url(key, map_name=map_name, organisation=only_org, base=base)

    return link, title


def _site_url(root: Path) -> str:
    """Return site_url from mkdocs.yml (read as text: the file may hold tags PyYAML refuses)."""
    try:
        text = (root / "mkdocs.yml").read_text(encoding="utf-8")
    except OSError:
        return ""
    match = re.search(r"^site_url:\s*['\"]?([^'\"\s#]+)", text, re.MULTILINE)
    return match.group(1) if match else ""


def _table(vmap: VennMap, corpus: Corpus, title: str | None) -> None:
    """Print the regions as a rich table, with the total."""
    from rich.console import Console
    from rich.table import Table

    from insightmap import glossary
    from insightmap.analyse.venn import REGIONS, region_label

    lang = corpus.language
    words = glossary.words(lang)  # the corpus's words, as in the Markdown table
    table = Table(
        title=title or (vmap.selection.describe(corpus, lang) if vmap.selection else None),
        header_style="bold",
    )
    table.add_column(words["Region"])
    table.add_column(words["Number_of_insights"], justify="right")
    table.add_column(words["Subpopulations"], overflow="fold")
    table.add_column(words["Organisation_types"], overflow="fold")
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
    table.add_row(words["Total"], str(vmap.total), "", "", style="bold")
    Console().print(table)
