"""`insightmap import`: new records from a csv or xlsx sheet, all or nothing."""

from __future__ import annotations

from pathlib import Path

import click

from insightmap.commands._common import project_from


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Validate every row and show what would be written.")
@click.pass_context
def command(ctx: click.Context, file: Path, dry_run: bool) -> None:
    """Write one new record per row of FILE (csv or xlsx) under insights/<organisation>/.

    FILE has the layout `insightmap export` writes (headers in Swedish or
    English; values as keys or labels; lists joined with `;`), e.g. filled in
    from `insightmap export --template -o mall.xlsx`. Every row is validated
    first, like `insightmap check`; if any row has a problem, nothing is
    written and every problem is listed as `FILE:row N: error[code]: message`.
    Existing files are never overwritten.
    """
    from insightmap.errors import InsightmapError
    from insightmap.spreadsheet import plan_import, write_import

    project = project_from(ctx)
    plan = plan_import(project, file)
    if plan.problems:
        for problem in plan.problems:
            click.echo(problem.format(), err=True)
        rows = len({p.row for p in plan.problems})
        raise InsightmapError(
            f"{len(plan.problems)} problem(s) in {rows} row(s) of {file.name}; nothing was written."
        )
    if dry_run:
        for path in sorted(plan.files):
            click.echo(f"would write {path.relative_to(project.root).as_posix()}")
        click.echo(f"{len(plan.files)} record(s) valid; nothing written (--dry-run).")
        return
    written = write_import(plan)
    for path in written:
        click.echo(f"created {path.relative_to(project.root).as_posix()}")
    click.echo(f"imported {len(written)} record(s) from {file.name}.")
