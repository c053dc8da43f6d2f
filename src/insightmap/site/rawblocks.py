"""Hand Python-Markdown the generated pages' HTML blocks already set aside, so it parses only the Markdown.

A generated page is mostly HTML (facts tables, lists of insights, inline maps) with a
few Markdown headings between. Python-Markdown reads every raw HTML block with its
Python HTML parser: measured on the 1,460 pages of a 1,000-insight site, that
preprocessor was 3.0 of the 4.1 CPU s of converting them. A block that starts at the
top level with a block-level tag, holds no `markdown` attribute, no comment and no
processing instruction, and whose tags balance, is exactly what that parser would keep
verbatim; `RawBlocks` stores such blocks in the converter's own HTML stash first (as
the parser itself does), so the page comes out byte for byte the same
(`tests/test_site.py` compares both ways on whole sites). Anything else, including a
block that never balances, is left to Python-Markdown.
"""

from __future__ import annotations

import re
from typing import Any

from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

#: Elements that have no closing tag.
VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)\b[^<>]*?(/?)>")
_START = re.compile(r"<([A-Za-z][A-Za-z0-9:-]*)[\s>/]")
#: What makes a block need Python-Markdown after all: Markdown inside HTML, comments, odd markup.
_NEEDS_PARSER = re.compile(r"markdown\s*=|<!|<\?|<%|<@")


def balance(block: str) -> int | None:
    """Return how many tags the block leaves open (None when a tag closes one it did not open)."""
    open_tags: list[str] = []
    for closing, name, self_closing in _TAG.findall(block):
        name = name.lower()
        if closing:
            if not open_tags or open_tags[-1] != name:
                return None
            open_tags.pop()
        elif not self_closing and name not in VOID:
            open_tags.append(name)
    return len(open_tags)


class RawBlocks(Preprocessor):
    """Stash balanced top-level HTML blocks before Python-Markdown's HTML block parser runs."""

    def run(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        held: list[str] = []  # the lines of a block being gathered until its tags balance
        for chunk in _chunks(lines):
            if held:
                held.extend(chunk)
            elif self._starts_block(chunk[0]):
                held = list(chunk)
            else:
                out.extend(chunk)
                continue
            text = "\n".join(held).strip("\n")
            if _NEEDS_PARSER.search(text):
                out.extend(held)
                held = []
                continue
            depth = balance(text)
            if depth is None or (depth == 0 and not text.rstrip().endswith(">")):
                out.extend(held)
                held = []
            elif depth == 0:
                out.extend(["", self.md.htmlStash.store(text + "\n"), ""])
                held = []
        out.extend(held)  # a block that never balanced: the parser decides
        return out

    def _starts_block(self, line: str) -> bool:
        match = _START.match(line)
        return match is not None and bool(self.md.is_block_level(match.group(1).lower()))


def _chunks(lines: list[str]) -> list[list[str]]:
    """Split lines into runs separated by blank lines; each blank line is a run of its own."""
    chunks: list[list[str]] = []
    current: list[str] = []
    for line in lines:
        if line.strip():
            current.append(line)
            continue
        if current:
            chunks.append(current)
            current = []
        chunks.append([line])
    if current:
        chunks.append(current)
    return chunks


class RawBlocksExtension(Extension):
    """Register `RawBlocks` just before the HTML block preprocessor (priority 20)."""

    def extendMarkdown(self, md: Any) -> None:  # noqa: N802 - Python-Markdown's name
        md.preprocessors.register(RawBlocks(md), "insightmap_raw_blocks", 25)
