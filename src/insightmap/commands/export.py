"""`insightmap export`: the records as a spreadsheet (csv, xlsx) or JSON, or an empty template."""

from __future__ import annotations

from pathlib import Path

import click

from insightmap.commands._common import checked_project, project_from
from insightmap.commands.options import excel_option, format_option, output_option, public_option


@click.command("export")
@format_option("csv", "xlsx", "json", default=None)
@output_option("The file to write.", required=True)
@public_option
@excel_option
@click.option(
    "--template",
    is_flag=True,
    help="Write an empty xlsx template with vocabulary drop-downs, not the records.",
)
@click.pass_context
def command(
    ctx: click.Context, fmt: str | None, output: Path, public: bool, excel: bool, template: bool
) -> None:
    """Write one row per record (insights, then studies) to a csv, xlsx or json file.

    Column headers are Swedish (English when the project's language is `en`);
    vocabulary values are keys, list fields are joined with `; `, quotes go one
    per line. `insightmap import` reads the same layout back. With --template,
    writes an empty xlsx whose cells offer the vocabulary as drop-downs (Swedish
    labels; English with `language: en`). A csv is comma-separated (RFC 4180) with a
    UTF-8 BOM; --excel makes it `;`-separated, which Excel with Swedish regional
    settings opens in columns on a double-click.
    """
    from insightmap.sheets.spreadsheet import FORMATS, export_table
    from insightmap.write import write_atomic

    fmt = fmt or output.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise click.BadParameter("give --format csv, xlsx or json", param_hint="--format")
    if excel and fmt != "csv":
        raise click.BadParameter("--excel is for a csv file", param_hint="--excel")
    if template:
        _template(ctx, fmt, output)
        return
    corpus = checked_project(ctx, public=public).corpus
    write_atomic(output, export_table(corpus, fmt, excel=excel))
    click.echo(f"wrote {len(corpus.insights)} insight(s) and {len(corpus.studies)} study(ies) to {output}")


def _template(ctx: click.Context, fmt: str, output: Path) -> None:
    """Write the empty xlsx template (no records are read)."""
    from insightmap.sheets.spreadsheet import template_xlsx
    from insightmap.write import write_atomic

    if fmt != "xlsx":
        raise click.BadParameter("the template is an xlsx file", param_hint="--format")
    project = project_from(ctx)
    write_atomic(output, template_xlsx(project.vocabulary, project.register, project.config.language))
    click.echo(f"wrote the template {output}")
