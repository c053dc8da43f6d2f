""" "Did you mean …?": the known value closest to a mistyped one, and the words that offer it.

Every hint for an unknown key, value, organisation, study or map is built here, so
they all find the same suggestion for the same typo and say it the same way:
"did you mean `risk-group`?" in a located problem's hint, "Did you mean
`risk-group`?" as a sentence after a CLI message.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

#: How alike a typo and a known value must be (difflib's ratio) to be offered.
CUTOFF = 0.6


def suggest(value: str, choices: Iterable[str]) -> str | None:
    """Return the choice closest to value, or None when nothing is close enough."""
    close = difflib.get_close_matches(value, list(choices), n=1, cutoff=CUTOFF)
    return close[0] if close else None


def phrase(suggestion: str, *, sentence: bool = False, label: str = "") -> str:
    """Return the question offering a suggestion, with its label if any (capitalised with sentence)."""
    text = f"did you mean `{suggestion}` ({label})?" if label else f"did you mean `{suggestion}`?"
    return text[:1].upper() + text[1:] if sentence else text


def did_you_mean(value: str, choices: Iterable[str], otherwise: str = "") -> str:
    """Return the hint for an unknown value: the closest choice offered, else otherwise."""
    close = suggest(value, choices)
    return phrase(close) if close else otherwise
