"""Helpers shared by the commands: finding the project, loading it once, resolving shared options."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, overload

import click

from insightmap.errors import ProblemsFound, relpath
from insightmap.load.project import Project, open_project

if TYPE_CHECKING:
    from insightmap.load.maps import MapDefinition
    from insightmap.pipeline import Checked
    from insightmap.records import Corpus
    from insightmap.select import Selection


def _start(ctx: click.Context) -> Path:
    """Return the folder named by -C, or the current folder; a missing one is wrong usage."""
    start = (ctx.find_root().obj or {}).get("project") or Path.cwd()
    if not Path(start).is_dir():
        raise click.UsageError(f"no such folder: {start}")
    return Path(start)


def project_from(ctx: click.Context) -> Project:
    """Open the project named by -C, or the one around the current folder."""
    return open_project(_start(ctx))


def checked_project(
    ctx: click.Context, public: bool = False, strict: bool = False, warn: bool = True
) -> Checked:
    """Load and check the project once (pipeline.check); with strict, stop on any problem.

    Otherwise the records with problems are left out, with a warning unless warn is False
    (`check` reports the problems themselves).
    """
    from insightmap import pipeline
    from insightmap.progress import bar

    with bar("Reading records") as progress:
        checked = pipeline.check(_start(ctx), public=public, progress=progress)
    if strict:
        checked.require_clean()
    warnings = len(checked.problems) - len(checked.errors)
    if checked.errors and warn and not strict:
        click.echo(
            f"warning: {len(checked.errors)} problem(s) in the project; the records concerned are left "
            "out. Run `insightmap check` for details.",
            err=True,
        )
    elif warnings and warn:
        click.echo(f"warning: {warnings} warning(s) in the project; run `insightmap check`.", err=True)
    return checked


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


def echo_json(data: Any) -> None:
    """Print data as stable, indented JSON."""
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False))


def chosen_selection(
    checked: Checked, map_name: str | None, options: dict[str, Any], kinds: tuple[str, ...] = ()
) -> tuple[Selection, MapDefinition | None]:
    """Return the selection of --map NAME or of the filter options (never both) and the definition."""
    if map_name is None:
        return selection_from(checked.corpus, options, kinds), None
    if any(options.values()):
        raise click.UsageError("--map takes its filter from the map definition; drop the other filters")
    definition = map_definition(checked, map_name)
    return definition.selection, definition


def map_definition(checked: Checked, name: str) -> MapDefinition:
    """Return the map definition NAME; a broken one is bad input (1), an unknown one wrong usage (2)."""
    from insightmap.hints import phrase, suggest

    known = {d.name: d for d in checked.definitions}
    if name in known:
        return known[name]
    folder = checked.project.maps_dir
    files = {relpath(folder / f"{name}{suffix}", checked.project.root) for suffix in (".yml", ".yaml")}
    broken = [p for p in checked.problems if p.path in files]
    if broken:
        raise ProblemsFound(broken)
    close = suggest(name, known)
    available = f"; available: {', '.join(sorted(known))}" if known else "; maps/ has no map definitions"
    hint = f". {phrase(close, sentence=True)}" if close else ""
    raise click.BadParameter(f"no map definition `{name}` in maps/{available}{hint}", param_hint="--map")


def selection_from(corpus: Corpus, options: dict[str, Any], kinds: tuple[str, ...] = ()) -> Selection:
    """Build a Selection from the filter options, normalising values; bad values are wrong usage."""
    from insightmap.load.vocabulary import VOCABULARY_FIELDS
    from insightmap.select import Selection

    values = {name: _keys(corpus, name, options.get(name) or ()) for name in VOCABULARY_FIELDS}
    return Selection(
        organisations=organisation_keys(corpus, options.get("organisation") or ()),
        organisation_types=_keys(corpus, "organisation-type", options.get("organisation_type") or ()),
        counties=tuple(options.get("county") or ()),
        values=values,
        date_from=options.get("since"),
        date_to=options.get("until"),
        kinds=kinds,
    )


def organisation_keys(corpus: Corpus, references: tuple[str, ...]) -> tuple[str, ...]:
    """Return the keys of --organisation values (key or SCB code); an unknown one is wrong usage."""
    keys = []
    for ref in references:
        org = corpus.register.resolve(ref)
        if org is None:
            hint = corpus.register.hint(ref)
            raise click.BadParameter(f"unknown organisation `{ref}` ({hint})", param_hint="--organisation")
        keys.append(org.key)
    return tuple(keys)


def _keys(corpus: Corpus, name: str, given: tuple[str, ...]) -> tuple[str, ...]:
    """Return the vocabulary keys of option values (key or label); an unknown one is wrong usage."""
    from insightmap.hints import phrase

    keys = []
    for value in given:
        key = corpus.vocabulary.normalise(name, value)
        if key is None:
            close = corpus.vocabulary.suggest(name, value)
            hint = f" {phrase(close, sentence=True)}" if close else ""
            option = f"--{name}"
            raise click.BadParameter(f"unknown {name.replace('-', ' ')} `{value}`.{hint}", param_hint=option)
        keys.append(key)
    return tuple(keys)


__all__ = [
    "checked_output",
    "checked_project",
    "chosen_selection",
    "echo_json",
    "map_definition",
    "organisation_keys",
    "project_from",
    "selection_from",
]
