"""A record's body, Markdown → sanitised HTML that requests nothing from other hosts: one renderer.

The site and the board report show bodies through this function only. `check` has
already refused bodies too complex to render in bounded time (error[body-too-complex]).
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

_EXTERNAL_LINK = re.compile(r'<a\s+href="(https?://[^"]*)"[^>]*>(.*?)</a>', re.S | re.I)
_EXTERNAL_IMG = re.compile(r'<img\b[^>]*\bsrc="(?:https?:)?//[^"]*"[^>]*>', re.I)
_ALT = re.compile(r'\balt="([^"]*)"', re.I)
#: Python-Markdown extensions a body may use.
EXTENSIONS = ("tables", "sane_lists", "fenced_code")


def body_html(text: str, allow_raw_html: bool = False, links: bool = True) -> str:
    """Render a body to sanitised HTML; external images become their alt text.

    With links=False (print), external links become text with their address in brackets.
    """
    from insightmap.sanitize import clean_html

    converter = _converter()
    converter.reset()
    html = clean_html(converter.convert(text), allow_raw_html)
    if not links:
        html = _EXTERNAL_LINK.sub(lambda m: f"{m.group(2)} ({m.group(1)})", html)
    return _EXTERNAL_IMG.sub(_alt_text, html)


@cache
def _converter() -> Any:
    """Return one Markdown converter per process, reset before each body.

    Making a converter with its extensions costs more than converting a typical body
    (a site of 1,000 insights made 1,000 of them).
    """
    import markdown

    return markdown.Markdown(extensions=list(EXTENSIONS))


def _alt_text(match: re.Match[str]) -> str:
    alt = _ALT.search(match.group(0))
    return alt.group(1) if alt else ""
