"""The validated records: insights, studies and actions, and the corpus that holds them."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field, fields, replace
from typing import Any

from insightmap.load.organisations import Organisation, Register
from insightmap.load.vocabulary import Vocabulary

STUDY_STATUSES = ("planned", "ongoing", "completed")
ACTION_STATUSES = ("idea", "decided", "piloting", "in-use", "stopped")
INDICATOR_TYPES = ("outcome", "output", "process")
INDICATOR_LEVELS = ("strategic", "tactical", "operational")
#: Record kinds, in the order a corpus keeps them.
KINDS = ("insight", "study", "action")
VISIBILITIES = ("internal", "public")
#: Record attributes whose glossary word has another key (every other field's key is its name).
_WORD_KEYS = {
    "end": "end_date",
    "path": "file",
    "builds-on": "builds_on",
    "same-as": "same_as",
    "not-same-as": "not_same_as",
}
#: A pair of insight ids, the smaller first: two insights people said are (or are not) the same learning.
Pair = tuple[str, str]


def field_word(name: str, capital: bool = False) -> str:
    """Return the glossary key that names a record field (capital: the key of the capitalised word)."""
    key = _WORD_KEYS.get(name, name)
    return key[:1].upper() + key[1:] if capital else key


@dataclass(frozen=True)
class Indicator:
    """How an action is followed up (Stockholm's model): a named measure of a type and a level."""

    name: str
    type: str  # outcome | output | process (utfall, prestation, process)
    level: str  # strategic | tactical | operational (strategisk, taktisk, operativ)
    source: str | None = None  # where the data comes from: user survey, case system, Excel
    frequency: str | None = None  # how often: yearly, half-yearly

    def to_dict(self) -> dict[str, Any]:
        """Return the indicator as JSON-ready data."""
        return {
            "name": self.name,
            "type": self.type,
            "level": self.level,
            "source": self.source,
            "frequency": self.frequency,
        }


@dataclass(frozen=True)
class Origin:
    """Where a record from a source (insightmap.yml `sources:`) came from: source, commit and file."""

    source: str  # the source's name in the region's insightmap.yml
    commit: str | None  # the locked commit; None for a folder source (`path:`)
    path: str  # the file in the source's project, e.g. insights/lunch.md
    url: str | None = None  # the file in the source's web interface (its `browse` pattern)

    def to_dict(self) -> dict[str, Any]:
        """Return the origin as JSON-ready data."""
        return {"source": self.source, "commit": self.commit, "path": self.path, "url": self.url}


@dataclass(frozen=True)
class Record:
    """One insight, study or action, with vocabulary values normalised to keys."""

    id: str
    kind: str  # "insight", "study" or "action"
    path: str  # relative to the project root, POSIX
    line: int  # line of the opening `---`
    title: str
    organisation: str
    date: str  # YYYY, YYYY-MM or YYYY-MM-DD
    body: str = ""
    perspective: tuple[str, ...] = ()
    subpopulation: tuple[str, ...] = ()
    shift: tuple[str, ...] = ()
    theme: tuple[str, ...] = ()
    area: tuple[str, ...] = ()
    method: tuple[str, ...] = ()
    study: str | None = None
    quotes: tuple[str, ...] = ()
    visibility: str = "internal"
    source: str | None = None
    status: str | None = None  # studies and actions (each its own vocabulary)
    end: str | None = None  # studies only
    contact: str | None = None  # studies and actions
    builds_on: tuple[str, ...] = ()  # actions only: the insight ids it builds on
    indicators: tuple[Indicator, ...] = ()  # actions only
    same_as: tuple[str, ...] = ()  # insights only: confirmed by people to teach the same learning
    not_same_as: tuple[str, ...] = ()  # insights only: a suggestion of the same learning, declined
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    #: Set for records from a source only (a regional site, spec §2.6); None for the project's own.
    origin: Origin | None = field(default=None, compare=False)

    @property
    def region(self) -> str:
        """Return the Venn region key: the perspectives in fixed order joined by `+`."""
        from insightmap.load.vocabulary import PERSPECTIVES

        return "+".join(p for p in PERSPECTIVES if p in self.perspective)

    def values(self, name: str) -> tuple[str, ...]:
        """Return the values of a list field, or of a scalar field as a 1-tuple."""
        value = getattr(self, name)
        if isinstance(value, tuple):
            return value
        return () if value is None else (str(value),)

    def to_dict(self) -> dict[str, Any]:
        """Return the record as a JSON-ready dict with normalised keys."""
        data: dict[str, Any] = {
            "id": self.id,
            "kind": self.kind,
            "title": self.title,
            "organisation": self.organisation,
            "date": self.date,
            "perspective": list(self.perspective),
            "subpopulation": list(self.subpopulation),
            "shift": list(self.shift),
            "theme": list(self.theme),
            "area": list(self.area),
            "method": list(self.method),
            "visibility": self.visibility,
            "path": self.path,
        }
        if self.kind == "insight":
            data["study"] = self.study
            data["quotes"] = list(self.quotes)
            data["same_as"] = list(self.same_as)
            data["not_same_as"] = list(self.not_same_as)
        elif self.kind == "action":
            data.update(
                status=self.status,
                builds_on=list(self.builds_on),
                contact=self.contact,
                indicators=[i.to_dict() for i in self.indicators],
            )
        else:
            data.update(status=self.status, end=self.end, contact=self.contact)
        if self.source:
            data["source"] = self.source
        if self.origin:
            data["origin"] = self.origin.to_dict()
        return data


#: What a record says, in the model's order: every field but its identity, place and body.
CONTENT_FIELDS = tuple(
    f.name for f in fields(Record) if f.name not in ("id", "kind", "path", "line", "body", "extra", "origin")
)


@dataclass
class Config:
    """The project settings from insightmap.yml."""

    language: str = "sv"
    title: str | None = None
    allow_raw_html: bool = False
    thin_threshold: int = 2
    stale_years: int = 3
    search_stemming: bool = True
    max_record_bytes: int = 1_000_000
    #: An insight older than this that no action builds on is waiting (`actions: {waiting-months: 6}`).
    waiting_months: int = 6
    #: The day dated results are computed for (`today: 2026-11-20`); None: SOURCE_DATE_EPOCH or the clock.
    today: datetime.date | None = None


@dataclass
class Corpus:
    """Everything loaded from a project: records, organisations, vocabulary, settings."""

    insights: list[Record]
    studies: list[Record]
    register: Register
    vocabulary: Vocabulary
    config: Config
    root: str = "."
    actions: list[Record] = field(default_factory=list)

    @property
    def records(self) -> list[Record]:
        """Return every record: insights, studies, actions."""
        return [*self.insights, *self.studies, *self.actions]

    def with_records(self, records: list[Record]) -> Corpus:
        """Return the corpus holding these records instead, ordered by kind and id as loading orders them."""
        insights, studies, actions = (
            sorted((r for r in records if r.kind == kind), key=lambda r: r.id) for kind in KINDS
        )
        return replace(self, insights=insights, studies=studies, actions=actions)

    @property
    def language(self) -> str:
        """Return the language of labels in outputs (`sv` or `en`)."""
        return self.config.language

    def by_id(self) -> dict[str, Record]:
        """Return every record by id."""
        return {r.id: r for r in self.records}

    def confirmed_pairs(self) -> list[Pair]:
        """Return the pairs of insights people confirmed are the same learning (`same-as`, either side)."""
        return _pairs(self.insights, "same_as")

    def same_as_links(self) -> dict[str, list[str]]:
        """Return, per insight, the insights confirmed the same learning, named by either of the two."""
        links: dict[str, list[str]] = {}
        for a, b in self.confirmed_pairs():
            links.setdefault(a, []).append(b)
            links.setdefault(b, []).append(a)
        return links

    def declined_pairs(self) -> list[Pair]:
        """Return the pairs of insights people said are not the same learning (`not-same-as`)."""
        return _pairs(self.insights, "not_same_as")

    def organisation(self, key: str) -> Organisation:
        """Return the organisation for a key (an unknown key becomes a placeholder)."""
        org = self.register.resolve(key)
        return org or Organisation(key=key, name=key, type="municipality")

    def organisations(self) -> list[Organisation]:
        """Return the organisations that have records, sorted by key."""
        keys = sorted({r.organisation for r in self.records})
        return [self.organisation(k) for k in keys]

    def public(self) -> Corpus:
        """Return the corpus with only records marked `visibility: public`.

        A public record keeps no link to an internal one: an insight's internal study
        is dropped, and so is every insight an action builds on that is internal (its
        id and title must not reach a public site through the action).
        """
        studies = [s for s in self.studies if s.visibility == "public"]
        public_studies = {s.id for s in studies}
        insights = [
            i if i.study is None or i.study in public_studies else replace(i, study=None)
            for i in self.insights
            if i.visibility == "public"
        ]
        public_insights = {i.id for i in insights}
        insights = [_links_within(i, public_insights) for i in insights]
        actions = [
            replace(a, builds_on=tuple(i for i in a.builds_on if i in public_insights))
            for a in self.actions
            if a.visibility == "public"
        ]
        return Corpus(insights, studies, self.register, self.vocabulary, self.config, self.root, actions)


def _pairs(insights: list[Record], name: str) -> list[Pair]:
    """Return the sorted, distinct pairs an id-list field links, whichever of the two names the other."""
    found = {
        (min(r.id, other), max(r.id, other)) for r in insights for other in getattr(r, name) if other != r.id
    }
    return sorted(found)


def _links_within(insight: Record, kept: set[str]) -> Record:
    """Return the insight with only the same-as/not-same-as links to insights that are kept."""
    if not insight.same_as and not insight.not_same_as:
        return insight
    return replace(
        insight,
        same_as=tuple(i for i in insight.same_as if i in kept),
        not_same_as=tuple(i for i in insight.not_same_as if i in kept),
    )
