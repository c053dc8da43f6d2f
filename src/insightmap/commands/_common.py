"""Helpers shared by the commands: finding the project, loading, output options."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, overload

import click

from insightmap.errors import InsightmapError, Problem
from insightmap.project import Project, open_project
from insightmap.records import Corpus

if TYPE_CHECKING:
    from insightmap.pipeline import Checked

F = TypeVar("F", bound=Callable[..., Any])


def project_from(ctx: click.Context) -> Project:
    """Open the project named by -C, or the one around the current folder."""
    start = (ctx.find_root().obj or {}).get("project") or Path.cwd()
    if not Path(start).is_dir():
        raise click.UsageError(f"no such folder: {start}")
    return open_project(Path(start))


def checked_project(ctx: click.Context, public: bool = False, strict: bool = False) -> Checked:
    """Load and check the project once (pipeline.check); with strict, stop on any problem, else warn."""
    from insightmap import pipeline
    from insightmap.progress import bar

    start = (ctx.find_root().obj or {}).get("project") or Path.cwd()
    if not Path(start).is_dir():
        raise click.UsageError(f"no such folder: {start}")
    with bar("Reading records") as progress:
        checked = pipeline.check(Path(start), public=public, progress=progress)
    if strict:
        return checked.require_clean()
    if checked.problems:
        click.echo(
            f"warning: {len(checked.problems)} problem(s) in the project; the records concerned are left "
            "out. Run `insightmap check` for details.",
            err=True,
        )
    return checked


def load_corpus(ctx: click.Context, strict: bool = False) -> tuple[Project, Corpus]:
    """Load the project's records; with strict, stop on any problem, else warn and go on."""
    checked = checked_project(ctx, strict=strict)
    return checked.project, checked.corpus


@overload
def checked_output(ctx: click.Context, output: Path, site: bool = False) -> Path: ...


@overload
def checked_output(ctx: click.Context, output: Path | None, site: bool = False) -> Path | None: ...


def checked_output(ctx: click.Context, output: Path | None, site: bool = False) -> Path | None:
    """Check an -o target before anything is written (see write.check_output); None stays None."""
    from insightmap.write import check_output

    if output is None and not site:
        return None
    project = project_from(ctx)
    return check_output(output if output is not None else Path(project.root) / "site", project.root, site)


def extra_problems(project: Project) -> list[Problem]:
    """Return problems of project files beyond the records (map definitions)."""
    try:
        from insightmap.maps import load_map_definitions
    except ImportError:
        return []
    return load_map_definitions(project)[1]


def format_option(*choices: str, default: str = "table") -> Callable[[F], F]:
    """Add a `--format` option with the given choices."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(choices),
        default=default,
        show_default=True,
        help="Output format.",
    )


def echo_json(data: Any) -> None:
    """Print data as stable, indented JSON."""
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False))


def is_terminal() -> bool:
    """Return True when stdout is an interactive terminal."""
    return sys.stdout.isatty()


__all__ = ["InsightmapError", "project_from", "load_corpus", "format_option", "echo_json"]


def selection_options(func: F) -> F:
    """Add the record filters shared by list, map and gaps (each repeatable, key or label)."""
    from insightmap.vocabulary import VOCABULARY_FIELDS

    options = [
        click.option(
            "--organisation",
            "organisation",
            multiple=True,
            metavar="KEY",
            help="Organisation key or SCB code (repeatable).",
        ),
        click.option(
            "--organisation-type",
            "organisation_type",
            multiple=True,
            metavar="TYPE",
            help="Organisation type, e.g. municipality, civil-society (repeatable).",
        ),
        click.option(
            "--county", multiple=True, metavar="CODE", help="SCB county code, e.g. 01 (repeatable)."
        ),
        *(
            click.option(
                f"--{name}",
                name,
                multiple=True,
                metavar="VALUE",
                help=f"Only records with this {name} (key or label; repeatable).",
            )
            for name in VOCABULARY_FIELDS
        ),
        click.option("--since", metavar="DATE", help="Only records dated on or after (YYYY[-MM[-DD]])."),
        click.option("--until", metavar="DATE", help="Only records dated on or before."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def selection_from(corpus: Corpus, options: dict[str, Any], kinds: tuple[str, ...] = ()) -> Any:
    """Build a Selection from command options, normalising values; bad values are usage errors."""
    from insightmap.select import Selection
    from insightmap.validate import DATE
    from insightmap.vocabulary import VOCABULARY_FIELDS

    values: dict[str, tuple[str, ...]] = {}
    for name in VOCABULARY_FIELDS:
        keys = []
        for value in options.get(name) or ():
            key = corpus.vocabulary.normalise(name, value)
            if key is None:
                close = corpus.vocabulary.suggest(name, value)
                hint = f" Did you mean `{close}`?" if close else ""
                raise click.BadParameter(f"unknown {name} `{value}`.{hint}", param_hint=f"--{name}")
            keys.append(key)
        values[name] = tuple(keys)
    organisations = []
    for ref in options.get("organisation") or ():
        org = corpus.register.resolve(ref)
        if org is None:
            raise click.BadParameter(f"unknown organisation `{ref}`", param_hint="--organisation")
        organisations.append(org.key)
    types = []
    for ref in options.get("organisation_type") or ():
        key = corpus.vocabulary.normalise("organisation-type", ref)
        if key is None:
            raise click.BadParameter(f"unknown organisation type `{ref}`", param_hint="--organisation-type")
        types.append(key)
    for name in ("since", "until"):
        if options.get(name) and not DATE.match(options[name]):
            raise click.BadParameter("use YYYY, YYYY-MM or YYYY-MM-DD", param_hint=f"--{name}")
    return Selection(
        organisations=tuple(organisations),
        organisation_types=tuple(types),
        counties=tuple(options.get("county") or ()),
        values=values,
        date_from=options.get("since"),
        date_to=options.get("until"),
        kinds=kinds,
    )
