"""A record as read, before it is checked: its document and every field with where it came from."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

from insightmap.load.privacy import PersonalData
from insightmap.load.yamlfile import Document, Mapping


class Field(NamedTuple):
    """A front-matter value with the file and line it came from (the record or a .meta.yml).

    A named tuple, not a dataclass: every key of every record is one (100,000 at 10,000
    insights), and a frozen dataclass costs several times as much to make.
    """

    value: Any
    path: str
    line: int
    item_lines: tuple[int, ...] = ()


@dataclass
class RawRecord:
    """A record as read: its document and every field with its origin."""

    path: str
    document: Document
    fields: dict[str, Field] = field(default_factory=dict)
    personal_data: list[PersonalData] = field(default_factory=list)


def fields_of(mapping: Mapping, shown: str) -> dict[str, Field]:
    """Return a front-matter or .meta.yml mapping's values as fields of the file shown."""
    return {
        key: Field(value, shown, mapping.lines[key], tuple(mapping.item_lines.get(key, ())))
        for key, value in mapping.values.items()
    }
