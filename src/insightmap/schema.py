"""JSON Schema (draft 2020-12) of insight, study and action front-matter, for editors and other tools.

Vocabulary fields are enums of their keys, with the Swedish and English labels as
descriptions (`enumDescriptions` is the VS Code / yaml-language-server keyword for
per-value help). The tool itself also accepts labels and aliases in any case;
the schema lists only the keys by default because completion should offer the
canonical form. `accept_labels=True` adds every label and alias to the enums
(exact spelling only: JSON Schema cannot fold case).
"""

from __future__ import annotations

from typing import Any

from insightmap import dates
from insightmap.load.ids import JSON_PATTERN as ID_PATTERN
from insightmap.load.ids import JSON_QUALIFIED_PATTERN as QUALIFIED_PATTERN
from insightmap.load.organisations import Register
from insightmap.load.validate import INDICATOR_REQUIRED, KEYS, TITLE_MAX
from insightmap.load.vocabulary import VOCABULARY_FIELDS, Vocabulary

SCHEMA_DRAFT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_ID = "https://insightmap.invalid/schema/record.json"  # an identifier, never fetched
KINDS = ("insight", "study", "action")
DATE_PATTERN = dates.PATTERN  # the calendar checks of every other door, as a pattern
CODE_PATTERN = r"^\d{4}$"


_FIELD_HELP = {
    "title": "The insight in one sentence.",
    "organisation": "Who gathered it: an organisation key or a quoted four-digit SCB code.",
    "date": "When it was gathered: YYYY, YYYY-MM or YYYY-MM-DD.",
    "end": "When the study ended (YYYY, YYYY-MM or YYYY-MM-DD).",
    "study": "The id of the study (insight work) the insight came from.",
    "quotes": "Anonymous resident quotes.",
    "source": "Where the underlying material lives (document, URL).",
    "id": "A stable id; default: the path below insights/ without .md.",
    "contact": "A role or staff contact for the study (no residents' personal data).",
    "kind": "`insight` (default), `study` or `action`.",
    "builds-on": "The ids of the insights the action builds on (one or more).",
    "same-as": "Insights (ids) teaching the same learning, confirmed by a person (`SOURCE:ID` on a region).",
    "not-same-as": "Insights (ids) suggested as the same learning that a person declined.",
    "indicators": "How the action is followed up: name, type, level, data source, frequency.",
}
_TITLES = {"insight": "Insight", "study": "Study (insight work)", "action": "Action (förändring)"}


def build_schema(
    vocabulary: Vocabulary,
    register: Register | None = None,
    kind: str | None = None,
    accept_labels: bool = False,
) -> dict[str, Any]:
    """Return the JSON Schema of insight, study or action front-matter, or of any (by `kind`)."""
    if kind not in (None, *KINDS):
        raise ValueError(f"kind must be insight, study or action, not {kind!r}")
    defs: dict[str, Any] = {
        name: _vocabulary(vocabulary, name, accept_labels)
        for name in (
            *VOCABULARY_FIELDS,
            "status",
            "action-status",
            "indicator-type",
            "indicator-level",
            "visibility",
        )
    }
    defs["date"] = {
        "description": _FIELD_HELP["date"],
        "anyOf": [
            {"type": "string", "pattern": DATE_PATTERN},
            {"type": "integer", "minimum": 1000, "maximum": 9999},
        ],
    }
    defs["organisation"] = _organisation(register)
    defs["indicator"] = _indicator()
    for name in KINDS:
        defs[name] = _record(name)
    schema: dict[str, Any] = {"$schema": SCHEMA_DRAFT, "$id": SCHEMA_ID}
    if kind is None:
        schema["title"] = "insightmap record front-matter"
        schema["description"] = (
            "An insight, a study when `kind: study`, or an action when `kind: action`. "
            "Fields starting with `x-` are free extensions."
        )
        schema["type"] = "object"
        schema["if"] = {"properties": {"kind": {"const": "study"}}, "required": ["kind"]}
        schema["then"] = {"$ref": "#/$defs/study"}
        schema["else"] = {
            "if": {"properties": {"kind": {"const": "action"}}, "required": ["kind"]},
            "then": {"$ref": "#/$defs/action"},
            "else": {"$ref": "#/$defs/insight"},
        }
    else:
        schema["title"] = f"insightmap {kind} front-matter"
        schema["$ref"] = f"#/$defs/{kind}"
    schema["$defs"] = defs
    return schema


