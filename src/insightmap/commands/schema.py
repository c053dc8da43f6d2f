"""`insightmap schema`: print the JSON Schema of record front-matter."""

from __future__ import annotations

import click

from insightmap.commands._common import echo_json, project_from


@click.command("schema")
@click.option(
    "--kind",
    type=click.Choice(["insight", "study", "action"]),
    default=None,
    help="Only the insight, study or action schema (default: any, chosen by `kind:`).",
)
@click.option(
    "--labels",
    "accept_labels",
    is_flag=True,
    help="Also accept the Swedish and English labels and aliases in the enums.",
)
@click.pass_context
def command(ctx: click.Context, kind: str | None, accept_labels: bool) -> None:
    """Print the JSON Schema (draft 2020-12) of insight and study front-matter.

    Vocabulary fields are enums of their keys with the labels as descriptions,
    so editors can offer completion. Inside a project, the project's vocabulary
    extensions and organisations are included; elsewhere the built-in ones.
    """
    from insightmap.errors import ProjectNotFound
    from insightmap.load.vocabulary import extended
    from insightmap.schema import build_schema

    try:
        project = project_from(ctx)
        vocabulary, register = project.vocabulary, project.register
    except ProjectNotFound:
        vocabulary, register = extended({}), None
    echo_json(build_schema(vocabulary, register, kind=kind, accept_labels=accept_labels))
