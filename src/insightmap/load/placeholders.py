"""The bodies `insightmap new` writes for the author to replace, and the warning when one is left."""

from __future__ import annotations

from collections.abc import Iterable

from insightmap import glossary
from insightmap.errors import Problem
from insightmap.load.rawrecord import RawRecord
from insightmap.load.vocabulary import LANGUAGES

#: The kinds `insightmap new` writes a placeholder body for (glossary `placeholder_<kind>_body`).
KINDS = ("insight", "action")


def placeholder(kind: str, language: str) -> str:
    """Return the body a new record of this kind starts with, in the project language."""
    return glossary.words(language)[f"placeholder_{kind}_body"]


def placeholder_warnings(raws: Iterable[RawRecord], valid: set[str]) -> list[Problem]:
    """Warn about each valid record whose body still holds a placeholder line, at that line."""
    known = {placeholder(kind, language) for kind in KINDS for language in LANGUAGES}
    problems = []
    for raw in raws:
        if raw.path not in valid:
            continue
        document = raw.document
        for offset, line in enumerate(document.body.splitlines()):
            if " ".join(line.split()) in known:
                problems.append(
                    Problem(
                        raw.path,
                        document.body_line + offset,
                        "placeholder",
                        "the body still holds the placeholder text from `insightmap new`",
                        "replace it with what was learned; the page would publish the placeholder",
                        severity="warning",
                    )
                )
    return problems
