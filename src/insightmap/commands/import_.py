"""`insightmap import`: new records from a csv or xlsx sheet, all or nothing."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from insightmap.commands._common import project_from
from insightmap.errors import InsightmapError
from insightmap.sheets.sheet_read import Limits

if TYPE_CHECKING:
    from insightmap.sheets.spreadsheet import ImportPlan

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
    from insightmap.sheets.import_commit import import_lock, recover
    from insightmap.sheets.spreadsheet import plan_import

    project = project_from(ctx)
    limits = Limits(rows=max_rows, cells=max_cells, cell_chars=max_cell_chars, bytes=max_bytes)
    with import_lock(project.root, lambda text: click.echo(text, err=True)):
        removed = recover(project.root)
        if removed:
            click.echo(f"removed {len(removed)} record(s) left by an interrupted import", err=True)
        plan = plan_import(project, file, limits)
        if plan.encoding:
            click.echo(f"{file.name}: read as {plan.encoding}", err=True)
        _refuse_problems(plan, file)
        already = sorted(p.relative_to(project.root).as_posix() for p in plan.already)
        if dry_run:
            _show_plan(plan, project.root, already)
            return
        written = _write(plan, project.root)
    _show_written(written, project.root, already, file)


def _refuse_problems(plan: ImportPlan, file: Path) -> None:
    """Print the first problems of the sheet and stop (exit 1): nothing is written."""
    if not plan.problems:
        return
    for problem in plan.problems[:SHOWN_PROBLEMS]:
        click.echo(problem.format(), err=True)
    if len(plan.problems) > SHOWN_PROBLEMS:
        click.echo(f"… and {len(plan.problems) - SHOWN_PROBLEMS} more problem(s)", err=True)
    rows = len({p.row for p in plan.problems})
    raise InsightmapError(
        f"{len(plan.problems)} problem(s) in {rows} row(s) of {file.name}; nothing was written."
    )


def _already(shown: list[str]) -> str:
    """Return the note on rows imported before, or nothing."""
    return f"; {len(shown)} already imported" if shown else ""


def _show_plan(plan: ImportPlan, root: Path, already: list[str]) -> None:
    """Print what --dry-run would write."""
    for path in sorted(plan.files):
        click.echo(f"would write {path.relative_to(root).as_posix()}")
    click.echo(f"{len(plan.files)} record(s) valid{_already(already)}; nothing written (--dry-run).")


def _write(plan: ImportPlan, root: Path) -> list[Path]:
    """Write the planned records, all or nothing; a failure of the disk names the file."""
    from insightmap.sheets.spreadsheet import write_import

    try:
        return write_import(plan, root)
    except OSError as exc:
        where = f" {exc.filename}" if exc.filename else ""
        raise InsightmapError(f"cannot write{where}: {exc.strerror or exc}; nothing was written.") from exc


def _show_written(written: list[Path], root: Path, already: list[str], file: Path) -> None:
    """Print the records created, those imported before, and the count."""
    for path in written:
        click.echo(f"created {path.relative_to(root).as_posix()}")
    for rel in already[:SHOWN_PROBLEMS]:
        click.echo(f"already imported {rel}")
    if len(already) > SHOWN_PROBLEMS:
        click.echo(f"… and {len(already) - SHOWN_PROBLEMS} more already imported")
    click.echo(f"imported {len(written)} record(s) from {file.name}{_already(already)}.")
