"""Build a new insight record from given values, asking for missing ones, and write it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from insightmap import dates, hints
from insightmap.project import Project
from insightmap.vocabulary import VOCABULARY_FIELDS
from insightmap.write import render_record, slugify, write_new

LISTS = VOCABULARY_FIELDS
REQUIRED_LISTS = ("perspective", "subpopulation")


def new_insight(project: Project, values: dict[str, Any], body: str, ask: bool, default_date: str) -> Path:
    """Validate values (asking for missing required ones when allowed) and write the record."""
    from insightmap.validate import TITLE_MAX

    vocabulary = project.vocabulary
    fields: dict[str, Any] = {}
    title = values.get("title") or _need("title", ask, lambda: click.prompt("Title (one sentence)"))
    title = " ".join(str(title).split())
    if len(title) > TITLE_MAX:
        raise click.BadParameter(f"at most {TITLE_MAX} characters", param_hint="--title")
    fields["title"] = title
    org_ref = values.get("organisation") or _need(
        "organisation", ask, lambda: click.prompt("Organisation (key or SCB code)")
    )
    org = project.register.resolve(str(org_ref))
    if org is None:
        raise click.BadParameter(f"unknown organisation `{org_ref}`", param_hint="--organisation")
    fields["organisation"] = org.key
    date = values.get("date") or (click.prompt("Date gathered", default=default_date) if ask else None)
    if not date:
        raise click.UsageError("missing --date (YYYY, YYYY-MM or YYYY-MM-DD)")
    try:
        fields["date"] = str(dates.parse(str(date)))
    except dates.DateError as exc:
        raise click.BadParameter(f"{exc.message}; {exc.hint}", param_hint="--date") from None
    for name in LISTS:
        given = list(values.get(name) or ())
        if not given and name in REQUIRED_LISTS:
            if not ask:
                raise click.UsageError(
                    f"missing --{name}; one or more of: " + ", ".join(vocabulary.keys(name))
                )
            given = _ask_choices(name, vocabulary.keys(name))
        keys = []
        for value in given:
            key = vocabulary.normalise(name, value)
            if key is None:
                close = vocabulary.suggest(name, value)
                hint = " " + hints.phrase(close, sentence=True) if close else ""
                raise click.BadParameter(f"unknown {name} `{value}`.{hint}", param_hint=f"--{name}")
            if key not in keys:
                keys.append(key)
        fields[name] = keys
    if values.get("study"):
        fields["study"] = values["study"]
    if values.get("visibility") and values["visibility"] != "internal":
        fields["visibility"] = values["visibility"]
    if values.get("quotes"):
        fields["quotes"] = list(values["quotes"])
    body = body or (
        "Vad vi lärde oss, av vilka (på gruppnivå), hur, och vad det innebär."
        if project.config.language == "sv"
        else "What we learned, from whom (at group level), how, and what it implies."
    )
    text = render_record(fields, body)
    folder = project.insights_dir / org.key
    path = folder / f"{slugify(title)}.md"
    _refuse_personal_data(project, path, text)
    write_new(path, text)
    return path


def _need(name: str, ask: bool, prompt: Any) -> Any:
    if not ask:
        raise click.UsageError(f"missing --{name}")
    return prompt()


def _ask_choices(name: str, keys: list[str]) -> list[str]:
    click.echo(f"{name}: " + ", ".join(f"{i + 1}={k}" for i, k in enumerate(keys)))
    answer = click.prompt(f"Choose {name} (numbers or keys, comma-separated)")
    chosen = []
    for part in str(answer).split(","):
        part = part.strip()
        if part.isdigit() and 1 <= int(part) <= len(keys):
            chosen.append(keys[int(part) - 1])
        elif part:
            chosen.append(part)
    return chosen


def _refuse_personal_data(project: Project, path: Path, text: str) -> None:
    """Refuse (exit 1, located and masked, nothing written) a record holding personal data.

    The same scan as `check`: the file name, the front-matter as written and
    decoded, the body as written and as a reader sees it.
    """
    from insightmap.errors import InsightmapError, relpath
    from insightmap.privacy import name_problems, problems, scan_document
    from insightmap.yamlfile import Document, parse_mapping

    allow = project.privacy_allow
    rel = relpath(path, project.root)
    found = name_problems(rel, allow)
    if not found:
        lines = text.split("\n")
        close = lines.index("---", 1)  # render_record always closes its front-matter so
        front = parse_mapping("\n".join(lines[1:close]), rel, first_line=2)
        document = Document(path, front, "\n".join(lines[close + 1 :]), close + 2, text)
        found = problems(rel, scan_document(document, allow))
    if found:
        report = "\n".join(p.format() for p in found)
        raise InsightmapError(
            f"{report}\nthe record would hold residents' personal data; nothing was written"
        )
