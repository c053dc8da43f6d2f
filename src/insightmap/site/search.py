"""Search with Pagefind: index the built site (any engine) into its pagefind/ folder.

Pagefind reads the HTML the engine wrote, so search works the same after ProperDocs,
MkDocs or Zensical. Only record pages are indexed: their templates mark the record
(title and body) with `data-pagefind-body`, which leaves every page without it out;
filters (perspective, subpopulation, organisation, kind, year) and the organisation
and date shown with a hit come from `data-pagefind-filter`/`-meta` there. The index is
split into chunks, so a first query loads only what it needs (Material's lunr index
was downloaded whole: 24 MB at 10,000 insights). Stemming follows the site's language.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from insightmap.errors import InsightmapError

#: The folder Pagefind writes into the site (index chunks and its UI).
BUNDLE = "pagefind"


def require_pagefind() -> None:
    """Raise InsightmapError unless Pagefind's binary package can run here."""
    if importlib.util.find_spec("pagefind") is None or importlib.util.find_spec("pagefind_bin") is None:
        raise InsightmapError(
            f"Pagefind is not installed in this Python ({sys.executable}); the site's search needs it: "
            "`pip install 'pagefind[bin]'` (or reinstall insightmap)"
        )


def pagefind_command(site_dir: Path, language: str) -> list[str]:
    """Return the command line that indexes a built site, every page in the site's language."""
    require_pagefind()
    return [
        sys.executable,
        "-m",
        "pagefind",
        "--site",
        str(site_dir),
        "--output-subdir",
        BUNDLE,
        # One language for the whole site: Snowball stemming for Swedish ("barnens" finds "barn").
        "--force-language",
        language,
        "--quiet",
    ]
