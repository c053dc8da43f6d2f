"""`insightmap report`: the board report, one self-contained HTML file."""

from __future__ import annotations

from pathlib import Path

import click

from insightmap.commands._common import checked_project, organisation_keys
from insightmap.commands.options import date_option, organisation_option, output_option, public_option


@click.command("report")
@date_option(
    "--since", "Show insights dated on or after this as new (YYYY[-MM[-DD]]; default: 3 months ago)."
)
@organisation_option
@public_option
@output_option("The HTML file to write.", required=True)
@click.pass_context
def command(
    ctx: click.Context, since: str | None, organisation: tuple[str, ...], public: bool, output: Path
) -> None:
    """Write the board report: one self-contained HTML file for a committee meeting.

    New insights since a date, the insight map, the largest white spots and
    what fills them, recurring insights, the chain from insight to change (new
    actions, reuse across organisations, insights waiting for a decision, and
    month by month from git when the project is a repository) and the studies
    under way. Pictures and styles are inside the file and nothing is loaded
    from the internet; it prints on A4. Swedish unless the project's language is `en`.
    """
    from insightmap.report import build_report, read_history_if_any, render_html
    from insightmap.write import write_atomic

    checked = checked_project(ctx, public=public)
    organisations = organisation_keys(checked.corpus, organisation)
    history = None if public else read_history_if_any(checked.project)
    report = build_report(checked.corpus, since, organisations, public, history=history)
    write_atomic(output, render_html(report, checked.corpus))
    click.echo(f"wrote {output}: {len(report.new)} new insight(s), {report.vmap.total} on the map")
