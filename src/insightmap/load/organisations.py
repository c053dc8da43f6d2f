"""Who stands behind an insight: Sweden's 290 municipalities plus the project's own register."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources

from insightmap.hints import phrase, suggest

ORGANISATION_TYPES = (
    "municipality",
    "city-district",
    "region",
    "agency",
    "civil-society",
    "union",
    "academia",
    "meta-organisation",
)


@dataclass(frozen=True)
class Organisation:
    """An organisation that gathers insights."""

    key: str
    name: str
    type: str
    code: str | None = None
    county: str | None = None
    county_name: str | None = None
    parent: str | None = None


@dataclass(frozen=True)
class Municipality:
    """A row of the packaged SCB register."""

    slug: str
    code: str
    name: str
    county_code: str
    county_name: str


@cache
def municipalities() -> tuple[Municipality, ...]:
    """Return Sweden's 290 municipalities from the packaged SCB register."""
    text = resources.files("insightmap").joinpath("data/municipalities.csv").read_text("utf-8")
    return tuple(Municipality(**row) for row in csv.DictReader(io.StringIO(text)))


@cache
def _municipality_index() -> dict[str, Municipality]:
    index: dict[str, Municipality] = {}
    for m in municipalities():
        index[m.slug] = m
        index[m.code] = m
        index.setdefault(m.name.casefold(), m)
    return index


def find_municipality(reference: str) -> Municipality | None:
    """Return the municipality for a slug, an SCB code or a name (any case)."""
    index = _municipality_index()
    return index.get(reference) or index.get(reference.casefold())


#: What people write after a municipality's name: "Växjö kommun", "Malmö stad", "vaxjo-kommun".
_SUFFIXES = (" kommun", "-kommun", " stad", "-stad")
#: Municipalities that are also their region and are called so: "Region Gotland". Other
#: "Region X" are regions, not the municipality X, and must be added under organisations:.
_REGION_NAMED = {"gotland"}


def _transliterate(text: str) -> str:
    """Return text as a slug would spell it: `Upplands Väsby` → `upplands-vasby`."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")


def _name_forms(reference: str) -> list[str]:
    """Return the ways reference may spell a municipality's bare name, the reference itself first."""
    text = " ".join(reference.casefold().split())
    forms = [text]
    for suffix in _SUFFIXES:
        if text.endswith(suffix):
            base = text[: -len(suffix)]
            # Swedish writes the genitive before "stad"/"kommun": "Stockholms stad".
            forms += [base, base[:-1]] if base.endswith("s") else [base]
    return forms


@cache
def _transliterated_index() -> dict[str, Municipality | None]:
    # None marks a spelling two municipalities share ("habo" is Habo, and Håbo without its ring).
    index: dict[str, Municipality | None] = {}
    for m in municipalities():
        plain = _transliterate(m.name)
        index[plain] = None if plain in index and index[plain] != m else m
    return index


def match_municipality(reference: str) -> Municipality | None:
    """Return the one municipality a name means, with or without "kommun" or "stad" ("Region Gotland")."""
    found: set[Municipality] = set()
    for form in _name_forms(reference):
        m = find_municipality(form) or _transliterated_index().get(_transliterate(form))
        if m is not None:
            found.add(m)
    region = re.match(r"region[\s-]+(.+)", reference.strip().casefold())
    if region:
        m = match_municipality(region.group(1))
        if m is not None and m.slug in _REGION_NAMED:
            found.add(m)
    return found.pop() if len(found) == 1 else None


def municipality_organisation(m: Municipality, name: str | None = None) -> Organisation:
    """Return the organisation record for a municipality."""
    return Organisation(
        key=m.slug,
        name=name or f"{m.name} kommun",
        type="municipality",
        code=m.code,
        county=m.county_code,
        county_name=m.county_name,
    )


class Register:
    """The organisations a project knows: the project's own entries over the municipalities."""

    def __init__(self, own: dict[str, Organisation] | None = None) -> None:
        self.own = dict(own or {})

    def resolve(self, reference: str) -> Organisation | None:
        """Return the organisation for a key, an SCB code or a name ("Växjö kommun", "vaxjo-kommun")."""
        if reference in self.own:
            return self.own[reference]
        for org in self.own.values():
            if org.code and org.code == reference:
                return org
        named = [org for org in self.own.values() if org.name.casefold() == reference.strip().casefold()]
        if len(named) == 1:
            return named[0]
        m = find_municipality(reference) or match_municipality(reference)
        if m is None:
            return None
        return self.own.get(m.slug) or municipality_organisation(m)

    def keys(self) -> list[str]:
        """Return every key the register knows, the project's own first."""
        return [*self.own, *(m.slug for m in municipalities() if m.slug not in self.own)]

    def hint(self, reference: str) -> str:
        """Return the hint for an unknown organisation: the closest key (and name), else where to add one."""
        otherwise = "add it under `organisations:` in insightmap.yml"
        if re.match(r"region\b", reference.strip().casefold()):
            return otherwise + " (type: region)"
        # Compare the bare name as a slug, so "Vexjö kommun" is as close to `vaxjo` as "vexjo" is,
        # and without its last word, so "vaxjo-kommunn" still finds `vaxjo`.
        plain = _transliterate(reference)
        tries = [_transliterate(_name_forms(reference)[-1]), plain, plain.rpartition("-")[0]]
        keys = self.keys()
        for tried in filter(None, tries):
            close = suggest(tried, keys)
            org = self.resolve(close) if close else None
            if close and org:
                # A plain typo of a key gets the key; a name gets the key with the name it stands for.
                return phrase(close, label="" if tried == reference else org.name)
        return otherwise
