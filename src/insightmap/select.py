"""Selections of records: the filters shared by `list`, `map`, `gaps`, map definitions, site."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from insightmap import glossary
from insightmap.load.vocabulary import VOCABULARY_FIELDS
from insightmap.records import Corpus, Record


@dataclass(frozen=True)
class Selection:
    """Which records to include; values within a filter are alternatives, filters all apply."""

    organisations: tuple[str, ...] = ()
    organisation_types: tuple[str, ...] = ()
    counties: tuple[str, ...] = ()
    values: dict[str, tuple[str, ...]] = field(default_factory=dict)
    date_from: str | None = None
    date_to: str | None = None
    study_status: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()

    def is_everything(self) -> bool:
        """Return True when no filter is set."""
        return not (
            self.organisations
            or self.organisation_types
            or self.counties
            or any(self.values.values())
            or self.date_from
            or self.date_to
            or self.study_status
            or self.kinds
        )

    def matches(self, record: Record, corpus: Corpus) -> bool:
        """Return True when the record passes every filter."""
        if self.kinds and record.kind not in self.kinds:
            return False
        if self.organisations and record.organisation not in self.organisations:
            return False
        if self.organisation_types or self.counties:
            org = corpus.organisation(record.organisation)
            if self.organisation_types and org.type not in self.organisation_types:
                return False
            if self.counties and org.county not in self.counties:
                return False
        for name, wanted in self.values.items():
            if wanted and not set(record.values(name)) & set(wanted):
                return False
        if self.date_from and _pad(record.date, "9") < _pad(self.date_from, "0"):
            return False
        if self.date_to and _pad(record.date, "0") > _pad(self.date_to, "9"):
            return False
        if self.study_status:
            studies = {s.id: s for s in corpus.studies}
            study = studies.get(record.study or "")
            if study is None or study.status not in self.study_status:
                return False
        return True

    def apply(self, records: list[Record], corpus: Corpus) -> list[Record]:
        """Return the records that match, in their given order."""
        return [r for r in records if self.matches(r, corpus)]

    def to_dict(self) -> dict[str, Any]:
        """Return the filters that are set, as JSON-ready data."""
        data: dict[str, Any] = {}
        if self.organisations:
            data["organisation"] = list(self.organisations)
        if self.organisation_types:
            data["organisation-type"] = list(self.organisation_types)
        if self.counties:
            data["county"] = list(self.counties)
        for name in VOCABULARY_FIELDS:
            if self.values.get(name):
                data[name] = list(self.values[name])
        if self.date_from or self.date_to:
            data["date"] = {"from": self.date_from, "to": self.date_to}
        if self.study_status:
            data["study-status"] = list(self.study_status)
        if self.kinds:
            data["kind"] = list(self.kinds)
        return data

    def describe(self, corpus: Corpus, language: str | None = None) -> str:
        """Describe the selection in words, e.g. `Karlskrona kommun · Barn och unga`."""
        lang = language or corpus.language
        parts: list[str] = []
        if self.organisations:
            parts.append(", ".join(corpus.organisation(k).name for k in self.organisations))
        if self.organisation_types:
            parts.append(
                ", ".join(
                    corpus.vocabulary.label("organisation-type", k, lang) for k in self.organisation_types
                )
            )
        if self.counties:
            parts.append(f"{glossary.words(lang)['county']} " + ", ".join(self.counties))
        for name in VOCABULARY_FIELDS:
            if self.values.get(name):
                parts.append(", ".join(corpus.vocabulary.label(name, k, lang) for k in self.values[name]))
        if self.date_from or self.date_to:
            parts.append(f"{self.date_from or '…'}–{self.date_to or '…'}")
        if self.study_status:
            parts.append(", ".join(corpus.vocabulary.label("status", k, lang) for k in self.study_status))
        if not parts:
            return glossary.words(lang)["All_insights"]
        return " · ".join(parts)


def _pad(date: str, digit: str) -> str:
    """Pad a partial date so that `2024` compares as the whole year (2024-00-00 … 2024-99-99)."""
    if not date:
        return ""
    full = digit * 2
    return {4: f"{date}-{full}-{full}", 7: f"{date}-{full}"}.get(len(date), date)
