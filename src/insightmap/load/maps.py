"""Map definitions: `maps/*.yml` files naming a title, a filter and what to colour by.

```yaml
title: Barn och unga
description: Insikter om barn, unga och familjer.
filter:
  subpopulation: [children-youth, Familjer]
  date: {from: 2024-01, to: 2025-12}
colour-by: organisation-type        # or: organisation
```

Filter keys are the records' own field names plus `organisation-type`, `county`,
`date` and `study-status`; values are keys or labels (any case), a scalar or a
list. Every mistake becomes a located Problem, so `insightmap check` reports a
map definition the way it reports a record.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from insightmap import dates
from insightmap.errors import Problem, RecordSyntaxError, relpath
from insightmap.hints import did_you_mean
from insightmap.load.project import Project
from insightmap.load.vocabulary import VOCABULARY_FIELDS
from insightmap.load.yamlfile import Mapping, parse_mapping, read_text
from insightmap.select import Selection

MAP_KEYS = ("title", "description", "filter", "colour-by")
FILTER_KEYS = (
    "organisation",
    "organisation-type",
    "county",
    *VOCABULARY_FIELDS,
    "date",
    "study-status",
)
COLOUR_BY = ("organisation-type", "organisation")
COUNTY = re.compile(r"^\d{2}$")


@dataclass(frozen=True)
class MapDefinition:
    """One map page: its name (the file stem), title, description, selection and colouring."""

    name: str
    title: str
    description: str = ""
    selection: Selection = field(default_factory=Selection)
    colour_by: str = "organisation-type"
    path: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Return the definition as JSON-ready data, filter values normalised to keys."""
        return {
            "name": self.name,
            "title": self.title,
            "description": self.description,
            "filter": self.selection.to_dict(),
            "colour-by": self.colour_by,
            "path": self.path,
        }


def load_map_definitions(project: Project) -> tuple[list[MapDefinition], list[Problem]]:
    """Read every `maps/*.yml` (and `.yaml`) file; return the valid definitions and all problems."""
    folder = project.maps_dir
    if not folder.is_dir():
        return [], []
    problems, refused = _names_with_personal_data(project)
    files = sorted([*folder.glob("*.yml"), *folder.glob("*.yaml")], key=lambda p: p.name)
    definitions: list[MapDefinition] = []
    for path in files:
        if path in refused:  # its name would be a page address; reported (masked) above
            continue
        definition, found = read_map_definition(path, project)
        problems.extend(found)
        if definition is not None:
            definitions.append(definition)
    return _without_url_collisions(definitions, problems)


def _names_with_personal_data(project: Project) -> tuple[list[Problem], set[Path]]:
    """Report (masked) every file and folder name under maps/ that holds personal data."""
    import os

    from insightmap.load.privacy import name_problems

    problems: list[Problem] = []
    refused: set[Path] = set()
    for folder, dirs, files in os.walk(project.maps_dir):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name, what in [*((d, "folder") for d in dirs), *((f, "file") for f in files)]:
            path = Path(folder) / name
            found = name_problems(relpath(path, project.root), project.privacy_allow, what)
            if found:
                problems.extend(found)
                refused.add(path)
    return problems, refused


def _name_problem(path: Path, shown: str) -> Problem | None:
    """Return the problem of a file name that is no map name (ids.py grammar, one segment)."""
    from insightmap.load.ids import slug_error, suggest

    reason = slug_error(path.stem, segments=False)
    if reason is None:
        return None
    better = suggest(path.stem, segments=False, fallback="karta") + path.suffix
    return Problem(
        shown, 1, "name", f"the map name `{path.stem}` {reason}", f"rename the file to maps/{better}"
    )


