"""Index the site's search while the engine builds it, from the pre-rendered record pages.

Pagefind reads only what a record's `data-pagefind-body` element holds (its text, filters
and meta); that element is the pre-rendered HTML of the page (site/prerender.py), which
the engine puts into the themed page unchanged. So while the engine (one process, one
core) builds the site, the pre-rendered record pages are written as bare HTML pages at
their final addresses into build/search-site/ and Pagefind indexes them on the other
cores; its bundles are then moved into the built site. The pages (fragments) and the word
index are the same bytes as Pagefind makes from the built site (tests/test_early_search.py;
Pagefind writes filter values in hash-map order, different on every run either way), and
Pagefind reads a tenth of the HTML. Measured at 10,000 insights: indexing after the
engine added 14-19 s to a first build.
"""

from __future__ import annotations

import html
import shutil
from pathlib import Path

from insightmap.site import prerender
from insightmap.site.processes import run_tool
from insightmap.site.search import BODY_MARKER, index_site

#: Where the bare record pages and their index are written, inside build/.
FOLDER = "search-site"
_PAGE = (
    '<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n<title>{title}</title>\n'
    "</head>\n<body>\n{body}\n</body>\n</html>\n"
)


def index_prerendered(build_dir: Path, language: str, workers: int) -> Path | None:
    """Write the pre-rendered record pages of build_dir/docs as bare pages and index them; return the folder.

    None when there is no record page (Pagefind then indexes every page of the built site) or
    when a page the engine converts itself (the user's own) asks to be indexed: the built
    site is indexed after the engine instead (see build.index_search).
    """
    folder = build_dir / FOLDER
    if folder.exists():
        shutil.rmtree(folder)
    docs, cache = build_dir / "docs", build_dir / "cache" / "html"
    marker = BODY_MARKER.decode("ascii")
    written = 0
    for page in sorted(docs.rglob("*.md")):
        text = page.read_text(encoding="utf-8")
        found = prerender.PLACEHOLDER_RE.search(text)
        if found is None and marker in text:
            shutil.rmtree(folder, ignore_errors=True)
            return None  # a page of the user's own marks itself for the index: only the built site has it
        data = prerender.load(cache, found.group(1)) if found else None
        if data is None or marker not in data["html"]:
            continue
        if page.name != "index.md":
            continue  # generated pages are all folder/index.md
        target = folder / page.relative_to(docs).with_suffix(".html")
        target.parent.mkdir(parents=True, exist_ok=True)
        title = html.escape(page.parent.name)
        target.write_text(_PAGE.format(lang=language, title=title, body=data["html"]), encoding="utf-8")
        written += 1
    if not written:
        shutil.rmtree(folder, ignore_errors=True)
        return None
    index_site(folder, language, run_tool, workers)
    # The bare pages go while the engine still runs (10,000 of them took 2.7 s to delete after it).
    for child in folder.iterdir():
        if child.is_dir() and not child.name.startswith("pagefind"):
            shutil.rmtree(child)
    return folder


def move_bundles(folder: Path, site_dir: Path) -> None:
    """Move the search bundles (pagefind/, pagefind-2/, …) from folder into the built site."""
    for bundle in sorted(folder.glob("pagefind*")):
        bundle.rename(site_dir / bundle.name)
    shutil.rmtree(folder)
