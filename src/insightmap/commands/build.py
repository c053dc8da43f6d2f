"""`insightmap build`: check the records, then build the insight site into site/."""

from __future__ import annotations

from pathlib import Path

import click

from insightmap.commands._common import load_corpus


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
    """
    from insightmap.site.build import build_site

    project, corpus = load_corpus(ctx, strict=True)
    if public:
        corpus = corpus.public()
    out = output if output is not None else Path(project.root) / "site"
    result = build_site(project, corpus, out.resolve(), engine=engine, strict=strict)
    seconds = sum(v for k, v in result.timings.items() if "." not in k)
    drawn = int(result.timings.get("generate.charts drawn", 0))
    reused = int(result.timings.get("generate.charts reused", 0))
    click.echo(
        f"Built {result.pages} pages into {out} in {seconds:.1f} s "
        f"({result.written} changed, {result.removed} removed in build/docs; "
        f"{drawn} charts drawn, {reused} reused)."
    )
