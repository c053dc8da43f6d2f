"""`insightmap check`: validate the whole project."""

from __future__ import annotations

import click

from insightmap.commands._common import echo_json, extra_problems, format_option, project_from

FORMATS = ("text", "json", "github", "gitlab")


@click.command("check")
@format_option(*FORMATS, default="text")
@click.pass_context
def command(ctx: click.Context, fmt: str) -> None:
    """Validate every record, map definition and setting of the project.

    Prints one line per problem, `path:line: error[code]: message`, with a hint.
    Exits 0 when the project is clean and 1 when there are problems.
    """
    from insightmap.load import load
    from insightmap.progress import bar

    project = project_from(ctx)
    with bar("Checking records") as progress:
        corpus, problems = load(project, progress)
    problems = sorted([*problems, *extra_problems(project)])
    if fmt == "json":
        echo_json([p.to_dict() for p in problems])
    elif fmt == "github":
        # GitHub Actions workflow commands: each line becomes an annotation on the file.
        def prop(text: str) -> str:
            return data(text).replace(":", "%3A").replace(",", "%2C")

        def data(text: str) -> str:
            return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

        for p in problems:
            message = p.message + (f"\nhint: {p.hint}" if p.hint else "")
            kind = "warning" if p.severity == "warning" else "error"
            click.echo(
                f"::{kind} file={prop(p.path)},line={p.line},"
                f"title={prop(f'insightmap {p.code}')}::{data(message)}"
            )
    elif fmt == "gitlab":
        # GitLab Code Quality report (artifacts: reports: codequality).
        import hashlib

        echo_json(
            [
                {
                    "description": p.message + (f" (hint: {p.hint})" if p.hint else ""),
                    "check_name": f"insightmap/{p.code}",
                    "fingerprint": hashlib.sha256(
                        f"{p.path}:{p.line}:{p.code}:{p.message}".encode()
                    ).hexdigest()[:32],
                    "severity": "minor" if p.severity == "warning" else "major",
                    "location": {"path": p.path, "lines": {"begin": p.line}},
                }
                for p in problems
            ]
        )
    else:
        for problem in problems:
            click.echo(problem.format())
        if project.privacy_allow:  # reviewed exceptions must stay visible, or they are forgotten
            click.echo(
                f"note: privacy allow-list: {len(project.privacy_allow)} reviewed exception(s) "
                "in insightmap.yml"
            )
        records = len(corpus.insights) + len(corpus.studies)
        if problems:
            files = len({p.path for p in problems})
            click.echo(f"{len(problems)} problem(s) in {files} file(s); {records} valid record(s).")
        else:
            click.echo(
                f"OK: {len(corpus.insights)} insight(s) and {len(corpus.studies)} study(ies) "
                f"from {len(corpus.organisations())} organisation(s); no problems."
            )
    ctx.exit(1 if problems else 0)
