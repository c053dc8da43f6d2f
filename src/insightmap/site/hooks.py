"""MkDocs hooks for `insightmap build`: put pre-rendered page HTML back in place of its placeholder.

Named in the derived build/mkdocs.yml (`hooks:`); see prerender.py for why.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from insightmap.site.prerender import PLACEHOLDER_RE, load


def on_page_content(html: str, page: Any, config: Any, files: Any) -> str:
    """Replace a placeholder with the page's cached HTML and table of contents."""
    match = PLACEHOLDER_RE.search(html)
    if match is None:
        return html
    cache = Path(config.config_file_path).parent / "cache" / "html"
    cached = load(cache, match.group(1))
    if cached is None:
        raise RuntimeError(f"insightmap: pre-rendered page {match.group(1)} missing; rebuild")
    from mkdocs.structure.toc import get_toc

    page.toc = get_toc(cached["toc"])
    return str(cached["html"])
