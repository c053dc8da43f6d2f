"""Find a project and read its settings, organisations register and vocabulary extensions."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from insightmap.errors import Problem, ProjectNotFound, RecordSyntaxError
from insightmap.hints import did_you_mean
from insightmap.load.organisations import ORGANISATION_TYPES, Organisation, Register, find_municipality
from insightmap.load.vocabulary import LANGUAGES, VOCABULARY_FIELDS, Vocabulary, extended
from insightmap.load.yamlfile import Mapping, parse_mapping, read_text
from insightmap.records import Config
from insightmap.sources.config import Source, read_sources

CONFIG_FILE = "insightmap.yml"
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
CODE = re.compile(r"^\d{4}$")
CONFIG_KEYS = {
    "language",
    "title",
    "organisations",
    "vocabulary",
    "allow_raw_html",
    "gaps",
    "search",
    "max_record_bytes",
    "privacy",
    "actions",
    "sources",
    "today",
}
PRIVACY_KEYS = {"allow"}
ORGANISATION_KEYS = {"name", "type", "code", "parent", "county"}


@dataclass
class Project:
    """A project folder: insightmap.yml, insights/, maps/ and the settings read from them."""

    root: Path
    config: Config = field(default_factory=Config)
    register: Register = field(default_factory=Register)
    vocabulary: Vocabulary = field(default_factory=Vocabulary)
    problems: list[Problem] = field(default_factory=list)
    #: Reviewed false positives of the personal-data scan (`privacy: {allow: [...]}`).
    privacy_allow: tuple[str, ...] = ()
    #: Other projects whose records join this one (`sources:`, spec §2.6), by name.
    sources: dict[str, Source] = field(default_factory=dict)

    @property
    def insights_dir(self) -> Path:
        """Return the folder of the records."""
        return self.root / "insights"

    @property
    def maps_dir(self) -> Path:
        """Return the folder of the map definitions."""
        return self.root / "maps"


def find_root(start: Path) -> Path:
    """Return the nearest folder at or above start that holds insightmap.yml."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / CONFIG_FILE).is_file():
            return folder
    raise ProjectNotFound(
        f"no {CONFIG_FILE} in {start} or any folder above it; "
        "run `insightmap init` to start a project or pass -C PATH"
    )


def open_project(start: Path) -> Project:
    """Find the project at or above start and read insightmap.yml, collecting problems."""
    root = find_root(start)
    project = Project(root=root)
    try:
        text = read_text(root / CONFIG_FILE, CONFIG_FILE)
        mapping = parse_mapping(text, CONFIG_FILE)
    except RecordSyntaxError as exc:
        project.problems.append(exc.problem)
        project.vocabulary = extended({})
        return project
    _read_config(project, mapping)
    # Titles, names and descriptions from here are published: scan them like a record.
    from insightmap.load.privacy import problems, scan_mapping

    project.problems.extend(problems(CONFIG_FILE, scan_mapping(text, mapping, project.privacy_allow)))
    return project


def _read_config(project: Project, m: Mapping) -> None:
    problems = project.problems
    config = project.config

    def problem(key: str, code: str, message: str, hint: str = "") -> None:
        problems.append(Problem(CONFIG_FILE, m.lines.get(key, 1), code, message, hint))

    for key in m.values:
        if key not in CONFIG_KEYS:
            problem(
                key,
                "unknown-key",
                f"unknown setting `{key}`",
                did_you_mean(key, sorted(CONFIG_KEYS), "known settings: " + ", ".join(sorted(CONFIG_KEYS))),
            )
    v = m.values
    language = v.get("language", "sv")
    if language not in LANGUAGES:
        problem("language", "config", f"language must be `sv` or `en`, not `{language}`")
    else:
        config.language = language
    if "title" in v:
        if isinstance(v["title"], str):
            config.title = v["title"]
        else:
            problem("title", "type", "title must be text")
    if "allow_raw_html" in v:
        if isinstance(v["allow_raw_html"], bool):
            config.allow_raw_html = v["allow_raw_html"]
        else:
            problem("allow_raw_html", "type", "allow_raw_html must be true or false")
    for key, attr, sub in (
        ("gaps", "thin_threshold", "thin"),
        ("gaps", "stale_years", "stale-years"),
    ):
        section = v.get(key, {})
        if not isinstance(section, dict):
            problem(key, "type", f"`{key}` must be a mapping")
            continue
        if sub in section:
            if isinstance(section[sub], int) and not isinstance(section[sub], bool) and section[sub] >= 0:
                setattr(config, attr, section[sub])
            else:
                problem(key, "type", f"`{key}.{sub}` must be a whole number")
    _actions_settings(v.get("actions"), config, problem)
    if "today" in v:
        config.today = _today(v["today"], problem)
    search = v.get("search", {})
    if isinstance(search, dict) and "stemming" in search:
        if isinstance(search["stemming"], bool):
            config.search_stemming = search["stemming"]
        else:
            problem("search", "type", "`search.stemming` must be true or false")
    if "max_record_bytes" in v:
        if isinstance(v["max_record_bytes"], int) and v["max_record_bytes"] > 0:
            config.max_record_bytes = v["max_record_bytes"]
        else:
            problem("max_record_bytes", "type", "max_record_bytes must be a positive whole number")

    project.privacy_allow = _privacy_allow(v.get("privacy"), m, problems)
    project.vocabulary = extended(_vocabulary_extensions(v.get("vocabulary"), m, problems))
    project.register = Register(_organisations(v.get("organisations"), m, problems))
    project.sources, source_problems = read_sources(v.get("sources"), m.lines.get("sources", 1), CONFIG_FILE)
    problems.extend(source_problems)


