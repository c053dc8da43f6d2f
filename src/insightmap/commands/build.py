"""`insightmap build`: check the records, then build the insight site into site/."""

from __future__ import annotations

from pathlib import Path

import click

from insightmap.commands._common import checked_output, checked_project


@click.command("build")
@click.option("--strict", is_flag=True, help="Fail on broken links and on any engine warning.")
@click.option("--public", is_flag=True, help="Only records marked `visibility: public`.")
@click.option(
    "--engine",
    type=click.Choice(["mkdocs", "zensical"]),
    default="mkdocs",
    show_default=True,
    help="The site engine: mkdocs (Material for MkDocs) or zensical (small sites).",
)
@click.option(
    "-o",
    "--output",
    "output",
    type=click.Path(path_type=Path),
    default=None,
    help="Where to put the site (default: site/ in the project).",
)
@click.pass_context
def command(ctx: click.Context, strict: bool, public: bool, engine: str, output: Path | None) -> None:
    """Build the insight site: check, generate pages into build/docs/, run the engine.

    Runs `check` first and stops (exit 1) on problems. The engine builds into a
    temporary folder that replaces the site only when the build succeeded.
    The site folder must be new, empty or built by insightmap (it holds a
    `.insightmap-site` marker); never inside insights/ or maps/. One build at a
    time: a second one waits for the first, then stops.
    """
    from insightmap import pipeline

    out = checked_output(ctx, output, site=True)
    assert out is not None  # a site always has a folder: site/ by default
    checked = checked_project(ctx, public=public, strict=True)
    result = pipeline.build(checked, out, engine=engine, strict=strict, echo=_echo_err)
    seconds = sum(v for k, v in result.timings.items() if "." not in k)
    drawn = int(result.timings.get("generate.charts drawn", 0))
    reused = int(result.timings.get("generate.charts reused", 0))
    click.echo(
        f"Built {result.pages} pages into {out} in {seconds:.1f} s "
        f"({result.written} changed, {result.removed} removed in build/docs; "
        f"{drawn} charts drawn, {reused} reused)."
    )


def _echo_err(text: str) -> None:
    click.echo(text, err=True)
