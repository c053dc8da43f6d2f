"""A new action record (*förändring*) from given values: each value checked, then the record written.

The checks of a new insight (newrecord.py) plus an action's own: a status from
the action statuses, and builds-on naming insights that exist in the project.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from insightmap import hints
from insightmap.load.project import Project
from insightmap.newrecord import (
    InvalidValue,
    MissingValue,
    _refuse_personal_data,
    date,
    organisation,
    title,
    vocabulary_keys,
)
from insightmap.write import render_record, slugify, write_new

#: The folder below an organisation's folder that new actions go in.
FOLDER = "forandringar"
#: The vocabulary fields an action may carry.
ACTION_LISTS = ("shift", "theme", "area")
#: Options of `new` that belong to insights only.
INSIGHT_ONLY = ("perspective", "subpopulation", "method", "study", "quotes")


def status(project: Project, value: str) -> str:
    """Return the key of an action status (key or label), or refuse it with the statuses."""
    key = project.vocabulary.normalise("action-status", str(value))
    if key is None:
        known = ", ".join(project.vocabulary.keys("action-status"))
        raise InvalidValue("status", f"unknown status `{value}`; an action is one of {known}")
    return key


def builds_on(project: Project, ids: Iterable[str]) -> list[str]:
    """Return the insight ids an action builds on, refusing an id that is no insight of the project."""
    from insightmap.load import load
    from insightmap.load.ids import normalise

    corpus, _ = load(project)
    kinds = {r.id: r.kind for r in corpus.records}
    insights = sorted(i for i, kind in kinds.items() if kind == "insight")
    found: list[str] = []
    for given in ids:
        insight = normalise(str(given).strip())
        kind = kinds.get(insight)
        if kind != "insight":
            what = f"is a {kind}" if kind else "is no insight"
            hint = hints.did_you_mean(insight, insights, "")
            raise InvalidValue("builds-on", f"`{insight}` {what}" + (f"; {hint}" if hint else ""))
        if insight not in found:
            found.append(insight)
    return found


def new_action(project: Project, values: dict[str, Any], body: str = "") -> Path:
    """Check every value, write insights/<organisation>/forandringar/<title>.md and return its path."""
    for name in INSIGHT_ONLY:
        if values.get(name):
            raise InvalidValue(name, f"an action has no {name}; it builds on insights that have")
    for name in ("title", "organisation", "date", "status"):
        if not values.get(name):
            choices = project.vocabulary.keys("action-status") if name == "status" else None
            raise MissingValue(name, choices)
    if not values.get("builds_on"):
        raise MissingValue("builds-on")
    fields: dict[str, Any] = {"kind": "action"}
    fields["title"] = title(values["title"])
    fields["organisation"] = organisation(project, values["organisation"])
    fields["date"] = date(values["date"])
    fields["status"] = status(project, values["status"])
    fields["builds-on"] = builds_on(project, values["builds_on"])
    for name in ACTION_LISTS:
        fields[name] = vocabulary_keys(project, name, values.get(name) or ())
    if values.get("contact"):
        fields["contact"] = " ".join(str(values["contact"]).split())
    if values.get("visibility") and values["visibility"] != "internal":
        fields["visibility"] = values["visibility"]
    text = render_record(fields, body or _placeholder_action(project))
    path = project.insights_dir / fields["organisation"] / FOLDER / f"{slugify(fields['title'])}.md"
    _refuse_personal_data(project, path, text)
    write_new(path, text)
    return path


def _placeholder_action(project: Project) -> str:
    """Return the body a new action starts with, saying what to write."""
    from insightmap.load.placeholders import placeholder

    return placeholder("action", project.config.language)