def _without_url_collisions(
    definitions: list[MapDefinition], problems: list[Problem]
) -> tuple[list[MapDefinition], list[Problem]]:
    """Drop (with an error) a map whose page URL another map already has: one page would be lost."""
    from insightmap.site.urls import map_url

    seen: dict[str, MapDefinition] = {}
    kept = []
    for definition in definitions:
        url = map_url(definition.name)
        first = seen.setdefault(url, definition)
        if first is definition:
            kept.append(definition)
            continue
        message = f"the map gets the page {url}, as {first.path} does"
        problems.append(Problem(definition.path, 1, "url-collision", message, "rename one of the two files"))
    return kept, problems


def read_map_definition(path: Path, project: Project) -> tuple[MapDefinition | None, list[Problem]]:
    """Read one map definition file; None when it has problems."""
    from insightmap.load.privacy import problems, scan_mapping

    shown = relpath(path, project.root)
    try:
        text = read_text(path, shown)
        mapping = parse_mapping(text, shown)
    except RecordSyntaxError as exc:
        return None, [exc.problem]
    found = scan_mapping(text, mapping, project.privacy_allow)
    if found:  # a title or description is published: refuse the map before anything else
        return None, problems(shown, found)
    checker = _Checker(shown, mapping, project)
    definition = checker.build(path.stem)
    name_problem = _name_problem(path, shown)
    if name_problem is not None:
        checker.problems.insert(0, name_problem)
    return (None if checker.problems else definition), checker.problems