def _today(raw: Any, problem: Any) -> datetime.date | None:
    """Read `today: 2026-11-20`: the day stale marks and waiting insights are computed for."""
    if isinstance(raw, datetime.date) and not isinstance(raw, datetime.datetime):
        return raw  # YAML reads an unquoted 2026-11-20 as a date
    if isinstance(raw, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw.strip()):
        try:
            return datetime.date.fromisoformat(raw.strip())
        except ValueError:
            pass
    problem("today", "type", f"today must be a real date YYYY-MM-DD, not `{raw}`", "e.g. today: 2026-11-20")
    return None


def _actions_settings(raw: Any, config: Config, problem: Any) -> None:
    """Read `actions: {waiting-months: 6}`: the age from which an insight nobody acted on is waiting."""
    if raw is None:
        return
    if not isinstance(raw, dict):
        problem("actions", "type", "`actions` must be a mapping", "actions: {waiting-months: 6}")
        return
    for key in raw:
        if key != "waiting-months":
            problem("actions", "unknown-key", f"unknown setting `actions.{key}`", "known: waiting-months")
    months = raw.get("waiting-months", config.waiting_months)
    if isinstance(months, int) and not isinstance(months, bool) and months >= 0:
        config.waiting_months = months
    else:
        problem("actions", "type", "`actions.waiting-months` must be a whole number of months", "e.g. 6")


def _privacy_allow(raw: Any, m: Mapping, problems: list[Problem]) -> tuple[str, ...]:
    """Read `privacy: {allow: [...]}`: the reviewed false positives of the personal-data scan."""
    if raw is None:
        return ()
    line = m.lines.get("privacy", 1)
    hint = 'privacy: {allow: ["20230115-1300"]}'
    if not isinstance(raw, dict):
        problems.append(Problem(CONFIG_FILE, line, "type", "`privacy` must be a mapping", hint))
        return ()
    for key in raw:
        if key not in PRIVACY_KEYS:
            problems.append(
                Problem(CONFIG_FILE, line, "unknown-key", f"unknown setting `privacy.{key}`", hint)
            )
    allow = raw.get("allow", [])
    if not isinstance(allow, list) or not all(isinstance(a, str) and a.strip() for a in allow):
        problems.append(
            Problem(
                CONFIG_FILE,
                line,
                "type",
                "`privacy.allow` must be a list of quoted, non-empty texts",
                hint + " (quote each one: unquoted, YAML may read it as a number)",
            )
        )
        return ()
    return tuple(dict.fromkeys(a.strip() for a in allow))


