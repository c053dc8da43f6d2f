"""The spreadsheet layout records travel in: columns, headers (glossary words), kinds and text-safe cells.

One sheet, one row per record, insights first, then studies, then actions, each
sorted by id; a `kind` column (Typ) tells them apart, so that an insight's `study`
reference, an action's `builds-on` and an insight's `same-as` can be imported together with what they
name. List fields (and id lists) are joined with `; `; quotes (which may contain semicolons) go
one per line in their cell, and so do an action's indicators, each as
`name | type | level | source | frequency`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from insightmap.glossary import LANGUAGES, words
from insightmap.load.vocabulary import VOCABULARY_FIELDS
from insightmap.records import CONTENT_FIELDS, field_word

FORMATS = ("csv", "xlsx", "json")
#: Shown last in a sheet: how a record may be published, where its material lives, its quotes.
_LAST = ("visibility", "source", "quotes")
COLUMNS = ("kind", "id", *(f for f in CONTENT_FIELDS if f not in _LAST), *_LAST, "body")
LIST_COLUMNS = VOCABULARY_FIELDS
#: The header of each column, per language: the glossary's word for the field, capitalised.
HEADERS = {
    language: {column: words(language)[field_word(column, capital=True)] for column in COLUMNS}
    for language in LANGUAGES
}
SHEET = {language: words(language).Records_sheet for language in LANGUAGES}
LISTS_SHEET = {language: words(language).Lists_sheet for language in LANGUAGES}
#: Headers that sheets exported by earlier versions carry (before the glossary unified the
#: words): still read, so a sheet filled in before an upgrade imports unchanged.
OLD_HEADERS = {"Delpopulation": "subpopulation", "End": "end"}
KINDS = {
    "insight": ("insight", "insikt"),
    "study": ("study", "studie", "insiktsarbete"),
    "action": ("action", "förändring"),
}
#: An indicator in its cell: one per line, its fields in this order separated by INDICATOR_SEPARATOR.
INDICATOR_FIELDS = ("name", "type", "level", "source", "frequency")
INDICATOR_SEPARATOR = " | "

#: A cell starting so is a formula to Excel and LibreOffice ("CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True, order=True)
class RowProblem:
    """A problem of one spreadsheet row: `FILE:row N: error[code]: message` (row 0: the whole file)."""

    file: str
    row: int
    code: str
    message: str
    hint: str = ""

    def format(self) -> str:
        """Render the problem as one line plus an optional hint line."""
        where = f"{self.file}:row {self.row}" if self.row else self.file
        text = f"{where}: error[{self.code}]: {self.message}"
        return text + (f"\n    hint: {self.hint}" if self.hint else "")

    def to_dict(self) -> dict[str, Any]:
        """Return the problem as a JSON-ready dict."""
        return {
            "file": self.file,
            "row": self.row,
            "code": self.code,
            "message": self.message,
            "hint": self.hint,
        }


def header_index() -> dict[str, str]:
    """Return every accepted header (any language or the key, folded) → column key."""
    index = {c: c for c in COLUMNS}
    index.update({label.casefold(): key for label, key in OLD_HEADERS.items()})
    for names in HEADERS.values():
        index.update({label.casefold(): key for key, label in names.items()})
    return index


def defuse(value: str) -> str:
    """Prefix a formula-like csv cell with `'`, which spreadsheets show as text; import strips it."""
    return "'" + value if value.startswith(FORMULA_START) else value


def restore(value: str) -> str:
    """Undo defuse on import."""
    return value[1:] if value.startswith("'") and value[1:].startswith(FORMULA_START) else value
