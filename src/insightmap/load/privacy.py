"""Keep residents' personal data out of the knowledge base: which texts are scanned, how it is reported.

Records (front-matter as written and decoded, body as written and as a reader
sees it), `.meta.yml`, `insightmap.yml`, map definitions and every file or folder
name are scanned with personaldata.find_personal_data; a finding becomes a
located `personal-data` problem that shows the data masked.
"""

from __future__ import annotations

from collections.abc import Collection

from insightmap.errors import Problem
from insightmap.load.personaldata import (
    COORDINATION_NUMBER,
    EMAIL,
    LABELS,
    PERSONAL_IDENTITY_NUMBER,
    PHONE,
    PersonalData,
    describe,
    find_personal_data,
    normalise,
)
from insightmap.load.yamlfile import Document, Mapping

#: The privacy API; the detector's names stay importable from here.
__all__ = [
    "COORDINATION_NUMBER",
    "EMAIL",
    "HINT",
    "LABELS",
    "NAME_HINT",
    "PERSONAL_IDENTITY_NUMBER",
    "PHONE",
    "PersonalData",
    "describe",
    "find_personal_data",
    "mask_name",
    "name_problems",
    "normalise",
    "problems",
    "scan_document",
    "scan_mapping",
    "scan_markdown",
    "scan_value",
]

HINT = (
    "records must hold no residents' personal data: remove or anonymise it "
    "(a reviewed false positive goes in insightmap.yml: privacy: {allow: [...]})"
)
NAME_HINT = (
    "file and folder names are published in page addresses: rename it without personal data "
    "(a reviewed false positive goes in insightmap.yml: privacy: {allow: [...]})"
)


def scan_markdown(body: str, allow: Collection[str] = (), first_line: int = 1) -> list[PersonalData]:
    """Scan a Markdown body as a reader sees it (escapes, entities, markup undone, lines joined).

    Lines count from first_line. HTML tags are dropped from what a reader sees,
    so a body with tags is also scanned as written (attributes such as
    `href="mailto:…"`); a finding on a line already reported is not repeated.
    """
    from insightmap.load.body import markdown_text

    found = find_personal_data(markdown_text(body), allow)
    if "<" in body:
        seen = {(f.line, f.kind) for f in found}
        raw = find_personal_data(body, allow, join_lines=False)
        found = sorted(
            [*found, *(f for f in raw if (f.line, f.kind) not in seen)], key=lambda f: (f.line, f.column)
        )
    if first_line != 1:
        found = [PersonalData(f.kind, f.line + first_line - 1, f.column, f.masked, f.length) for f in found]
    return found


def scan_value(value: object, allow: Collection[str] = ()) -> list[PersonalData]:
    """Scan every key and scalar inside a decoded YAML value (lines are within each text)."""
    return [f for text in _texts(value) for f in find_personal_data(text, allow)]


def _texts(value: object) -> list[str]:
    """Return every key and scalar inside a decoded YAML value as text."""
    texts: list[str] = []
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, (list, tuple)):
            stack.extend(item)
        elif isinstance(item, (str, int, float)) and not isinstance(item, bool):
            texts.append(str(item))
    return texts


def scan_mapping(text: str, mapping: Mapping, allow: Collection[str] = ()) -> list[PersonalData]:
    """Scan a YAML file: its text as written (comments too) and every decoded key and value.

    text is the whole file (lines absolute, as in mapping). A value whose decoded
    form hides personal data the text does not show (a folded scalar, `\\u0031`
    or `\\x40` escapes) is reported on its key's line.
    """
    found = find_personal_data(text, allow, join_lines=False)
    starts = sorted(mapping.lines.values())
    for key, value in mapping.values.items():
        # Texts found as written were seen by the text scan; only decoded ones are new.
        # Plain strings and lists of them (nearly every value) take a fast path.
        if key in text and (
            (isinstance(value, str) and value in text)
            or (isinstance(value, list) and all(isinstance(v, str) and v in text for v in value))
        ):
            continue
        hidden = [t for t in _texts({key: value}) if t not in text]
        if not hidden:
            continue
        line = mapping.lines.get(key, mapping.start_line)
        end = next((s for s in starts if s > line), line + text.count("\n") + 1)
        for f in scan_value(hidden, allow):
            if not any(g.kind == f.kind and line <= g.line < end for g in found):
                found.append(PersonalData(f.kind, line, 1, f.masked))
    return sorted(found, key=lambda f: (f.line, f.column))


def scan_document(document: Document, allow: Collection[str] = ()) -> list[PersonalData]:
    """Scan a record: front-matter as written and decoded, body as written and as rendered."""
    head_end = len(document.text) - len(document.body)
    head = scan_mapping(document.text[:head_end], document.front, allow)
    return head + scan_markdown(document.body, allow, document.body_line)


def mask_name(name: str, allow: Collection[str] = ()) -> tuple[str, list[PersonalData]]:
    """Return a file or folder name with its personal data masked, and the findings."""
    # Slugs join words with "_" as well as "-": read both as separators (same length).
    found = find_personal_data(name.replace("_", " "), allow)
    masked = name
    for f in reversed(found):
        start, end = f.column - 1, f.column - 1 + f.length
        piece = f.masked
        if f.kind != EMAIL:  # a masked number is an excerpt: give the "_" back
            piece = "".join("_" if o == "_" else m for o, m in zip(name[start:end], piece, strict=False))
        masked = masked[:start] + piece + masked[end:]
    return masked, found


def name_problems(rel: str, allow: Collection[str] = (), what: str = "file") -> list[Problem]:
    """Return a problem for each finding in the last segment (file or folder name) of rel.

    The problem's path shows the name masked, so the message never repeats the data.
    """
    parent, _, name = rel.rpartition("/")
    masked, found = mask_name(name, allow)
    shown = f"{parent}/{masked}" if parent else masked
    return [
        Problem(shown, 1, "personal-data", f"the {what} name holds {describe(f)}", NAME_HINT) for f in found
    ]


def problems(shown: str, found: list[PersonalData]) -> list[Problem]:
    """Return each finding as a located `personal-data` problem of the file shown."""
    return [Problem(shown, f.line, "personal-data", describe(f), HINT) for f in found]
