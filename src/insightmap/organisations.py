"""Who stands behind an insight: Sweden's 290 municipalities plus the project's own register."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import cache
from importlib import resources

from insightmap.hints import did_you_mean

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
        """Return the organisation for a key, an SCB code or a municipality name."""
        if reference in self.own:
            return self.own[reference]
        for org in self.own.values():
            if org.code and org.code == reference:
                return org
        m = find_municipality(reference)
        if m is None:
            return None
        return self.own.get(m.slug) or municipality_organisation(m)

    def keys(self) -> list[str]:
        """Return every key the register knows, the project's own first."""
        return [*self.own, *(m.slug for m in municipalities() if m.slug not in self.own)]

    def hint(self, reference: str) -> str:
        """Return the hint for an unknown organisation: the closest key, else where to add one."""
        return did_you_mean(
            reference.strip().lower(), self.keys(), "add it under `organisations:` in insightmap.yml"
        )
