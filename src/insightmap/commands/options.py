"""The options several commands share, each defined once with one behaviour.

`--map NAME` names a map definition in maps/, `-o/--output` is checked against what
insightmap may overwrite before anything runs, `--public` keeps public records only,
`--format` chooses the printed form, `--organisation` names organisations by key or
SCB code, and `selection_options` adds the record filters.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])

MAP_HELP = (
    "A map definition in maps/: its file name, with or without .yml (e.g. barn or barn.yml). "
    "It replaces the filter options; a path to a file elsewhere is refused."
)


def _map_name(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """Return the definition's name: `barn.yml` is `barn`; a path is wrong usage."""
    if value is None:
        return None
    if "/" in value or "\\" in value or not value.strip(". "):
        raise click.BadParameter(
            f"`{value}` is a path; give the name of a map definition in maps/, e.g. `barn`"
        )
    for suffix in (".yml", ".yaml"):
        if value.endswith(suffix):
            return value[: -len(suffix)]
    return value


def _date(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """Return a date option as written once the one date parser (dates.parse) accepted it."""
    from insightmap import dates

    if not value:
        return None
    try:
        dates.parse(value)
    except dates.DateError as exc:
        raise click.BadParameter(f"{exc.message}; {exc.hint}") from None
    return value


def date_option(name: str, help: str) -> Callable[[F], F]:
    """Add a `--since`/`--until` style DATE option: YYYY, YYYY-MM or YYYY-MM-DD, a real date."""
    return click.option(name, metavar="DATE", callback=_date, help=help)


def map_option(func: F) -> F:
    """Add `--map NAME`: a map definition in maps/ by name (resolved by _common.chosen_selection)."""
    return click.option("--map", "map_name", metavar="NAME", callback=_map_name, help=MAP_HELP)(func)


def output_option(
    help: str, *, suffixes: Sequence[str] = (), required: bool = False, site: bool = False
) -> Callable[[F], F]:
    """Add `-o/--output`: a target checked (write.check_output) before the command runs.

    suffixes, when given, are the file endings the command can write; site makes it a
    folder that defaults to site/ in the project.
    """

    def checked(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path | None:
        from insightmap.commands._common import checked_output

        if value is not None and suffixes and value.suffix.lower() not in suffixes:
            ending = ", ".join(suffixes[:-1]) + f" or {suffixes[-1]}" if len(suffixes) > 1 else suffixes[0]
            raise click.BadParameter(f"cannot tell the format of {value.name}; use a file ending in {ending}")
        return checked_output(ctx, value, site=site)

    return click.option(
        "-o",
        "--output",
        "output",
        type=click.Path(dir_okay=site, path_type=Path),
        required=required,
        callback=checked,
        help=help,
    )


def public_option(func: F) -> F:
    """Add `--public`: only records marked `visibility: public` are read."""
    return click.option("--public", is_flag=True, help="Only records marked `visibility: public`.")(func)


def excel_option(func: F) -> F:
    """Add `--excel`: csv as Excel with Swedish regional settings opens it, in columns."""
    return click.option(
        "--excel",
        is_flag=True,
        help="Write the csv for Excel with Swedish regional settings: `;`-separated, UTF-8 with a "
        "BOM (without it: comma-separated, RFC 4180). `insightmap import` reads both.",
    )(func)


def format_option(*choices: str, default: str | None = "table") -> Callable[[F], F]:
    """Add `--format` with the given choices (default None: from the -o file's suffix)."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(choices),
        default=default,
        show_default=default is not None,
        help="Output format." if default else "Output format (default: from the -o file's suffix).",
    )


def organisation_option(func: F) -> F:
    """Add `--organisation KEY` (repeatable): organisations by key or SCB code, resolved on load."""
    return click.option(
        "--organisation",
        "organisation",
        multiple=True,
        metavar="KEY",
        help="Organisation key or SCB code (repeatable).",
    )(func)


def selection_options(func: F) -> F:
    """Add the record filters shared by list, map, gaps and clusters (each repeatable, key or label)."""
    from insightmap.load.vocabulary import VOCABULARY_FIELDS

    options = [
        organisation_option,
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
        date_option("--since", "Only records dated on or after (YYYY[-MM[-DD]])."),
        date_option("--until", "Only records dated on or before."),
    ]
    for option in reversed(options):
        func = option(func)
    return func
