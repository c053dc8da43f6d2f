"""The grammar of record ids and map names: one slug rule, used wherever an id or name is made.

A slug is one or more segments joined by `/`. A segment is lower-case letters, digits, `-`
and `_`, and starts with a letter or a digit. The letters are a–z and the Swedish å, ä, ö
and é (idé, kafé). Other letters (ü, ø, æ, Cyrillic а …) are refused and the proposal
folds them to plain letters: ids become URLs and file names on every platform, and a
narrow alphabet keeps two ids that look alike from being different ids. Text is
NFC-normalised first, because macOS may hand us file names with decomposed å.
"""

from __future__ import annotations

import re
import unicodedata

#: Letters beyond a–z that an id may hold (NFC forms).
EXTRA_LETTERS = "åäöé"
_CHAR = re.compile(rf"^[a-z0-9{EXTRA_LETTERS}_-]$")
SEGMENT = re.compile(rf"^[a-z0-9{EXTRA_LETTERS}][a-z0-9{EXTRA_LETTERS}_-]*$")
#: Longer ids make unwieldy URLs and run into file-name limits (255 bytes a segment).
MAX_LENGTH = 200
GRAMMAR = "lower-case letters (a–z, å, ä, ö, é), digits, `-` and `_`, with `/` between segments"
NAME_GRAMMAR = "lower-case letters (a–z, å, ä, ö, é), digits, `-` and `_`"
#: Letters NFKD does not take apart.
_FOLD = {"æ": "ae", "ø": "o", "œ": "oe", "ß": "ss", "đ": "d", "ł": "l", "þ": "th", "ð": "d", "ı": "i"}


def normalise(text: str) -> str:
    """Return text in NFC, the one form ids and names are compared in."""
    return unicodedata.normalize("NFC", text)


def slug_error(text: str, *, segments: bool = True) -> str | None:
    """Return why text is not a slug (an id, or a name when segments is False), or None if it is."""
    text = normalise(text)
    if not text:
        return "is empty"
    if len(text) > MAX_LENGTH:
        return f"is {len(text)} characters long; the limit is {MAX_LENGTH}"
    if not segments and "/" in text:
        return "holds a `/`; a name is one segment"
    if text.startswith("/"):
        return "starts with `/`"
    if text.endswith("/"):
        return "ends with `/`"
    for part in text.split("/"):
        if part in ("", ".", ".."):
            return f"has a `{part}` segment" if part else "has an empty segment (`//`)"
        bad = next((c for c in part if not _CHAR.match(c)), None)
        if bad is not None:
            shown = repr(bad) if bad.isspace() or not bad.isprintable() else f"`{bad}`"
            what = "the upper-case letter " if bad.isupper() else ""
            return f"holds {what}{shown}; use {GRAMMAR if segments else NAME_GRAMMAR}"
        if not SEGMENT.match(part):
            return f"has the segment `{part}`, which must start with a letter or a digit"
    return None


def is_slug(text: str, *, segments: bool = True) -> bool:
    """Return True when text is a valid id (or a valid one-segment name)."""
    return slug_error(text, segments=segments) is None


def suggest(text: str, *, segments: bool = True, fallback: str = "insikt") -> str:
    """Return the slug closest to text: `Umeå/Möte #2` → `umeå/möte-2`."""
    parts = normalise(text).split("/") if segments else [normalise(text)]
    slugs = [s for s in (_segment(p) for p in parts) if s]
    result = "/".join(slugs) or fallback
    return result[:MAX_LENGTH].rstrip("/-_")


def _segment(part: str) -> str:
    out: list[str] = []
    for char in part.lower():
        if _CHAR.match(char):
            out.append(char)
        elif char in _FOLD:
            out.append(_FOLD[char])
        elif char.isalnum():
            base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
            out.append(base if base.isascii() and base.isalnum() else "-")
        else:
            out.append("-")
    slug = re.sub(r"-{2,}", "-", "".join(out))
    return slug.strip("-_")


def suggest_path(path: str, suffix: str) -> str:
    """Return a file path whose every folder and stem is a slug (`insights/Umeå/A b.md` → …/a-b.md)."""
    folders, _, name = normalise(path).rpartition("/")
    stem = name.removesuffix(suffix)
    fixed = [_segment(f) or "x" for f in folders.split("/")] if folders else []
    return "/".join([*fixed, (_segment(stem) or "insikt") + suffix])


#: The same grammar as a JSON-Schema pattern (ECMA regex), for editors that validate front-matter.
_JSON_SEGMENT = rf"[a-z0-9{EXTRA_LETTERS}][a-z0-9{EXTRA_LETTERS}_-]*"
JSON_PATTERN = rf"^{_JSON_SEGMENT}(/{_JSON_SEGMENT})*$"
#: `SOURCE:ID` as a JSON-Schema pattern: a source's name (one segment), `:`, an id.
JSON_QUALIFIED_PATTERN = rf"^{_JSON_SEGMENT}:{_JSON_SEGMENT}(/{_JSON_SEGMENT})*$"


#: Between a source's name and an id from that source: `karlskrona:karlskrona/lunch` (spec §2.6).
SOURCE_SEPARATOR = ":"


def qualified(source: str, record_id: str) -> str:
    """Return the id a record of a source has in the region: `karlskrona` + `a/b` → `karlskrona:a/b`."""
    return f"{source}{SOURCE_SEPARATOR}{record_id}"


def split_qualified(text: str) -> tuple[str | None, str]:
    """Return (source, id) of `SOURCE:ID`, or (None, text) for an id of the project itself."""
    source, separator, record_id = text.partition(SOURCE_SEPARATOR)
    return (source, record_id) if separator else (None, text)


def is_qualified(text: str) -> bool:
    """Return True when text names a record of a source (`SOURCE:ID`), which the sources stage checks."""
    return SOURCE_SEPARATOR in text


def qualified_error(text: str) -> str | None:
    """Return why text is not a valid `SOURCE:ID` reference, or None if it is."""
    source, record_id = split_qualified(normalise(text))
    if source is None:
        return f"has no `{SOURCE_SEPARATOR}` between a source's name and an id"
    reason = slug_error(source, segments=False)
    if reason:
        return f"names the source `{source}`, which {reason}"
    reason = slug_error(record_id)
    return f"names the id `{record_id}`, which {reason}" if reason else None
