"""Serve the site while records change: regenerate build/docs/ and let `mkdocs serve` reload."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from insightmap.records import Corpus

#: Seconds between looks at the project's files.
POLL = 1.0


def snapshot(root: Path) -> dict[str, float]:
    """Return the modification times of the files the site is made from."""
    found: dict[str, float] = {}
    for name in ("insightmap.yml", "mkdocs.yml"):
        if (root / name).is_file():
            found[name] = (root / name).stat().st_mtime
    for folder in ("insights", "maps"):
        for path in sorted((root / folder).rglob("*")) if (root / folder).is_dir() else ():
            if path.is_file():
                found[path.relative_to(root).as_posix()] = path.stat().st_mtime
    return found


def regenerate(project: Any, public: bool) -> tuple[Any, list[str]]:
    """Reload the project; return the new corpus (None on problems) and the problems' lines."""
    from insightmap.load import load
    from insightmap.maps import load_map_definitions
    from insightmap.project import open_project

    project = open_project(Path(project.root))
    corpus, problems = load(project)
    problems = [*problems, *load_map_definitions(project)[1]]
    if problems:
        return None, [p.format() for p in sorted(problems)]
    return (corpus.public() if public else corpus), []


def serve(
    project: Any, corpus: Corpus, port: int = 8000, public: bool = False, echo: Callable[[str], None] = print
) -> None:
    """Generate the pages, start `mkdocs serve` on 127.0.0.1 and regenerate on changes until interrupted."""
    from insightmap.site.build import ENGINE_ENV, prepare

    root = Path(project.root)
    build_dir = root / "build"
    shown = corpus.public() if public else corpus
    config_path, _, _ = prepare(project, shown, build_dir, build_dir / "serve-site")
    command = [
        sys.executable,
        "-m",
        "mkdocs",
        "serve",
        "-q",
        "-f",
        str(config_path),
        "-a",
        f"127.0.0.1:{port}",
        "--livereload",
    ]
    process = subprocess.Popen(command, env={**os.environ, **ENGINE_ENV}, cwd=build_dir)
    echo(f"Serving on http://127.0.0.1:{port}/ (Ctrl-C stops)")
    seen = snapshot(root)
    try:
        while process.poll() is None:
            time.sleep(POLL)
            now = snapshot(root)
            if now == seen:
                continue
            seen = now
            fresh, problems = regenerate(project, public)
            if problems:
                echo("\n".join(problems))
                echo("Not rebuilt: fix the problems above (the last good pages stay up).")
                continue
            prepare(project, fresh, build_dir, build_dir / "serve-site")
            echo("Rebuilt the pages.")
    except KeyboardInterrupt:
        pass
    finally:
        process.terminate()
        process.wait(timeout=10)