def _vocabulary_extensions(
    raw: Any, m: Mapping, problems: list[Problem]
) -> dict[str, dict[str, dict[str, Any]]]:
    line = m.lines.get("vocabulary", 1)
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        problems.append(Problem(CONFIG_FILE, line, "type", "`vocabulary` must be a mapping"))
        return {}
    result: dict[str, dict[str, dict[str, Any]]] = {}
    for name, terms in raw.items():
        if name not in VOCABULARY_FIELDS:
            problems.append(
                Problem(
                    CONFIG_FILE,
                    line,
                    "unknown-vocabulary",
                    f"`{name}` is not a vocabulary",
                    "extensible: " + ", ".join(VOCABULARY_FIELDS),
                )
            )
            continue
        if not isinstance(terms, dict):
            problems.append(
                Problem(CONFIG_FILE, line, "type", f"`vocabulary.{name}` must map keys to labels")
            )
            continue
        for key, spec in terms.items():
            if not isinstance(key, str) or not SLUG.match(key):
                problems.append(
                    Problem(
                        CONFIG_FILE,
                        line,
                        "vocabulary",
                        f"`{key}` is not a valid key (lowercase letters, digits, -)",
                    )
                )
                continue
            if not isinstance(spec, dict) or not all(isinstance(spec.get(k), str) for k in ("sv", "en")):
                problems.append(
                    Problem(
                        CONFIG_FILE,
                        line,
                        "vocabulary",
                        f"`vocabulary.{name}.{key}` needs `sv` and `en` labels",
                        f"{key}: {{sv: …, en: …}}",
                    )
                )
                continue
            result.setdefault(name, {})[key] = spec
    return result


def _organisations(raw: Any, m: Mapping, problems: list[Problem]) -> dict[str, Organisation]:
    line = m.lines.get("organisations", 1)
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        problems.append(Problem(CONFIG_FILE, line, "type", "`organisations` must be a mapping"))
        return {}
    result: dict[str, Organisation] = {}
    for key, spec in raw.items():

        def bad(message: str, hint: str = "") -> None:
            problems.append(Problem(CONFIG_FILE, line, "organisation", message, hint))

        if not isinstance(key, str) or not SLUG.match(key):
            bad(f"`{key}` is not a valid organisation key (lowercase letters, digits, -)")
            continue
        if not isinstance(spec, dict):
            bad(f"organisation `{key}` must be a mapping like {{name: …, type: …}}")
            continue
        unknown = set(spec) - ORGANISATION_KEYS
        if unknown:
            bad(
                f"organisation `{key}` has unknown field(s): {', '.join(sorted(map(str, unknown)))}",  # noqa: E501
                "known fields: " + ", ".join(sorted(ORGANISATION_KEYS)),
            )
        code = spec.get("code")
        if code is not None and not (isinstance(code, str) and CODE.match(code)):
            bad(
                f"organisation `{key}`: code must be a quoted four-digit SCB code",
                'write code: "0127" in quotes; YAML reads 0127 as the number 87',
            )
            code = None
        municipality = find_municipality(code or key) if (code or key) else None
        org_type = spec.get("type", "municipality" if municipality else None)
        if org_type not in ORGANISATION_TYPES:
            bad(f"organisation `{key}`: type must be one of {', '.join(ORGANISATION_TYPES)}")
            org_type = "municipality"
        name = spec.get("name")
        if name is None and municipality is not None:
            name = f"{municipality.name} kommun"
        if not isinstance(name, str):
            bad(f"organisation `{key}` needs a `name`")
            name = key
        county = spec.get("county")
        if county is not None and not (isinstance(county, str) and re.match(r"^\d{2}$", county)):
            bad(f"organisation `{key}`: county must be a quoted two-digit county code")
            county = None
        county_name = None
        if municipality is not None and org_type == "municipality":
            code = code or municipality.code
            county = county or municipality.county_code
            county_name = municipality.county_name
        result[key] = Organisation(key, name, org_type, code, county, county_name, spec.get("parent"))
    for key, org in list(result.items()):
        if org.parent is None:
            continue
        register = Register(result)
        parent = register.resolve(org.parent) if isinstance(org.parent, str) else None
        if parent is None:
            problems.append(
                Problem(
                    CONFIG_FILE,
                    line,
                    "organisation",
                    f"organisation `{key}`: unknown parent `{org.parent}`",
                    register.hint(str(org.parent)),
                )
            )
            continue
        # A parent written as a name ("Stockholms stad") is kept as its key, like a record's organisation.
        if org.county is None and parent.county:
            result[key] = Organisation(
                org.key, org.name, org.type, org.code, parent.county, parent.county_name, parent.key
            )
        elif parent.key != org.parent:
            result[key] = Organisation(
                org.key, org.name, org.type, org.code, org.county, org.county_name, parent.key
            )
    return result
