"""Where every page of the site lives: one module for all URLs, so no other stage builds paths.

Every page is `<url>/index.md`, so a page's URL is its folder and links between
pages are computed relative to it. URLs are Swedish, like the site.
"""

from __future__ import annotations

import posixpath
from urllib.parse import quote

from insightmap.analyse.venn import REGIONS, region_slug
from insightmap.load.vocabulary import VOCABULARY_FIELDS
from insightmap.records import Record

#: The stylesheet every page uses (shipped in insightmap/site/assets/).
STYLESHEET = "assets/insightmap.css"
#: Folders holding generated pages reached from index pages, not from the navigation.
NOT_IN_NAV = ("insikter", "insiktsarbeten", "forandringar", "organisationer", "kartor", "taggar")


def page_path(url: str) -> str:
    """Return the docs file of a page URL (`insikter/a/` → `insikter/a/index.md`)."""
    return f"{url}index.md"


def relative(target: str, page: str) -> str:
    """Return the link from page URL to target URL (both site-root relative folders, `""` = root)."""
    path, _, anchor = target.partition("#")
    rel = _relpath(path.rstrip("/") or ".", page.rstrip("/") or ".")
    href = "./" if rel == "." else quote(rel) + ("/" if path.endswith("/") or not path else "")
    return href + (f"#{anchor}" if anchor else "")


def _relpath(path: str, start: str) -> str:
    """Return posixpath.relpath(path, start) for plain site folders, without its file-system calls.

    Every page links to many others (a tag page to hundreds of insights): relpath's
    abspath/normpath of both sides was a third of writing the pages' templates.
    """
    segments, base = _segments(path), _segments(start)
    if segments is None or base is None:
        return posixpath.relpath(path, start)
    common = 0
    for a, b in zip(segments, base, strict=False):
        if a != b:
            break
        common += 1
    return "/".join([".."] * (len(base) - common) + segments[common:]) or "."


def _segments(folder: str) -> list[str] | None:
    """Return a folder's segments, or None when it is not plain (absolute, `.`, `..` or `//` inside)."""
    if folder == ".":
        return []
    parts = folder.split("/")
    return None if any(part in ("", ".", "..") for part in parts) else parts


def insight_url(record_id: str) -> str:
    """Return the URL of an insight page."""
    return f"insikter/{record_id}/"


def study_url(record_id: str) -> str:
    """Return the URL of a study page."""
    return f"insiktsarbeten/{record_id}/"


def action_url(record_id: str) -> str:
    """Return the URL of an action page (the section's index is "from insight to change")."""
    return f"forandringar/{record_id}/"


def record_url(record: Record) -> str:
    """Return the URL of a record's page."""
    if record.kind == "action":
        return action_url(record.id)
    return insight_url(record.id) if record.kind == "insight" else study_url(record.id)


def organisation_url(key: str) -> str:
    """Return the URL of an organisation page."""
    return f"organisationer/{key}/"


def map_url(name: str) -> str:
    """Return the URL of a map-definition page."""
    from insightmap.write import slugify

    return f"kartor/{slugify(name)}/"


def tag_url(name: str, key: str | None = None) -> str:
    """Return the URL of a tag-value page (or of the field's index without key)."""
    return f"taggar/{name}/{key}/" if key else f"taggar/{name}/"


def region_url(
    key: str, *, map_name: str | None = None, organisation: str | None = None, base: str = ""
) -> str:
    """Return where the site lists a region's insights, relative to the site root (or base).

    `kartor/<map>/<region>/` for a map definition, `organisationer/<org>/<region>/`
    for an organisation's map and `insikter/region/<region>/` for the overall map.
    """
    if map_name is not None:
        path = map_url(map_name)
    elif organisation is not None:
        path = organisation_url(organisation)
    else:
        path = "insikter/region/"
    prefix = base if not base or base.endswith("/") else base + "/"
    return f"{prefix}{path}{region_slug(key)}/"


def reserved_pages() -> dict[str, str]:
    """Return every generated URL that is no record's page, with what it is (the one list).

    A record (or map) whose URL is among these would overwrite a generated page or be lost,
    so `check` refuses it; `site/` paths of MkDocs and the theme (`assets/`, `search/`) too.
    """
    pages = {
        "": "the start page",
        "insikter/": "the list of insights",
        "insiktsarbeten/": "the list of studies",
        "forandringar/": "the page from insight to change",
        "organisationer/": "the list of organisations",
        "kartor/": "the list of maps",
        "taggar/": "the list of tags",
        "vita-flackar/": "the white-spot page",
        "kluster/": "the cluster page",
        "assets/": "the site's stylesheets and scripts",
        "search/": "the search index",
    }
    for key in REGIONS:
        pages[region_url(key)] = f"the overall map's list of the region {key}"
    for name in VOCABULARY_FIELDS:
        pages[tag_url(name)] = f"the list of {name} tags"
    return pages
