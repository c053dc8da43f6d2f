"""`insightmap gaps`: the white-spot report (vita fläckar)."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import click

from insightmap.analyse.gaps import DIMENSIONS
from insightmap.commands._common import checked_project, chosen_selection
from insightmap.commands.options import (
    excel_option,
    format_option,
    map_option,
    output_option,
    selection_options,
)
from insightmap.errors import InsightmapError

#: Output file suffix → what is written there.
SUFFIXES = {".svg": "svg", ".png": "png", ".md": "markdown", ".csv": "csv", ".json": "json", ".txt": "table"}


@click.command("gaps")
@selection_options
@map_option
@click.option(
    "--rows",
    type=click.Choice(DIMENSIONS),
    default="perspective",
    show_default=True,
    help="The dimension down the matrix.",
)
@click.option(
    "--cols",
    type=click.Choice(DIMENSIONS),
    default="subpopulation",
    show_default=True,
    help="The dimension across the matrix.",
)
@click.option(
    "--thin",
    type=click.IntRange(1),
    metavar="N",
    help="A cell with fewer insights than N is thin (default: thin_threshold, 2).",
)
@click.option(
    "--stale-years",
    type=click.IntRange(0),
    metavar="N",
    help="A cell whose newest insight is older than N years is stale (default: stale_years, 3).",
)
@click.option(
    "--today",
    type=click.DateTime(["%Y-%m-%d"]),
    metavar="YYYY-MM-DD",
    help="The date staleness is measured from (default: today; set it for reproducible builds).",
)
@format_option("table", "markdown", "csv", "json")
@output_option(
    "Write to FILE instead of printing: .svg/.png draw the chart; .md, .csv, .json, .txt choose the format.",
    suffixes=tuple(SUFFIXES),
)
@excel_option
@click.option(
    "--fail-on",
    type=click.Choice(["empty", "thin"]),
    help="Exit 1 when any cell is empty (or, with thin, empty or thin), naming the cells.",
)
@click.pass_context
def command(
    ctx: click.Context,
    map_name: str | None,
    rows: str,
    cols: str,
    thin: int | None,
    stale_years: int | None,
    today: datetime.datetime | None,
    fmt: str,
    output: Path | None,
    excel: bool,
    fail_on: str | None,
    **options: Any,
) -> None:
    """Show where nobody has listened yet: the white spots of a two-dimensional matrix.

    By default the matrix is perspective × sub-population over all insights; every
    vocabulary value is shown, also those without any insight. Each cell gets a
    count, a status (empty, thin, covered), its newest date, whether it is stale,
    and the planned or ongoing studies that are filling it. Several studies aimed
    at the same cell are flagged as a risk of insight fatigue.

    \b
    Examples:
      insightmap gaps
      insightmap gaps --rows region --cols area --organisation karlskrona
      insightmap gaps -o vita-flackar.svg --today 2026-01-01
      insightmap gaps --rows perspective --cols subpopulation --fail-on empty
      insightmap gaps -o vita-flackar.csv --excel
    """
    from insightmap.analyse.gaps import compute_gaps

    if rows == cols:
        raise click.UsageError("--rows and --cols must be two different dimensions")
    checked = checked_project(ctx)
    corpus = checked.corpus
    selection, _ = chosen_selection(checked, map_name, options, ("insight",))
    day = today.date() if today else None
    report = compute_gaps(
        None, corpus, rows=rows, cols=cols, thin=thin, stale_years=stale_years, today=day, selection=selection
    )
    _write(output, fmt, excel, report, corpus)
    if fail_on:
        _check_fail_on(fail_on, report, corpus)


def _write(output: Path | None, fmt: str, excel: bool, report: Any, corpus: Any) -> None:
    """Write the report to output (its suffix says the format) or print it in fmt; csv for Excel."""
    from insightmap.write import write_atomic

    kind = SUFFIXES[output.suffix.lower()] if output is not None else fmt
    if excel and kind != "csv":
        raise click.BadParameter("--excel is for csv (--format csv or -o FILE.csv)", param_hint="--excel")
    if output is None and not excel:
        _print(fmt, report, corpus)
        return
    data = _render(kind, report, corpus)
    if excel:
        from insightmap.sheets.sheet_write import excel_csv

        data = excel_csv(str(data))
    if output is None:
        click.echo(data.decode("utf-8-sig") if isinstance(data, bytes) else data, nl=False)  # no BOM here
        return
    write_atomic(output, data)
    click.echo(f"wrote {output}", err=True)


def _render(kind: str, report: Any, corpus: Any) -> str | bytes:
    from insightmap.render import gaps as render

    if kind in ("svg", "png"):
        return render.draw_gap_chart(report, corpus, kind)
    if kind == "markdown":
        return render.to_markdown(report, corpus) + "\n"
    if kind == "csv":
        return render.to_csv(report, corpus)
    if kind == "json":
        return render.to_json(report, corpus)
    return _table_text(report, corpus)


def _print(fmt: str, report: Any, corpus: Any) -> None:
    if fmt != "table":
        click.echo(_render(fmt, report, corpus), nl=False)
        return
    from rich.console import Console

    _print_table(Console(), report, corpus)


def _table_text(report: Any, corpus: Any) -> str:
    """Return the terminal table, legend and summary as plain text (for -o FILE.txt)."""
    import io

    from rich.console import Console

    buffer = io.StringIO()
    _print_table(Console(file=buffer, width=120, color_system=None), report, corpus)
    return buffer.getvalue()


def _print_table(console: Any, report: Any, corpus: Any) -> None:
    from insightmap.render.gaps import legend, summarise, to_table

    console.print(to_table(report, corpus))
    console.print(
        "  ".join(f"{mark} {meaning}" for mark, meaning in legend(report, corpus)),
        style="dim",
        highlight=False,
        markup=False,
    )
    console.print()
    for line in summarise(report, corpus):
        console.print(f"• {line}", highlight=False, markup=False)


def _check_fail_on(fail_on: str, report: Any, corpus: Any) -> None:
    """Raise (exit 1) when cells have the status named by --fail-on (thin includes empty)."""
    from insightmap.render.gaps import cell_label

    statuses = ("empty",) if fail_on == "empty" else ("empty", "thin")
    bad = report.with_status(*statuses)
    if bad:
        names = "\n".join(f"  {c.row} × {c.col} ({cell_label(report, c, corpus)}): {c.count}" for c in bad)
        raise InsightmapError(f"{len(bad)} cell(s) are {' or '.join(statuses)}:\n{names}")
