"""`insightmap diff`: what a change does to the insights, the white spots and the map."""

from __future__ import annotations

import click

from insightmap.commands._common import echo_json, project_from
from insightmap.commands.options import format_option


@click.command("diff")
@click.argument("rev_a", required=False, metavar="[REV_A]")
@click.argument("rev_b", required=False, metavar="[REV_B]")
@format_option("text", "markdown", "json", default="text")
@click.pass_context
def command(ctx: click.Context, rev_a: str | None, rev_b: str | None, fmt: str) -> None:
    """Compare the records at two git revisions, without checking anything out.

    REV_A defaults to the merge base of HEAD with main (or master, origin/main);
    REV_B defaults to the working tree. Reports added, removed and changed
    insights and studies, the white spots filled or opened, and how the map
    moved. `--format markdown` is meant for a merge-request comment.
    """
    from insightmap.review.gitdiff import diff_project, render_diff

    project = project_from(ctx)
    diff, corpus = diff_project(project, rev_a, rev_b)
    if fmt == "json":
        echo_json(diff.to_dict())
    else:
        click.echo(render_diff(diff, corpus, fmt), nl=False)
