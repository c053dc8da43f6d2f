"""The bodies `insightmap new` writes for the author to replace, and the warning when one is left."""

from __future__ import annotations

import re
from functools import cache

from insightmap import glossary
from insightmap.errors import Problem
from insightmap.load.rawrecord import RawRecord
from insightmap.load.vocabulary import LANGUAGES

#: The kinds `insightmap new` writes a placeholder body for (glossary `placeholder_<kind>_body`).
KINDS = ("insight", "action")


def placeholder(kind: str, language: str) -> str:
    """Return the body a new record of this kind starts with, in the project language."""
    return glossary.words(language)[f"placeholder_{kind}_body"]


def placeholder_problems(raw: RawRecord) -> list[Problem]:
    """Warn at each line of the record's body that still holds a placeholder from `insightmap new`."""
    known = _placeholders()
    document = raw.document
    if not _placeholder_pattern().search(document.body):  # one C-level search rules out nearly every body
        return []
    return [
        Problem(
            raw.path,
            document.body_line + offset,
            "placeholder",
            "the body still holds the placeholder text from `insightmap new`",
            "replace it with what was learned; the page would publish the placeholder",
            severity="warning",
        )
        for offset, line in enumerate(document.body.splitlines())
        if " ".join(line.split()) in known
    ]


@cache
def _placeholders() -> frozenset[str]:
    return frozenset(placeholder(kind, language) for kind in KINDS for language in LANGUAGES)


@cache
def _placeholder_pattern() -> re.Pattern[str]:
    """Return a pattern that finds any placeholder with any spacing (a line that equals one holds it)."""
    return re.compile("|".join(r"\s+".join(map(re.escape, p.split())) for p in sorted(_placeholders())))