class _Checker:
    """Check one map definition, collecting every problem rather than stopping at the first."""

    def __init__(self, shown: str, mapping: Mapping, project: Project) -> None:
        self.shown = shown
        self.m = mapping
        self.project = project
        self.lines = _file_lines(project.root / shown)
        self.problems: list[Problem] = []

    def problem(self, line: int, code: str, message: str, hint: str = "") -> None:
        self.problems.append(Problem(self.shown, max(line, 1), code, message, hint))

    def line(self, key: str) -> int:
        return self.m.lines.get(key, self.m.start_line)

    def build(self, name: str) -> MapDefinition:
        values = self.m.values
        for key in values:
            if key not in MAP_KEYS:
                self.problem(
                    self.line(key),
                    "unknown-key",
                    f"unknown field `{key}` in a map definition",
                    _did_you_mean(key, MAP_KEYS),
                )
        title = values.get("title")
        if title is None:
            self.problem(
                self.m.start_line,
                "missing",
                "the required field `title` is missing",
                "add e.g. `title: Barn och unga`",
            )
        elif not isinstance(title, str) or not title.strip():
            self.problem(self.line("title"), "type", "title must be text")
        description = values.get("description", "")
        if description is None:
            description = ""
        if not isinstance(description, str):
            self.problem(self.line("description"), "type", "description must be text")
        colour_by = values.get("colour-by", "organisation-type")
        if colour_by not in COLOUR_BY:
            self.problem(
                self.line("colour-by"),
                "colour-by",
                f"unknown colour-by `{colour_by}`",
                _did_you_mean(str(colour_by), COLOUR_BY),
            )
        selection = self._selection(values.get("filter"))
        return MapDefinition(
            name=name,
            title=str(title or name).strip(),
            description=str(description or "").strip(),
            selection=selection,
            colour_by=colour_by if colour_by in COLOUR_BY else COLOUR_BY[0],
            path=self.shown,
        )

    def _selection(self, raw: Any) -> Selection:
        if raw is None:
            return Selection()
        if not isinstance(raw, dict):
            self.problem(
                self.line("filter"),
                "type",
                "`filter` must be a mapping of field: values",
                "e.g. filter: {organisation: [karlskrona], subpopulation: children-youth}",
            )
            return Selection()
        found: dict[str, Any] = {}
        for key, value in raw.items():
            line = self._filter_line(str(key))
            if key not in FILTER_KEYS:
                self.problem(
                    line, "unknown-filter", f"unknown filter `{key}`", _did_you_mean(str(key), FILTER_KEYS)
                )
                continue
            if key == "date":
                found["date"] = self._date_range(value, line)
            else:
                found[key] = tuple(self._values(key, value, line))
        date_from, date_to = found.get("date", (None, None))
        return Selection(
            organisations=found.get("organisation", ()),
            organisation_types=found.get("organisation-type", ()),
            counties=found.get("county", ()),
            values={name: found.get(name, ()) for name in VOCABULARY_FIELDS},
            date_from=date_from,
            date_to=date_to,
            study_status=found.get("study-status", ()),
        )

    def _values(self, key: str, raw: Any, line: int) -> list[str]:
        items = raw if isinstance(raw, list) else [raw]
        keys: list[str] = []
        for item in items:
            resolved = self._value(key, item, line)
            if resolved is not None and resolved not in keys:
                keys.append(resolved)
        return keys

    def _value(self, key: str, item: Any, line: int) -> str | None:
        if key == "county":
            if isinstance(item, str) and COUNTY.match(item):
                return item
            self.problem(
                line,
                "county",
                f"`{item}` is not a two-digit county code",
                'quote the code, e.g. county: "01"; YAML reads 01 as the number 1',
            )
            return None
        if not isinstance(item, str):
            hint = 'quote SCB codes, e.g. "0127"' if key == "organisation" else ""
            self.problem(line, "type", f"{key} values must be text, not `{item}`", hint)
            return None
        if key == "organisation":
            org = self.project.register.resolve(item)
            if org is None:
                self.problem(
                    line,
                    "organisation",
                    f"unknown organisation `{item}`",
                    self.project.register.hint(item),
                )
                return None
            return org.key
        vocabulary = "status" if key == "study-status" else key
        resolved = self.project.vocabulary.normalise(vocabulary, item)
        if resolved is None:
            hint = self.project.vocabulary.hint(vocabulary, item)
            self.problem(line, "vocabulary", f"unknown {key} `{item}`", hint)
        return resolved

    def _date_range(self, raw: Any, line: int) -> tuple[str | None, str | None]:
        if not isinstance(raw, dict) or not raw or set(raw) - {"from", "to"}:
            self.problem(line, "date", "`date` must be a range like {from: 2024-01, to: 2025-12}")
            return None, None
        ends: list[str | None] = []
        for end in ("from", "to"):
            value = raw.get(end)
            try:
                ends.append(None if value is None else str(dates.parse_value(value)))
            except dates.DateError as exc:
                self.problem(line, "date", f"date {end} {exc.message}", exc.hint)
                ends.append(None)
        if ends[0] and ends[1] and ends[0] > ends[1]:
            self.problem(line, "date", "the date range ends before it starts")
        return ends[0], ends[1]

    def _filter_line(self, key: str) -> int:
        """Find the line of a filter key (nested values carry no lines), else the filter's line."""
        start = self.line("filter")
        pattern = re.compile(rf"(^|[\s{{,]){re.escape(key)}\s*:")
        for number in range(start, len(self.lines) + 1):
            text = self.lines[number - 1]
            if number > start and text.strip() and not text[:1].isspace():
                break  # left the filter block
            if pattern.search(text):
                return number
        return start


def _file_lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError):
        return []


def _did_you_mean(value: str, known: tuple[str, ...]) -> str:
    return did_you_mean(value, known, "known: " + ", ".join(known))


def find_map_definition(project: Project, name: str) -> tuple[MapDefinition | None, list[Problem]]:
    """Return the definition `maps/<name>.yml` (name may include the extension), or None if absent."""
    stem = Path(name).stem if name.endswith((".yml", ".yaml")) else name
    for suffix in (".yml", ".yaml"):
        path = project.maps_dir / f"{stem}{suffix}"
        if path.is_file():
            return read_map_definition(path, project)
    return None, []


def map_names(project: Project) -> list[str]:
    """Return the names of the map definition files in maps/."""
    folder = project.maps_dir
    if not folder.is_dir():
        return []
    return sorted({p.stem for p in [*folder.glob("*.yml"), *folder.glob("*.yaml")]})
