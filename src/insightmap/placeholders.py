"""The bodies `insightmap new` writes for the author to replace, and the warning when one is left."""

from __future__ import annotations

from collections.abc import Iterable

from insightmap.errors import Problem
from insightmap.rawrecord import RawRecord

#: What a new record's body says until the author writes it, per kind and language.
PLACEHOLDERS = {
    "insight": {
        "sv": "Vad vi lärde oss, av vilka (på gruppnivå), hur, och vad det innebär.",
        "en": "What we learned, from whom (at group level), how, and what it implies.",
    },
    "action": {
        "sv": "Vad som ändrades, varför (vilka insikter), och hur det följs upp.",
        "en": "What changed, why (which insights), and how it is followed up.",
    },
}

_ALL = {text for by_language in PLACEHOLDERS.values() for text in by_language.values()}


def placeholder(kind: str, language: str) -> str:
    """Return the body a new record of this kind starts with, in the project language."""
    return PLACEHOLDERS[kind]["sv" if language == "sv" else "en"]


def placeholder_warnings(raws: Iterable[RawRecord], valid: set[str]) -> list[Problem]:
    """Warn about each valid record whose body still holds a placeholder line, at that line."""
    problems = []
    for raw in raws:
        if raw.path not in valid:
            continue
        document = raw.document
        for offset, line in enumerate(document.body.splitlines()):
            if " ".join(line.split()) in _ALL:
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
