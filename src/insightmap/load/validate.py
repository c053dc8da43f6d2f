"""Raw records → validated, normalised records, with every problem located and explained."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from insightmap import dates
from insightmap.errors import Problem
from insightmap.hints import did_you_mean, phrase
from insightmap.load import privacy
from insightmap.load.bodylimits import body_complexity
from insightmap.load.crosscheck import CROSS_FIELDS, cross_check
from insightmap.load.ids import normalise, slug_error, suggest, suggest_path
from insightmap.load.placeholders import placeholder_problems
from insightmap.load.project import Project
from insightmap.load.rawrecord import Field, RawRecord
from insightmap.load.recordkeys import (
    A_KIND,
    ACTION_KEYS,
    BUILDS_ON_HINT,
    INDICATOR_HINT,
    INDICATOR_KEYS,
    INDICATOR_REQUIRED,
    INSIGHT_KEYS,
    KEYS,
    LIST_VOCABULARIES,
    REQUIRED,
    SAME_AS_HINT,
    STUDY_KEYS,
    TITLE_MAX,
    missing_hint,
)
from insightmap.records import KINDS, Corpus, Indicator, Record

#: Importable from here as before (tests and the commands use these names).
DATE = dates.SHAPE  # importable until the commands use dates.parse

__all__ = [
    "ACTION_KEYS",
    "DATE",
    "INDICATOR_KEYS",
    "INSIGHT_KEYS",
    "STUDY_KEYS",
    "TITLE_MAX",
    "body_complexity",
    "build_corpus",
]


def build_corpus(raws: list[RawRecord], project: Project) -> tuple[Corpus, list[Problem]]:
    """Validate raw records one by one, then across records (ids, study references)."""
    return assemble([check_record(raw, project) for raw in raws], project)


@dataclass(frozen=True)
class CheckedRecord:
    """One record checked on its own: the record (None when refused), its problems, and what
    the checks across records still need (the fields they point at, its placeholder warnings).

    Small on purpose: `load` checks records in worker processes and sends these back.
    """

    path: str
    record: Record | None
    problems: list[Problem]
    cross_fields: dict[str, Field]
    placeholders: list[Problem]


def check_record(raw: RawRecord, project: Project) -> CheckedRecord:
    """Check one raw record on its own and build it."""
    checker = _RecordChecker(raw, project)
    record = checker.build()
    cross_fields = {key: raw.fields[key] for key in CROSS_FIELDS if key in raw.fields}
    return CheckedRecord(raw.path, record, checker.problems, cross_fields, placeholder_problems(raw))


def assemble(checked: list[CheckedRecord], project: Project) -> tuple[Corpus, list[Problem]]:
    """Check across the records checked one by one (ids, references) and make the corpus."""
    problems: list[Problem] = []
    records: list[Record] = []
    for one in checked:
        problems.extend(one.problems)
        if one.record is not None and not one.problems:
            records.append(one.record)
    records, cross = cross_check(records, {one.path: one.cross_fields for one in checked})
    problems.extend(cross)
    # A warning, not an error: the record stays in, but its author should write the body.
    valid = {r.path for r in records}
    problems.extend(p for one in checked if one.path in valid for p in one.placeholders)
    empty = Corpus([], [], project.register, project.vocabulary, project.config, str(project.root))
    return empty.with_records(records), problems


class _RecordChecker:
    """Check one raw record and build it; problems accumulate rather than stop at the first."""

    def __init__(self, raw: RawRecord, project: Project) -> None:
        self.raw = raw
        self.project = project
        self.problems: list[Problem] = []

    def problem(self, f: Field | None, code: str, message: str, hint: str = "", line: int = 0) -> None:
        path = f.path if f else self.raw.path
        at = line or (f.line if f else self.raw.document.front.start_line - 1)
        self.problems.append(Problem(path, max(at, 1), code, message, hint))

    def build(self) -> Record | None:
        fields = self.raw.fields
        self._personal_data()
        kind = self._kind(fields.get("kind"))
        allowed = KEYS[kind]
        for key, f in fields.items():
            if key.startswith("x-") or key in allowed:
                continue
            known = "known fields: " + ", ".join(sorted(allowed)) + "; free fields start with `x-`"
            hint = did_you_mean(key, sorted(allowed), known)
            self.problem(f, "unknown-key", f"unknown field `{key}` in {A_KIND[kind]}", hint)
        for key in REQUIRED[kind]:
            if key not in fields:
                self.problem(
                    None,
                    "missing",
                    f"the required field `{key}` is missing",
                    missing_hint(key, self.project, kind),
                )
        values: dict[str, Any] = {}
        values["title"] = self._title(fields.get("title"))
        values["organisation"] = self._organisation(fields.get("organisation"))
        values["date"] = self._date(fields.get("date"))
        for name in LIST_VOCABULARIES:
            if name in fields and name in allowed:
                values[name] = self._vocabulary_list(name, fields[name])
        for name in ("perspective", "subpopulation"):
            if kind == "insight" and name in fields and fields[name].value in ([], None, ""):
                self.problem(fields[name], name, f"at least one {name} is needed")
        values["visibility"] = self._choice(fields.get("visibility"), "visibility") or "internal"
        values["source"] = self._text(fields.get("source"), "source")
        if kind == "insight":
            study = self._text(fields.get("study"), "study")
            values["study"] = normalise(study) if study else study
            values["quotes"] = self._quotes(fields.get("quotes"))
            values["same_as"] = self._ids(fields.get("same-as"), "same-as", SAME_AS_HINT)
            values["not_same_as"] = self._ids(fields.get("not-same-as"), "not-same-as", SAME_AS_HINT)
        elif kind == "action":
            values["status"] = self._choice(fields.get("status"), "action-status", "status")
            values["contact"] = self._text(fields.get("contact"), "contact")
            values["builds_on"] = self._builds_on(fields.get("builds-on"))
            values["indicators"] = self._indicators(fields.get("indicators"))
        else:
            values["status"] = self._choice(fields.get("status"), "status")
            values["end"] = self._date(fields.get("end"))
            values["contact"] = self._text(fields.get("contact"), "contact")
            if values["end"] and values["date"] and values["end"] < values["date"]:
                self.problem(fields["end"], "date", "the study ends before it starts")
        record_id = self._id(fields.get("id"))
        self._body()
        if self.problems:
            return None
        extra = {k: f.value for k, f in fields.items() if k.startswith("x-")}
        document = self.raw.document
        normalised: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in values.items()}
        return Record(
            id=record_id,
            kind=kind,
            path=self.raw.path,
            line=document.front.start_line - 1,
            body=document.body,
            extra=extra,
            **normalised,
        )

    def _body(self) -> None:
        document = self.raw.document
        found = body_complexity(document.body)
        if found is not None:
            offset, reason = found
            self.problem(
                None,
                "body-too-complex",
                f"the body is too complex to render in reasonable time: {reason}",
                "write a `[` or `<` that is text as `\\[` or `\\<`, split long paragraphs, "
                "keep lists and quotes shallow",
                line=document.body_line + offset,
            )

    def _personal_data(self) -> None:
        self.problems.extend(privacy.problems(self.raw.path, self.raw.personal_data))

    def _kind(self, f: Field | None) -> str:
        if f is None:
            return "insight"
        if f.value in KINDS:
            return str(f.value)
        self.problem(f, "kind", f"kind must be `insight`, `study` or `action`, not `{f.value}`")
        return "insight"

    def _title(self, f: Field | None) -> str:
        if f is None:
            return ""
        if not isinstance(f.value, str) or not f.value.strip():
            self.problem(f, "type", "title must be a sentence of text")
            return ""
        title = " ".join(f.value.split())
        if len(title) > TITLE_MAX:
            self.problem(
                f,
                "title-length",
                f"title is {len(title)} characters; the limit is {TITLE_MAX}",
                "say the insight in one sentence and put the rest in the body",
            )
        return title

    def _organisation(self, f: Field | None) -> str:
        if f is None:
            return ""
        if isinstance(f.value, int) and not isinstance(f.value, bool):
            self.problem(
                f,
                "type",
                "organisation must be a key or a quoted SCB code, not a number",
                'write the code in quotes, e.g. organisation: "0127"; YAML reads 0127 as 87',
            )
            return ""
        if not isinstance(f.value, str):
            self.problem(f, "type", "organisation must be a single key")
            return ""
        org = self.project.register.resolve(f.value.strip())
        if org is None:
            hint = self.project.register.hint(f.value)
            self.problem(f, "organisation", f"unknown organisation `{f.value}`", hint)
            return ""
        return org.key

    def _date(self, f: Field | None) -> str:
        if f is None:
            return ""
        try:
            return str(dates.parse_value(f.value))
        except dates.DateError as exc:
            self.problem(f, "date", exc.message, exc.hint)
            return ""

    def _vocabulary_list(self, name: str, f: Field) -> list[str]:
        keys: list[str] = []
        for item, line in _items(f):
            if not isinstance(item, str):
                self.problem(f, "type", f"{name} values must be text, not `{item}`", line=line)
                continue
            key = self.project.vocabulary.normalise(name, item)
            if key is None:
                hint = self.project.vocabulary.hint(name, item)
                self.problem(f, "vocabulary", f"unknown {name} `{item}`", hint, line=line)
                continue
            if key not in keys:
                keys.append(key)
        if name == "perspective" and len(keys) > 3:
            self.problem(f, "perspective", "at most three perspectives")
        return keys

    def _choice(self, f: Field | None, name: str, field_name: str = "", line: int = 0) -> str | None:
        """Return the key of a one-value field from the vocabulary `name` (field_name: as written)."""
        if f is None:
            return None
        return self._key(f, f.value, name, field_name or name, line)

    def _key(self, f: Field, value: Any, name: str, field_name: str, line: int = 0) -> str | None:
        key = self.project.vocabulary.normalise(name, value) if isinstance(value, str) else None
        if key is None:
            known = ", ".join(self.project.vocabulary.keys(name))
            close = self.project.vocabulary.suggest(name, str(value))
            hint = phrase(close) if close else ""
            self.problem(f, field_name, f"{field_name} must be one of {known}, not `{value}`", hint, line)
        return key

    def _builds_on(self, f: Field | None) -> list[str]:
        """Return the insight ids an action builds on: at least one."""
        if f is not None and [item for item, _ in _items(f)] in ([], [None], [""]):
            self.problem(f, "builds-on", "an action builds on at least one insight", BUILDS_ON_HINT)
            return []
        return self._ids(f, "builds-on", BUILDS_ON_HINT)

    def _ids(self, f: Field | None, name: str, hint: str) -> list[str]:
        """Return the insight ids a list field names, once each (crosscheck.py checks what they name)."""
        if f is None:
            return []
        ids: list[str] = []
        for item, line in _items(f):
            if item is None and not isinstance(f.value, list):
                continue  # `same-as:` with nothing after it names nothing
            if not isinstance(item, str) or not item.strip():
                self.problem(f, "type", f"{name} takes insight ids, not `{item}`", hint, line)
                continue
            insight = normalise(item.strip())
            if insight not in ids:
                ids.append(insight)
        return ids

    def _indicators(self, f: Field | None) -> list[Indicator]:
        """Return an action's indicators: each a mapping of name, type, level, source, frequency."""
        if f is None:
            return []
        found: list[Indicator] = []
        for item, line in _items(f):
            if not isinstance(item, dict):
                self.problem(f, "indicator", "each indicator is a mapping", INDICATOR_HINT, line)
                continue
            before = len(self.problems)
            for key in item:
                if key not in INDICATOR_KEYS:
                    hint = did_you_mean(str(key), list(INDICATOR_KEYS), "known: " + ", ".join(INDICATOR_KEYS))
                    self.problem(f, "unknown-key", f"unknown indicator field `{key}`", hint, line)
            for key in INDICATOR_REQUIRED:
                if key not in item:
                    self.problem(f, "indicator", f"the indicator has no `{key}`", INDICATOR_HINT, line)
            texts = {}
            for key in ("name", "source", "frequency"):
                value = item.get(key)
                if value is not None and (not isinstance(value, str) or not value.strip()):
                    self.problem(f, "type", f"the indicator's {key} must be text", "", line)
                texts[key] = " ".join(value.split()) if isinstance(value, str) and value.strip() else None
            kind = (
                self._key(f, item["type"], "indicator-type", "indicator type", line)
                if "type" in item
                else None
            )
            level = (
                self._key(f, item["level"], "indicator-level", "indicator level", line)
                if "level" in item
                else None
            )
            if len(self.problems) == before and texts["name"] and kind and level:
                found.append(Indicator(texts["name"], kind, level, texts["source"], texts["frequency"]))
        return found

    def _text(self, f: Field | None, name: str) -> str | None:
        if f is None:
            return None
        if not isinstance(f.value, str) or not f.value.strip():
            self.problem(f, "type", f"{name} must be text")
            return None
        return f.value.strip()

    def _quotes(self, f: Field | None) -> list[str]:
        if f is None:
            return []
        raw = f.value if isinstance(f.value, list) else [f.value]
        if not all(isinstance(q, str) for q in raw):
            self.problem(f, "type", "quotes must be a list of texts")
            return []
        return [q.strip() for q in raw if q.strip()]

    def _id(self, f: Field | None) -> str:
        if f is None:
            path = normalise(self.raw.path)
            record_id = path.removeprefix("insights/").removesuffix(".md")
            reason = slug_error(record_id)
            if reason:
                self.problem(
                    None,
                    "id",
                    f"the file name gives the id `{record_id}`, which {reason}",
                    f"rename the file to {suggest_path(path, '.md')} (or give the record an `id:`)",
                )
            return record_id
        if not isinstance(f.value, str):
            self.problem(f, "id", f"id must be text, not `{f.value}`", f"use `id: {suggest(str(f.value))}`")
            return ""
        record_id = normalise(f.value)
        reason = slug_error(record_id)
        if reason:
            self.problem(f, "id", f"id `{record_id}` {reason}", f"use `id: {suggest(record_id)}`")
            return ""
        return record_id


def _items(f: Field) -> list[tuple[Any, int]]:
    """Return a list field's items with the line of each (a scalar is a one-item list on its line)."""
    if not isinstance(f.value, list):
        return [(f.value, f.line)]
    lines = list(f.item_lines)
    return [(item, lines[i] if i < len(lines) else f.line) for i, item in enumerate(f.value)]
