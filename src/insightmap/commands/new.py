"""`insightmap new`: write a new insight record from flags, asking for what is missing."""

from __future__ import annotations

import sys

import click

from insightmap import clock
from insightmap.commands._common import project_from

LISTS = ("perspective", "subpopulation", "shift", "theme", "area", "method")


@click.command("new")
@click.option("--title", help="The insight in one sentence.")
@click.option("--organisation", metavar="KEY", help="Who gathered it (key or SCB code).")
@click.option("--date", metavar="DATE", help="When it was gathered: YYYY, YYYY-MM or YYYY-MM-DD.")
@click.option(
    "--perspective",
    multiple=True,
    metavar="VALUE",
    help="active-client, risk-group, general-public.",
)
@click.option("--subpopulation", multiple=True, metavar="VALUE", help="Sub-population(s) concerned.")
@click.option("--shift", multiple=True, metavar="VALUE", help="Shift tag(s) (förflyttningar).")
@click.option("--theme", multiple=True, metavar="VALUE", help="Theme(s).")
@click.option("--area", multiple=True, metavar="VALUE", help="Service area(s).")
@click.option("--method", multiple=True, metavar="VALUE", help="Method(s) used.")
@click.option("--study", metavar="ID", help="The study (insight work) it came from.")
@click.option("--quote", "quotes", multiple=True, help="An anonymous resident quote (repeatable).")
@click.option(
    "--visibility", type=click.Choice(["internal", "public"]), default="internal", show_default=True
)
@click.option("--body", default="", help="The insight in prose (Markdown).")
@click.option("--no-input", is_flag=True, help="Never ask; fail when a required value is missing.")
@click.pass_context
def command(ctx: click.Context, no_input: bool, body: str, **values: object) -> None:
    """Write a new, valid insight to insights/<organisation>/<title>.md.

    Values may be keys or labels. Whatever required value is missing is asked
    for, with the vocabulary as choices. Never overwrites an existing file.
    """
    from insightmap.newrecord import new_insight

    project = project_from(ctx)
    ask = not no_input and _stdin_is_tty()
    today = clock.today().strftime("%Y-%m")
    path = new_insight(project, values, body, ask=ask, default_date=today)
    click.echo(f"Wrote {path.relative_to(project.root).as_posix()}")


def _stdin_is_tty() -> bool:
    """Return True when a person can answer questions (tests replace this)."""
    return sys.stdin.isatty()
