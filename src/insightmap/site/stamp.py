"""What a site was made from: a digest of its inputs, so an unchanged project is not built again.

`insightmap build` on a project whose files, options, tool versions and date are those of
the site in place returns at once: no analysis, no page, no engine (measured at 10,000
insights: a nothing-changed build ran every stage again, 55.9 s).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

from insightmap.site.build import BuildResult

#: Where a build records the digest of what it was made from (see unchanged()).
STAMP = "site-stamp.json"


def inputs_digest(project: Any, public: bool, out: Path, engine: str, strict: bool) -> str:
    """Return a digest of everything a site is made from: files, options, tool versions, today's date.

    Two builds with the same digest make the same site, so the second need not run at all. It is
    also everything `check` reads (the project's files by content and name, the sources' lock and
    folders, our code and its data, the date), so the same digest as a successful build means the
    same clean check: pipeline.unchanged() compares it before loading anything.
    """
    from importlib import metadata

    from insightmap import clock
    from insightmap.site.config import CONFIG_NAMES, read_user_config

    root = Path(project.root)
    user, _ = read_user_config(root)
    digest = hashlib.sha256()
    options = [str(Path(out).resolve()), engine, strict, public, clock.today(project.config).isoformat()]
    for name in ("insightmap", "properdocs", "mkdocs", "mkdocs-material", "zensical", "pagefind-bin"):
        try:
            options.append(f"{name}=={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            options.append(f"{name} absent")
    digest.update(repr(options).encode("utf-8"))
    # Our own code and templates (an edited checkout builds anew): names, sizes and times suffice.
    package = Path(__file__).resolve().parents[1]
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            stat = path.stat()
            digest.update(f"{path.relative_to(package)}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    # The project's files, by content.
    sources = [root / name for name in ("insightmap.yml", *CONFIG_NAMES)]
    for folder in ("insights", "maps", str(user.get("docs_dir") or "docs")):
        if (root / folder).is_dir() and (root / folder).resolve() != root.resolve():
            sources += sorted(p for p in (root / folder).rglob("*") if p.is_file())
    # What the sources add: insightmap.lock (git sources' commits) and folder sources' files.
    from insightmap.sources.read import input_files

    sources += input_files(project)
    for path in sources:
        if path.is_file():
            digest.update(f"{os.path.relpath(path, root)}\0".encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def unchanged(project: Any, out: Path, digest: str) -> BuildResult | None:
    """Return the last build's result if it was made from the same inputs and its site is still there."""
    import json

    from insightmap.write import SITE_MARKER

    stamp = Path(project.root) / "build" / STAMP
    try:
        data = json.loads(stamp.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if data.get("digest") != digest or not (Path(out) / SITE_MARKER).is_file():
        return None
    timings = {k: float(v) for k, v in data.get("timings", {}).items() if k.startswith("generate.chart")}
    timings["generate.charts drawn"] = 0.0
    return BuildResult(pages=int(data["pages"]), written=0, removed=0, site_dir=Path(out), timings=timings)


def remember(project: Any, digest: str, result: BuildResult) -> None:
    """Record what the site just built was made from (a failed build records nothing)."""
    import json

    from insightmap.write import write_atomic

    data = {"digest": digest, "pages": result.pages, "timings": result.timings}
    write_atomic(Path(project.root) / "build" / STAMP, json.dumps(data, indent=1).encode("utf-8"))
