"""`insightmap report`: the board report, one self-contained HTML file."""

from __future__ import annotations

from pathlib import Path

import click

from insightmap.commands._common import checked_output, load_corpus


@click.command("report")
@click.option(
    "--since",
    metavar="DATE",
    help="Show insights dated on or after this as new (YYYY[-MM[-DD]]; default: 3 months ago).",
)
@click.option(
    "--organisation",
    "organisations",
    multiple=True,
    metavar="KEY",
    help="Only these organisations (key or SCB code; repeatable).",
)
@click.option("--public", is_flag=True, help="Only records marked `visibility: public`.")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The HTML file to write.",
)
@click.pass_context
def command(
    ctx: click.Context, since: str | None, organisations: tuple[str, ...], public: bool, output: Path
) -> None:
    """Write the board report: one self-contained HTML file for a committee meeting.

    New insights since a date, the insight map, the largest white spots and
    what fills them, recurring insights and the studies under way. Pictures
    and styles are inside the file and nothing is loaded from the internet;
    it prints on A4. Swedish unless the project's language is `en`.
    """
    from insightmap.commands._common import selection_from
    from insightmap.report import build_report, render_html
    from insightmap.write import write_atomic

    output = checked_output(ctx, output)
    _, corpus = load_corpus(ctx)
    selection = selection_from(corpus, {"organisation": organisations, "since": since})
    report = build_report(corpus, since=since, organisations=selection.organisations, public=public)
    write_atomic(output, render_html(report, corpus))
    click.echo(f"wrote {output}: {len(report.new)} new insight(s), {report.vmap.total} on the map")
