"""`insightmap import`: new records from a csv or xlsx sheet, all or nothing."""

from __future__ import annotations

from pathlib import Path

import click

from insightmap.commands._common import project_from
from insightmap.sheet_read import Limits

LIMITS = Limits()

#: Problems printed before "… and N more": a hostile sheet must not print millions of lines.
SHOWN_PROBLEMS = 50


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Validate every row and show what would be written.")
@click.option(
    "--max-rows", type=click.IntRange(1), default=LIMITS.rows, show_default=True, help="Rows read at most."
)
@click.option(
    "--max-cells", type=click.IntRange(1), default=LIMITS.cells, show_default=True, help="Cells read at most."
)
@click.option(
    "--max-cell-chars",
    type=click.IntRange(1),
    default=LIMITS.cell_chars,
    show_default=True,
    help="Characters in one cell at most.",
)
@click.option(
    "--max-bytes",
    type=click.IntRange(1),
    default=LIMITS.bytes,
    show_default=True,
    help="Bytes of a csv, or unpacked bytes of an xlsx, at most.",
)
@click.pass_context
def command(
    ctx: click.Context,
    file: Path,
    dry_run: bool,
    max_rows: int,
    max_cells: int,
    max_cell_chars: int,
    max_bytes: int,
) -> None:
    """Write one new record per row of FILE (csv or xlsx) under insights/.

    FILE has the layout `insightmap export` writes (headers in Swedish or
    English; values as keys or labels; lists joined with `;`), e.g. filled in
    from `insightmap export --template -o mall.xlsx`. A row with an id becomes
    insights/<id>.md; one without, insights/<organisation>/<title>.md.
    Every row is validated first, like `insightmap check`; if any row has a
    problem, nothing is written and the problems are listed as
    `FILE:row N: error[code]: message`. Existing files are never overwritten;
    a row whose file exists with the same text is reported as already imported.
    A csv may be UTF-8, UTF-16 with a byte-order mark or Windows-1252, with `,`
    or `;` between cells. An interrupted import is rolled back by the next one.
    """
    from insightmap.errors import InsightmapError
    from insightmap.import_commit import import_lock, recover
    from insightmap.spreadsheet import plan_import, write_import

    project = project_from(ctx)
    limits = Limits(rows=max_rows, cells=max_cells, cell_chars=max_cell_chars, bytes=max_bytes)
    with import_lock(project.root, lambda text: click.echo(text, err=True)):
        removed = recover(project.root)
        if removed:
            click.echo(f"removed {len(removed)} record(s) left by an interrupted import", err=True)
        plan = plan_import(project, file, limits)
        if plan.encoding:
            click.echo(f"{file.name}: read as {plan.encoding}", err=True)
        if plan.problems:
            for problem in plan.problems[:SHOWN_PROBLEMS]:
                click.echo(problem.format(), err=True)
            if len(plan.problems) > SHOWN_PROBLEMS:
                click.echo(f"… and {len(plan.problems) - SHOWN_PROBLEMS} more problem(s)", err=True)
            rows = len({p.row for p in plan.problems})
            raise InsightmapError(
                f"{len(plan.problems)} problem(s) in {rows} row(s) of {file.name}; nothing was written."
            )
        shown = sorted(p.relative_to(project.root).as_posix() for p in plan.already)
        already = f"; {len(shown)} already imported" if shown else ""
        if dry_run:
            for path in sorted(plan.files):
                click.echo(f"would write {path.relative_to(project.root).as_posix()}")
            click.echo(f"{len(plan.files)} record(s) valid{already}; nothing written (--dry-run).")
            return
        try:
            written = write_import(plan, project.root)
        except OSError as exc:
            where = f" {exc.filename}" if exc.filename else ""
            raise InsightmapError(
                f"cannot write{where}: {exc.strerror or exc}; nothing was written."
            ) from exc
    for path in written:
        click.echo(f"created {path.relative_to(project.root).as_posix()}")
    for rel in shown[:SHOWN_PROBLEMS]:
        click.echo(f"already imported {rel}")
    if len(shown) > SHOWN_PROBLEMS:
        click.echo(f"… and {len(shown) - SHOWN_PROBLEMS} more already imported")
    click.echo(f"imported {len(written)} record(s) from {file.name}{already}.")
