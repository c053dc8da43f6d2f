"""`insightmap new`: write a new insight or action (--kind action) from flags, asking for what is missing."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import click

from insightmap import clock
from insightmap.commands._common import project_from
from insightmap.load.project import Project
from insightmap.newrecord import InvalidValue, MissingValue


@click.command("new")
@click.option(
    "--kind",
    type=click.Choice(["insight", "action"]),
    default="insight",
    show_default=True,
    help="An insight, or an action (förändring) that builds on insights.",
)
@click.option("--title", help="The insight in one sentence.")
@click.option("--organisation", metavar="KEY", help="Who gathered it (key or SCB code).")
@click.option("--date", metavar="DATE", help="When it was gathered: YYYY, YYYY-MM or YYYY-MM-DD.")
@click.option(
    "--perspective",
    multiple=True,
    metavar="VALUE",
    help="active-client, risk-group, general-public.",
)
@click.option("--subpopulation", multiple=True, metavar="VALUE", help="Sub-population(s) concerned.")
@click.option("--shift", multiple=True, metavar="VALUE", help="Shift tag(s) (förflyttningar).")
@click.option("--theme", multiple=True, metavar="VALUE", help="Theme(s).")
@click.option("--area", multiple=True, metavar="VALUE", help="Service area(s).")
@click.option("--method", multiple=True, metavar="VALUE", help="Method(s) used.")
@click.option("--study", metavar="ID", help="The study (insight work) it came from.")
@click.option("--quote", "quotes", multiple=True, help="An anonymous resident quote (repeatable).")
@click.option(
    "--visibility",
    type=click.Choice(["internal", "public"]),
    default="internal",
    show_default=True,
    help="Who may see it: public records alone go on a --public site.",
)
@click.option(
    "--status", metavar="STATUS", help="An action's status: idea, decided, piloting, in-use, stopped."
)
@click.option(
    "--builds-on",
    "builds_on",
    multiple=True,
    metavar="ID",
    help="An insight the action builds on (repeatable).",
)
@click.option("--contact", metavar="ROLE", help="An action's contact: a role, not a person's name.")
@click.option("--body", default="", help="The insight in prose (Markdown).")
@click.option("--no-input", is_flag=True, help="Never ask; fail when a required value is missing.")
@click.pass_context
def command(ctx: click.Context, no_input: bool, body: str, **values: Any) -> None:
    """Write a new, valid insight to insights/<organisation>/<title>.md.

    Values may be keys or labels. Whatever required value is missing is asked
    for, with the vocabulary as choices; a wrong answer is explained and asked
    again. A wrong flag stops with exit 2. Never overwrites an existing file.
    """
    from insightmap.newrecord import new_insight

    project = project_from(ctx)
    try:
        if values.pop("kind") == "action":
            path = _new_action(project, values, body, not no_input and _stdin_is_tty())
        else:
            for name in ("status", "builds_on", "contact"):
                if values.pop(name):
                    raise InvalidValue(name.replace("_", "-"), "belongs to an action (--kind action)")
            if not no_input and _stdin_is_tty():
                values = _dialogue(project, values)
            path = new_insight(project, values, body)
    except InvalidValue as exc:
        raise click.BadParameter(exc.reason, param_hint=f"--{exc.field}") from None
    except MissingValue as exc:
        choices = "; one or more of: " + ", ".join(exc.choices) if exc.choices else ""
        raise click.UsageError(f"missing --{exc.field}{choices}") from None
    click.echo(f"Wrote {path.relative_to(project.root).as_posix()}")


def _dialogue(project: Project, values: dict[str, Any]) -> dict[str, Any]:
    """Check the given values in order and ask for each missing required one until it is right."""
    from insightmap import newrecord

    answers = dict(values)
    questions: list[tuple[str, str, Callable[[str], Any], str | None]] = [
        ("title", "Title (one sentence)", newrecord.title, None),
        (
            "organisation",
            "Organisation (key or SCB code)",
            lambda v: newrecord.organisation(project, v),
            None,
        ),
        ("date", "Date gathered", newrecord.date, clock.today().strftime("%Y-%m")),
    ]
    # Given values first: a wrong flag stops before anything is asked (the command line is there to edit).
    for name, _, check, _ in questions:
        if answers.get(name):
            answers[name] = check(answers[name])
    for name in newrecord.REQUIRED_LISTS:
        answers[name] = newrecord.vocabulary_keys(project, name, answers.get(name) or ())
    for name, question, check, default in questions:
        if not answers.get(name):
            answers[name] = click.prompt(question, default=default, value_proc=_again(check))
    for name in newrecord.REQUIRED_LISTS:
        answers[name] = answers[name] or _choose(project, name)
    return answers


def _new_action(project: Project, values: dict[str, Any], body: str, ask: bool) -> Any:
    """Write an action, asking (when a person can answer) for a missing title, status or builds-on."""
    from insightmap import newrecord
    from insightmap.newaction import builds_on, new_action, status

    if ask:
        questions: list[tuple[str, str, Callable[[str], Any]]] = [
            ("title", "Title (the change in one sentence)", newrecord.title),
            ("organisation", "Organisation (key or SCB code)", lambda v: newrecord.organisation(project, v)),
            ("date", "Date decided or started", newrecord.date),
            ("status", "Status (idea, decided, piloting, in-use, stopped)", lambda v: status(project, v)),
            (
                "builds_on",
                "Builds on (insight ids, comma-separated)",
                lambda v: builds_on(project, v.split(",")),
            ),
        ]
        for name, question, check in questions:
            if not values.get(name):
                values[name] = click.prompt(question, value_proc=_again(check))
    return new_action(project, values, body)


def _choose(project: Project, name: str) -> list[str]:
    """Ask for one or more vocabulary values, by number, key or label, until all are known."""
    from insightmap.newrecord import vocabulary_keys

    keys = project.vocabulary.keys(name)
    click.echo(f"{name}: " + ", ".join(f"{i + 1}={k}" for i, k in enumerate(keys)))

    def chosen(answer: str) -> list[str]:
        parts = [part.strip() for part in answer.split(",") if part.strip()]
        given = [keys[int(p) - 1] if p.isdigit() and 1 <= int(p) <= len(keys) else p for p in parts]
        if not given:
            raise InvalidValue(name, "choose one or more")
        return vocabulary_keys(project, name, given)

    answer: list[str] = click.prompt(
        f"Choose {name} (numbers or keys, comma-separated)", value_proc=_again(chosen)
    )
    return answer


def _again(check: Callable[[str], Any]) -> Callable[[str], Any]:
    """Turn a check's refusal into click's "Error: …", after which click.prompt asks again."""

    def convert(answer: str) -> Any:
        try:
            return check(answer)
        except InvalidValue as exc:
            raise click.UsageError(exc.reason) from None

    return convert


def _stdin_is_tty() -> bool:
    """Return True when a person can answer questions (tests replace this)."""
    return sys.stdin.isatty()