def _vocabulary(vocabulary: Vocabulary, name: str, accept_labels: bool) -> dict[str, Any]:
    keys = vocabulary.keys(name)
    descriptions = []
    for key in keys:
        sv, en = vocabulary.label(name, key, "sv"), vocabulary.label(name, key, "en")
        long_sv = vocabulary.label(name, key, "sv", long=True)
        descriptions.append(f"{sv} ({en})" + (f" — {long_sv}" if long_sv != sv else ""))
    values: list[str] = list(keys)
    if accept_labels:
        for key in keys:
            term = vocabulary.term(name, key)
            if term is None:
                continue
            for form in (term.sv, term.en, *term.aliases):
                if form not in values:
                    values.append(form)
    spec: dict[str, Any] = {
        "type": "string",
        "description": f"A `{name}` key: "
        + "; ".join(f"{k} = {d}" for k, d in zip(keys, descriptions, strict=True)),
        "enum": values,
        "enumDescriptions": descriptions + ["label or alias"] * (len(values) - len(keys)),
    }
    return spec


def _organisation(register: Register | None) -> dict[str, Any]:
    keys = (register or Register()).keys()
    return {
        "description": _FIELD_HELP["organisation"],
        "anyOf": [{"type": "string", "enum": keys}, {"type": "string", "pattern": CODE_PATTERN}],
    }


def _list_of(name: str, max_items: int | None = None) -> dict[str, Any]:
    array: dict[str, Any] = {
        "type": "array",
        "items": {"$ref": f"#/$defs/{name}"},
        "minItems": 1,
        "uniqueItems": True,
    }
    if max_items:
        array["maxItems"] = max_items
    return {
        "description": f"One `{name}` key or a list of them.",
        "anyOf": [{"$ref": f"#/$defs/{name}"}, array],
    }


def _text(name: str, max_length: int | None = None) -> dict[str, Any]:
    spec: dict[str, Any] = {"type": "string", "minLength": 1, "description": _FIELD_HELP[name]}
    if max_length:
        spec["maxLength"] = max_length
    return spec


def _ids(name: str) -> dict[str, Any]:
    """Return the schema of a list of insight ids: the project's own, or `SOURCE:ID` from a source."""
    reference = {
        "type": "string",
        "anyOf": [{"pattern": ID_PATTERN}, {"pattern": QUALIFIED_PATTERN}],
    }
    return {
        "description": _FIELD_HELP[name],
        "anyOf": [reference, {"type": "array", "items": reference, "uniqueItems": True}],
    }


def _indicator() -> dict[str, Any]:
    return {
        "type": "object",
        "description": _FIELD_HELP["indicators"],
        "properties": {
            "name": {"type": "string", "minLength": 1},
            "type": {"$ref": "#/$defs/indicator-type"},
            "level": {"$ref": "#/$defs/indicator-level"},
            "source": {"type": "string", "minLength": 1},
            "frequency": {"type": "string", "minLength": 1},
        },
        "additionalProperties": False,
        "required": list(INDICATOR_REQUIRED),
    }


def _record(kind: str) -> dict[str, Any]:
    allowed = KEYS[kind]
    properties: dict[str, Any] = {
        "kind": {"const": kind, "description": _FIELD_HELP["kind"]},
        "id": {
            "type": "string",
            "pattern": ID_PATTERN,
            "description": _FIELD_HELP["id"],
        },
        "title": _text("title", TITLE_MAX),
        "organisation": {"$ref": "#/$defs/organisation"},
        "date": {"$ref": "#/$defs/date"},
        "perspective": _list_of("perspective", 3),
        **{name: _list_of(name) for name in VOCABULARY_FIELDS if name != "perspective"},
        "visibility": {"$ref": "#/$defs/visibility"},
        "source": _text("source"),
        "study": _text("study"),
        "quotes": {
            "description": _FIELD_HELP["quotes"],
            "anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}],
        },
        "status": {"$ref": "#/$defs/action-status" if kind == "action" else "#/$defs/status"},
        "builds-on": {
            "description": _FIELD_HELP["builds-on"],
            "anyOf": [
                {"type": "string", "pattern": ID_PATTERN},
                {"type": "array", "items": {"type": "string", "pattern": ID_PATTERN}, "minItems": 1},
            ],
        },
        "same-as": _ids("same-as"),
        "not-same-as": _ids("not-same-as"),
        "indicators": {
            "description": _FIELD_HELP["indicators"],
            "type": "array",
            "items": {"$ref": "#/$defs/indicator"},
        },
        "end": {"$ref": "#/$defs/date", "description": _FIELD_HELP["end"]},
        "contact": _text("contact"),
    }
    required = ["title", "perspective", "subpopulation", "organisation", "date"]
    if kind == "study":
        required = ["kind", "title", "organisation", "status", "date"]
    if kind == "action":
        required = ["kind", "title", "organisation", "date", "status", "builds-on"]
    return {
        "type": "object",
        "title": _TITLES[kind],
        "properties": {k: v for k, v in properties.items() if k in allowed},
        "patternProperties": {"^x-": {"description": "A free extension field."}},
        "additionalProperties": False,
        "required": required,
    }
