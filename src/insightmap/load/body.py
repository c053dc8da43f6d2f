"""Reduce a Markdown body to the text a reader sees, line for line, for the privacy scan.

A full Markdown renderer per record would cost more than the whole check of
10,000 records; these linear substitutions undo what can hide a number or an
address from a plain-text scan (escapes, entities, inline markup, tags, block
markers) and keep every line break, so a finding keeps its line number.
"""

from __future__ import annotations

import html
import re

# `&#48;`, `&#x2D;`, `&nbsp;`, `&commat;`: decoded as the site would show them.
_ENTITY_RE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
# `\-`, `\.`, `\@`: Markdown's backslash escapes of ASCII punctuation.
_ESCAPE_RE = re.compile(r"\\([!-/:-@\[-`{-~])")
# An HTML tag (not an autolink like <anna@kommun.se>, whose address must stay).
_TAG_RE = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")
# Emphasis, strong, code and strike-through markers vanish in the rendered text.
_INLINE_RE = re.compile(r"[*_`~]+")
# A link's `](` joins its text and its target; the reader sees the text.
_LINK_RE = re.compile(r"\]\(")
# Block quote markers continue a paragraph; list items and headings start a new block,
# so they become a mark that no pattern crosses (two list items are not one number).
_QUOTE_RE = re.compile(r"^[ \t]{0,3}(?:>[ \t]?)+", re.MULTILINE)
# (An ordered item "2." cannot interrupt a paragraph in CommonMark, and "9805." on its
# own line is the end of a wrapped number: only bullets and headings count.)
_BLOCK_RE = re.compile(r"^[ \t]{0,3}(?:[-+*][ \t]+(?=\S)|#{1,6}(?=[ \t]|$))", re.MULTILINE)
_BLOCK_MARK = "\u00b6"


def markdown_text(body: str) -> str:
    """Return the body as the text a reader sees, with the same number of lines."""
    # Each step runs only when its marker character occurs: a substring test is
    # far cheaper than a regex pass, and most bodies are plain prose.
    text = _QUOTE_RE.sub("", body) if ">" in body else body
    text = _BLOCK_RE.sub(_BLOCK_MARK, text)
    if "<" in text:
        text = _TAG_RE.sub(_keep_lines, text)
    if "](" in text:
        text = _LINK_RE.sub(" ", text)
    if "*" in text or "_" in text or "`" in text or "~" in text:
        text = _INLINE_RE.sub("", text)
    # Escapes before entities: `\&#48;` shows `&#48;` literally, `&#92;-` shows `\-`.
    if "\\" in text:
        text = _ESCAPE_RE.sub(r"\1", text)
    return _ENTITY_RE.sub(_entity, text) if "&" in text else text


def _keep_lines(m: re.Match[str]) -> str:
    """Drop a tag but keep the line breaks inside it."""
    return "\n" * m.group(0).count("\n")


def _entity(m: re.Match[str]) -> str:
    """Decode one character reference; a decoded line break becomes a space (lines stay put)."""
    return html.unescape(m.group(0)).replace("\n", " ").replace("\r", " ")
