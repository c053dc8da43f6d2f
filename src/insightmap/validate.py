"""Raw records → validated, normalised records, with every problem located and explained."""

from __future__ import annotations

from typing import Any

from insightmap import dates, privacy
from insightmap.bodylimits import body_complexity
from insightmap.crosscheck import cross_check
from insightmap.errors import Problem
from insightmap.hints import did_you_mean
from insightmap.ids import normalise, slug_error, suggest, suggest_path
from insightmap.project import Project
from insightmap.rawrecord import Field, RawRecord
from insightmap.records import Corpus, Record
from insightmap.vocabulary import VOCABULARY_FIELDS

#: Importable from here as before (tests and the commands use these names).
__all__ = ["DATE", "TITLE_MAX", "INSIGHT_KEYS", "STUDY_KEYS", "body_complexity", "build_corpus"]

TITLE_MAX = 160
DATE = dates.SHAPE  # importable until the commands use dates.parse
LIST_VOCABULARIES = VOCABULARY_FIELDS
INSIGHT_KEYS = {
    "kind",
    "id",
    "title",
    "perspective",
    "subpopulation",
    "organisation",
    "date",
    "shift",
    "theme",
    "area",
    "method",
    "study",
    "quotes",
    "visibility",
    "source",
}
STUDY_KEYS = {
    "kind",
    "id",
    "title",
    "organisation",
    "status",
    "date",
    "end",
    "method",
    "perspective",
    "subpopulation",
    "shift",
    "theme",
    "area",
    "contact",
    "visibility",
    "source",
}
REQUIRED = {
    "insight": ("title", "perspective", "subpopulation", "organisation", "date"),
    "study": ("title", "organisation", "status", "date"),
}


def build_corpus(raws: list[RawRecord], project: Project) -> tuple[Corpus, list[Problem]]:
    """Validate raw records one by one, then across records (ids, study references)."""
    problems: list[Problem] = []
    records: list[Record] = []
    for raw in raws:
        checker = _RecordChecker(raw, project)
        record = checker.build()
        problems.extend(checker.problems)
        if record is not None and not checker.problems:
            records.append(record)
    records, cross = cross_check(records, raws)
    problems.extend(cross)
    insights = sorted((r for r in records if r.kind == "insight"), key=lambda r: r.id)
    studies = sorted((r for r in records if r.kind == "study"), key=lambda r: r.id)
    corpus = Corpus(
        insights, studies, project.register, project.vocabulary, project.config, str(project.root)
    )
    return corpus, problems


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
        allowed = INSIGHT_KEYS if kind == "insight" else STUDY_KEYS
        for key, f in fields.items():
            if key.startswith("x-") or key in allowed:
                continue
            known = "known fields: " + ", ".join(sorted(allowed)) + "; free fields start with `x-`"
            hint = did_you_mean(key, sorted(allowed), known)
            where = "a study" if kind == "study" else "an insight"
            self.problem(f, "unknown-key", f"unknown field `{key}` in {where}", hint)
        for key in REQUIRED[kind]:
            if key not in fields:
                self.problem(
                    None,
                    "missing",
                    f"the required field `{key}` is missing",
                    _missing_hint(key, self.project),
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
        if f.value in ("insight", "study"):
            return str(f.value)
        self.problem(f, "kind", f"kind must be `insight` or `study`, not `{f.value}`")
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
        raw = f.value if isinstance(f.value, list) else [f.value]
        lines = list(f.item_lines) if isinstance(f.value, list) else [f.line]
        keys: list[str] = []
        for index, item in enumerate(raw):
            line = lines[index] if index < len(lines) else f.line
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

    def _choice(self, f: Field | None, name: str) -> str | None:
        if f is None:
            return None
        key = self.project.vocabulary.normalise(name, f.value) if isinstance(f.value, str) else None
        if key is None:
            known = ", ".join(self.project.vocabulary.keys(name))
            self.problem(f, name, f"{name} must be one of {known}, not `{f.value}`")
        return key

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


def _missing_hint(key: str, project: Project) -> str:
    if key in ("perspective", "subpopulation"):
        return "one or more of: " + ", ".join(project.vocabulary.keys(key))
    if key == "organisation":
        return "set it here or in the folder's .meta.yml (organisation: karlskrona)"
    if key == "date":
        return "when it was gathered: YYYY, YYYY-MM or YYYY-MM-DD"
    if key == "status":
        return "planned, ongoing or completed"
    return ""
