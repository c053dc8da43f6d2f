"""`insightmap init`: scaffold a new, empty project."""

from __future__ import annotations

from pathlib import Path

import click


@click.command("init")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path), default=".")
@click.option("--example", is_flag=True, help="Also write one example insight and one map definition.")
@click.option(
    "--organisation",
    metavar="KEY",
    default="karlskrona",
    show_default=True,
    help="The organisation of the example records.",
)
def command(directory: Path, example: bool, organisation: str) -> None:
    """Create a new, empty insightmap project in DIRECTORY (default: here).

    Writes insightmap.yml, properdocs.yml, insights/, maps/ and a .gitignore.
    Refuses a folder that is not empty.
    """
    from insightmap.scaffold import scaffold

    written = scaffold(directory, example=example, organisation=organisation)
    for path in written:
        click.echo(f"created {path}")
    click.echo("Next: write records in insights/, then run `insightmap check`.")
