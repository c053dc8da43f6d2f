"""`insightmap history`: insights, actions, white spots and waiting insights month by month, from git."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from insightmap.commands._common import echo_json, project_from
from insightmap.commands.options import date_option, format_option, output_option

if TYPE_CHECKING:
    from insightmap.history import History

#: Output file suffix → the format written there.
SUFFIXES = {".svg": "svg", ".png": "png", ".json": "json", ".csv": "csv", ".md": "markdown", ".txt": "table"}


@click.command("history")
@date_option("--since", "Start at this month (YYYY or YYYY-MM; default: the first commit).")
@click.option(
    "--max-months",
    type=click.IntRange(1),
    default=60,
    show_default=True,
    metavar="N",
    help="Read at most the last N months (one commit each).",
)
@format_option("table", "json", "csv", "markdown")
@output_option(
    "Write to FILE instead of printing: .svg/.png draw the chart; .json, .csv, .md, .txt choose the format.",
    suffixes=tuple(SUFFIXES),
)
@click.pass_context
def command(ctx: click.Context, since: str | None, max_months: int, fmt: str, output: Path | None) -> None:
    """Show how the records changed over time, month by month, from the git history.

    For each month the last commit of that month is read (safely, as `diff` does:
    nothing is checked out) and counted: insights, actions, empty white-spot
    cells and insights waiting for an action. Months without commits show the
    month before. In a shallow clone the missing months are named, with how to
    fetch them.

    \b
    Examples:
      insightmap history
      insightmap history --since 2024-01 --format json
      insightmap history -o utveckling.svg
    """
    from insightmap.history import read_history
    from insightmap.render import history as render

    project = project_from(ctx)
    result = read_history(project, since=since, max_months=max_months)
    language = project.config.language
    kind = SUFFIXES[output.suffix.lower()] if output is not None else fmt
    for note in result.notes:
        click.echo(f"note: {note}", err=True)
    if kind == "json" and output is None:
        echo_json(result.to_dict())
        return
    content: str | bytes
    if kind in ("svg", "png"):
        content = render.draw_history_chart(result, kind, language)
    elif kind == "json":
        import json

        content = json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n"
    elif kind == "csv":
        content = render.to_csv(result)
    elif kind == "markdown":
        content = render.to_markdown(result, language)
    else:
        content = _table(result, language)
    if output is None:
        click.echo(content, nl=False)
        return
    from insightmap.write import write_atomic

    write_atomic(output, content)
    click.echo(f"wrote {output}", err=True)


def _table(result: History, language: str) -> str:
    """Return the months as a plain-text table."""
    from insightmap import glossary

    w = glossary.words(language)
    head = (w.Month, w.Insights, w.Actions, w.Empty_cells, w.Waiting)
    widths = [max(len(h), 7) for h in head]
    lines = ["  ".join(h.ljust(n) for h, n in zip(head, widths, strict=True))]
    for m in result.months:
        values = (m.month, m.insights, m.actions, m.empty_cells, m.waiting)
        lines.append("  ".join(str(v).ljust(n) for v, n in zip(values, widths, strict=True)))
    return "\n".join(lines) + "\n"
