"""Search with Pagefind: index the built site (any engine) into its pagefind/ folder.

Pagefind reads the HTML the engine wrote, so search works the same after ProperDocs,
MkDocs or Zensical. Only record pages are indexed: their templates mark the record
(title and body) with `data-pagefind-body`, which leaves every page without it out;
filters (perspective, subpopulation, organisation, kind, year) and the organisation
and date shown with a hit come from `data-pagefind-filter`/`-meta` there. The index is
split into chunks, so a first query loads only what it needs (Material's lunr index
was downloaded whole: 24 MB at 10,000 insights). Stemming follows the site's language.

A large site is indexed in shards of about SHARD_RECORDS records, one Pagefind bundle
each (pagefind/, pagefind-2/, ...), which the search box merges (Pagefind's `mergeIndex`).
Pagefind's search is quadratic in the number of hits: for every hit it walks all the
matching words' page lists, and it counts the filter values of every hit by scanning the
list of hits. A common word on 10,000 insights (6,089 hits) took 3.1 s in the browser's
worker with the filters loaded; in 8 shards the same search took 0.4-0.7 s. Records are
shared out by organisation folder (whole folders, largest first, into the lightest shard).
"""

from __future__ import annotations

import importlib.util
import json
import math
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from insightmap.errors import InsightmapError
from insightmap.site.urls import action_url, insight_url, study_url

#: The folder Pagefind writes into the site (index chunks and its UI); shards 2.. go beside it.
BUNDLE = "pagefind"
#: The file in BUNDLE that lists the other shards' folders (read by assets/insightmap-search.js).
MANIFEST = "insightmap.json"
#: Records per shard. A first search costs time quadratic in a shard's hits (see above) but a
#: request per shard for each of its index and filter files: 1,000 keeps a first query at
#: 10,000 insights well under 1 MB.
SHARD_RECORDS = 1000
#: The marker of an indexed page (the record templates put it on the record's article).
BODY_MARKER = b"data-pagefind-body"


def require_pagefind() -> None:
    """Raise InsightmapError unless Pagefind's binary package can run here."""
    if importlib.util.find_spec("pagefind") is None or importlib.util.find_spec("pagefind_bin") is None:
        raise InsightmapError(
            f"Pagefind is not installed in this Python ({sys.executable}); the site's search needs it: "
            "`pip install 'pagefind[bin]'` (or reinstall insightmap)"
        )


def pagefind_command(
    site_dir: Path, language: str, subdir: str = BUNDLE, glob: str | None = None
) -> list[str]:
    """Return the command line that indexes a built site (or the pages glob picks), in the site's language."""
    require_pagefind()
    return [
        sys.executable,
        "-m",
        "pagefind",
        "--site",
        str(site_dir),
        "--output-subdir",
        subdir,
        # One language for the whole site: Snowball stemming for Swedish ("barnens" finds "barn").
        "--force-language",
        language,
        *(["--glob", glob] if glob else []),
        "--quiet",
    ]


def record_folders(site_dir: Path) -> dict[str, int]:
    """Return each folder of record pages (`insikter/<organisation>`) with its number of pages."""
    folders: dict[str, int] = {}
    for section in sorted({url("x").split("/")[0] for url in (insight_url, study_url, action_url)}):
        root = site_dir / section
        if not root.is_dir():
            continue
        for folder in sorted(p for p in root.iterdir() if p.is_dir()):
            pages = sorted(folder.rglob("index.html"))
            # A folder of list pages only (insikter/region/) holds no record: it is left out.
            if any(BODY_MARKER in page.read_bytes() for page in pages):
                folders[f"{section}/{folder.name}"] = len(pages)
    return folders


def shards(folders: dict[str, int], size: int | None = None) -> list[list[str]]:
    """Share the record folders out into shards of about `size` pages; one shard (all) for a small site."""
    count = math.ceil(sum(folders.values()) / (size or SHARD_RECORDS))
    if count < 2 or len(folders) < 2:
        return [sorted(folders)]
    bins: list[tuple[int, list[str]]] = [(0, []) for _ in range(min(count, len(folders)))]
    for folder, pages in sorted(folders.items(), key=lambda item: (-item[1], item[0])):
        lightest = min(range(len(bins)), key=lambda i: bins[i][0])
        total, members = bins[lightest]
        bins[lightest] = (total + pages, [*members, folder])
    return [sorted(members) for _, members in bins]


def shard_dir(number: int) -> str:
    """Return the bundle folder of a shard: pagefind/ for the first, pagefind-2/ and on for the others."""
    return BUNDLE if number == 1 else f"{BUNDLE}-{number}"


def index_site(
    site_dir: Path, language: str, run: Callable[[str, list[str], Path], None], workers: int = 1
) -> int:
    """Index a built site with Pagefind, in shards on a large site; return the number of shards.

    `run(name, command, cwd)` runs one Pagefind process (processes.run_tool); up to `workers`
    run at once. Writes pagefind/insightmap.json, which names the shards after the first.
    """
    parts = shards(record_folders(site_dir))
    if len(parts) == 1:
        commands = [pagefind_command(site_dir, language)]
    else:
        commands = [
            pagefind_command(site_dir, language, shard_dir(n), "{" + ",".join(part) + "}/**/index.html")
            for n, part in enumerate(parts, start=1)
        ]
    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(commands)))) as pool:
        for done in [pool.submit(run, "pagefind", command, site_dir.parent) for command in commands]:
            done.result()
    manifest = {"shards": [f"{shard_dir(n)}/" for n in range(2, len(commands) + 1)]}
    (site_dir / BUNDLE / MANIFEST).write_text(json.dumps(manifest) + "\n", encoding="utf-8")
    return len(commands)
