"""`insightmap export`: the records as a spreadsheet (csv, xlsx) or JSON, or an empty template."""

from __future__ import annotations

from pathlib import Path

import click

from insightmap.commands._common import checked_output, load_corpus, project_from


@click.command("export")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "xlsx", "json"]),
    default=None,
    help="Output format (default: from the file name's suffix).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The file to write.",
)
@click.option("--public", is_flag=True, help="Only records marked `visibility: public`.")
@click.option(
    "--template",
    is_flag=True,
    help="Write an empty xlsx template with vocabulary drop-downs, not the records.",
)
@click.pass_context
def command(ctx: click.Context, fmt: str | None, output: Path, public: bool, template: bool) -> None:
    """Write one row per record (insights, then studies) to a csv, xlsx or json file.

    Column headers are Swedish (English when the project's language is `en`);
    vocabulary values are keys, list fields are joined with `; `, quotes go one
    per line. `insightmap import` reads the same layout back. With --template,
    writes an empty xlsx whose cells offer the vocabulary as drop-downs.
    """
    from insightmap.spreadsheet import FORMATS, export_table, template_xlsx
    from insightmap.write import write_atomic

    output = checked_output(ctx, output)
    fmt = fmt or output.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise click.BadParameter("give --format csv, xlsx or json", param_hint="--format")
    if template:
        if fmt != "xlsx":
            raise click.BadParameter("the template is an xlsx file", param_hint="--format")
        project = project_from(ctx)
        data = template_xlsx(project.vocabulary, project.register, project.config.language)
        write_atomic(output, data)
        click.echo(f"wrote the template {output}")
        return
    _, corpus = load_corpus(ctx)
    if public:
        corpus = corpus.public()
    write_atomic(output, export_table(corpus, fmt))
    click.echo(f"wrote {len(corpus.insights)} insight(s) and {len(corpus.studies)} study(ies) to {output}")
