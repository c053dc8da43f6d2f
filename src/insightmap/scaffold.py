"""Scaffold a new project from the packaged templates."""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from insightmap.errors import InsightmapError
from insightmap.load.organisations import find_municipality


def scaffold(target: Path, example: bool = False, organisation: str = "karlskrona") -> list[str]:
    """Create a project in target (which must be empty or absent); return the paths written."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise InsightmapError(f"{target} is not empty; insightmap init only writes into an empty folder")
    if example and find_municipality(organisation) is None:
        raise InsightmapError(f"--organisation: `{organisation}` is not a municipality slug or SCB code")
    base = resources.files("insightmap").joinpath("data/init")
    target.mkdir(parents=True, exist_ok=True)
    files = {
        "insightmap.yml": base.joinpath("insightmap.yml").read_text("utf-8"),
        "properdocs.yml": base.joinpath("properdocs.yml").read_text("utf-8"),
        ".gitignore": base.joinpath("gitignore").read_text("utf-8"),
        "insights/.gitkeep": "",
        "maps/.gitkeep": "",
        "docs/.gitkeep": "",  # docs_dir of properdocs.yml: your own pages, images, CSS
    }
    if example:
        slug = find_municipality(organisation).slug  # type: ignore[union-attr]
        for path, text in _walk(base.joinpath("example"), ""):
            files[path.replace("exempel", slug)] = text.replace("ORGANISATION", slug)
    for rel, text in files.items():
        out = target / rel
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
    return sorted(files)


def _walk(folder: Traversable, prefix: str) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        rel = f"{prefix}{entry.name}"
        if entry.is_dir():
            found.extend(_walk(entry, rel + "/"))
        else:
            found.append((rel, entry.read_text("utf-8")))
    return found
