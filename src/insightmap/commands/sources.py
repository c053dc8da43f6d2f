"""`insightmap sources update|status`: pin the sources of a regional site, or show them."""

from __future__ import annotations

import click

from insightmap.commands._common import project_from
from insightmap.sources.update import Outcome


@click.group("sources")
def command() -> None:
    """Fetch and pin the sources of a regional site (insightmap.yml `sources:`), or show them.

    A source is another insightmap project, a git repository or a folder. `update`
    fetches each git source with plain git into build/sources/, checks it with its own
    project's rules and records the commit in insightmap.lock; build, check and every
    analysis then read the locked commits only, with no network.
    """
    pass  # the group only names its subcommands: update and status


@command.command("update")
@click.argument("names", nargs=-1, metavar="[NAME]...")
@click.pass_context
def update(ctx: click.Context, names: tuple[str, ...]) -> None:
    """Fetch each git source (or those named), check it and lock the commit that passes.

    A source whose new commit fails its check keeps its last good commit; the
    problems are printed and the exit code is 1.
    """
    from insightmap.sources.update import update as run_update

    outcomes = run_update(project_from(ctx), names)
    for outcome in outcomes:
        click.echo(_updated(outcome))
    ctx.exit(1 if any(o.failed for o in outcomes) else 0)


@command.command("status")
@click.argument("names", nargs=-1, metavar="[NAME]...")
@click.option("--offline", is_flag=True, help="Show the lock only; fetch nothing.")
@click.pass_context
def status(ctx: click.Context, names: tuple[str, ...], offline: bool) -> None:
    """Show each source's locked commit, date and record counts, and what an update would change.

    The lock is never changed; without --offline each git source is fetched to compare.
    """
    from insightmap.sources.update import status as run_status

    outcomes = run_status(project_from(ctx), offline, names)
    for outcome in outcomes:
        click.echo(_status(outcome, offline))
    if not outcomes:
        click.echo("no sources in insightmap.yml")


def _counts(records: dict[str, int]) -> str:
    words = {
        "insights": ("insight", "insights"),
        "studies": ("study", "studies"),
        "actions": ("action", "actions"),
    }
    return ", ".join(f"{n} {words[k][n != 1]}" for k, n in records.items() if k in words)


def _kept(outcome: Outcome) -> str:
    new = f"{outcome.new[:7]} not locked, " if outcome.new else ""
    return new + (f"kept at {outcome.locked.short}" if outcome.locked else "nothing locked yet")


def _problems(outcome: Outcome, tail: str) -> str:
    """Return a source's problems, each on its own line, named by the source and ending in tail."""
    name = outcome.source.name
    if outcome.error:
        return f"{name}: {outcome.error.removeprefix(name + ': ')} — {tail}"
    lines = []
    for problem in outcome.problems:
        first, *hint = problem.format().split("\n")
        lines.append("\n".join([f"{name}: {first} — {tail}", *hint]))
    return "\n".join(lines)


def _updated(outcome: Outcome) -> str:
    """Return what `update` did with one source."""
    name, locked = outcome.source.name, outcome.locked
    if outcome.source.path is not None:
        text = f"{name}: folder {outcome.source.path} (read as it is, never locked)"
        text += f": {_counts(outcome.new_records)}"
        return _problems(outcome, "fix it in the folder") if outcome.failed else text
    if outcome.failed:
        return _problems(outcome, _kept(outcome))
    assert locked is not None
    if outcome.commits == 0:
        return f"{name}: up to date at {locked.short} ({locked.date[:10]}): {_counts(locked.records)}"
    ahead = f", {outcome.commits} commit(s) after the last lock" if outcome.commits else ""
    return f"{name}: locked at {locked.short} ({locked.date[:10]}{ahead}): {_counts(locked.records)}"


def _status(outcome: Outcome, offline: bool) -> str:
    """Return one source as locked, and what an update would change."""
    name, locked, source = outcome.source.name, outcome.locked, outcome.source
    if source.path is not None:
        head = f"{name}: folder {source.path}, read as it is: {_counts(outcome.new_records)}"
        return head + (
            f"\n    {len(outcome.problems)} problem(s); run `insightmap check`" if outcome.failed else ""
        )
    head = f"{name}: {source.where}: " + (
        f"locked at {locked.short} ({locked.date[:10]}): {_counts(locked.records)}"
        if locked
        else "not locked yet"
    )
    if offline:
        return head
    if outcome.failed:
        return (
            head
            + "\n    "
            + _problems(outcome, "an update would keep " + (locked.short if locked else "nothing"))
        )
    if not outcome.changed:
        return head + "\n    up to date"
    assert outcome.new is not None
    ahead = f" ({outcome.commits} commit(s))" if outcome.commits is not None else ""
    change = _change(locked.records if locked else {}, outcome.new_records)
    return (
        head + f"\n    an update would lock {outcome.new[:7]}{ahead}: {_counts(outcome.new_records)}{change}"
    )


def _change(old: dict[str, int], new: dict[str, int]) -> str:
    """Return how the counts would change, e.g. ` (+2 insights, -1 study)`, or nothing."""
    moved = {k: new.get(k, 0) - old.get(k, 0) for k in new}
    parts = [_counts({k: abs(d)}).replace(" ", " ", 1) for k, d in moved.items() if d]
    signs = ["+" if d > 0 else "-" for d in moved.values() if d]
    return " (" + ", ".join(s + p for s, p in zip(signs, parts, strict=True)) + ")" if parts else ""
