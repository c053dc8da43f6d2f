"""`insightmap build`: check the records, then build the insight site into site/."""

from __future__ import annotations

from pathlib import Path

import click

from insightmap.commands._common import _start, checked_project
from insightmap.commands.options import output_option, public_option


@click.command("build")
@click.option("--strict", is_flag=True, help="Fail on broken links and on any engine warning.")
@public_option
@click.option(
    "--engine",
    type=click.Choice(["properdocs", "mkdocs", "zensical"]),
    default="properdocs",
    show_default=True,
    help="The site engine: properdocs (maintained MkDocs fork), mkdocs, or zensical (small sites).",
)
@output_option("Where to put the site (default: site/ in the project).", site=True)
@click.pass_context
def command(ctx: click.Context, strict: bool, public: bool, engine: str, output: Path) -> None:
    """Build the insight site: check, generate pages into build/docs/, run the engine.

    Runs `check` first and stops (exit 1) on problems. The engine builds into a
    temporary folder that replaces the site only when the build succeeded.
    The site folder must be new, empty or built by insightmap (it holds a
    `.insightmap-site` marker); never inside insights/ or maps/. One build at a
    time: a second one waits for the first, then stops.
    """
    from insightmap import pipeline

    # The inputs of the site in place, unchanged: no loading, checking or building (see pipeline.unchanged).
    result = pipeline.unchanged(_start(ctx), output, engine, strict, public)
    if result is None:
        checked = checked_project(ctx, public=public, strict=True)
        result = pipeline.build(checked, output, engine=engine, strict=strict, echo=_echo_err)
    seconds = sum(v for k, v in result.timings.items() if "." not in k)
    drawn = int(result.timings.get("generate.charts drawn", 0))
    reused = int(result.timings.get("generate.charts reused", 0))
    click.echo(
        f"Built {result.pages} pages into {output} in {seconds:.1f} s "
        f"({result.written} changed, {result.removed} removed in build/docs; "
        f"{drawn} charts drawn, {reused} reused)."
    )


def _echo_err(text: str) -> None:
    """Print a build message to stderr (the summary alone goes to stdout)."""
    click.echo(text, err=True)
