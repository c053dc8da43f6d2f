"""A new insight record from given values: each value checked, then the record written.

The library never asks: `insightmap new` (commands/new.py) holds the dialogue and
checks every answer with the functions here as it is typed.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from insightmap import dates, hints
from insightmap.errors import InsightmapError
from insightmap.load.project import Project
from insightmap.load.vocabulary import VOCABULARY_FIELDS
from insightmap.write import render_record, slugify, write_new

LISTS = VOCABULARY_FIELDS
REQUIRED_LISTS = ("perspective", "subpopulation")


class InvalidValue(InsightmapError):
    """A value the record cannot hold; field names it, message says why (wrong usage: exit 2)."""

    exit_code = 2

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.reason = message


class MissingValue(InsightmapError):
    """A required value was not given; choices lists what it may be (wrong usage: exit 2)."""

    exit_code = 2

    def __init__(self, field: str, choices: list[str] | None = None) -> None:
        super().__init__(f"missing {field}" + ("; one or more of: " + ", ".join(choices) if choices else ""))
        self.field = field
        self.choices = choices or []


def title(text: str) -> str:
    """Return the title on one line; refuse an empty or too long one."""
    from insightmap.load.validate import TITLE_MAX

    text = " ".join(str(text).split())
    if not text:
        raise InvalidValue("title", "write the insight in one sentence")
    if len(text) > TITLE_MAX:
        raise InvalidValue("title", f"at most {TITLE_MAX} characters")
    return text


def organisation(project: Project, reference: str) -> str:
    """Return the key of an organisation given by key or SCB code, or refuse it with a hint."""
    found = project.register.resolve(str(reference).strip())
    if found is None:
        hint = project.register.hint(reference)
        raise InvalidValue("organisation", f"unknown organisation `{reference}` ({hint})")
    return found.key


def date(text: str) -> str:
    """Return a date of the three forms (dates.parse), or refuse it with what to write."""
    try:
        return str(dates.parse(str(text).strip()))
    except dates.DateError as exc:
        raise InvalidValue("date", f"{exc.message}; {exc.hint}") from None


def vocabulary_keys(project: Project, name: str, values: Iterable[str]) -> list[str]:
    """Return the keys of values given as keys or labels, once each; refuse an unknown one."""
    keys: list[str] = []
    for value in values:
        key = project.vocabulary.normalise(name, value)
        if key is None:
            close = project.vocabulary.suggest(name, value)
            hint = " " + hints.phrase(close, sentence=True) if close else ""
            raise InvalidValue(name, f"unknown {name} `{value}`.{hint}")
        if key not in keys:
            keys.append(key)
    return keys


def new_insight(project: Project, values: dict[str, Any], body: str = "") -> Path:
    """Check every value, write insights/<organisation>/<title>.md and return its path.

    Raises MissingValue or InvalidValue for the first value missing or wrong; refuses
    personal data and an existing file; nothing is written then.
    """
    fields: dict[str, Any] = {}
    for name in ("title", "organisation", "date"):
        if not values.get(name):
            raise MissingValue(name)
    fields["title"] = title(values["title"])
    fields["organisation"] = organisation(project, values["organisation"])
    fields["date"] = date(values["date"])
    for name in LISTS:
        given = list(values.get(name) or ())
        if not given and name in REQUIRED_LISTS:
            raise MissingValue(name, project.vocabulary.keys(name))
        fields[name] = vocabulary_keys(project, name, given)
    if values.get("study"):
        fields["study"] = values["study"]
    if values.get("visibility") and values["visibility"] != "internal":
        fields["visibility"] = values["visibility"]
    if values.get("quotes"):
        fields["quotes"] = list(values["quotes"])
    text = render_record(fields, body or _placeholder(project))
    path = project.insights_dir / fields["organisation"] / f"{slugify(fields['title'])}.md"
    _refuse_personal_data(project, path, text)
    write_new(path, text)
    return path


def _placeholder(project: Project) -> str:
    """Return the body a new record starts with, saying what to write."""
    from insightmap.load.placeholders import placeholder

    return placeholder("insight", project.config.language)


def _refuse_personal_data(project: Project, path: Path, text: str) -> None:
    """Refuse (exit 1, located and masked, nothing written) a record holding personal data.

    The same scan as `check`: the file name, the front-matter as written and
    decoded, the body as written and as a reader sees it.
    """
    from insightmap.errors import relpath
    from insightmap.load.privacy import name_problems, problems, scan_document
    from insightmap.load.yamlfile import Document, parse_mapping

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
