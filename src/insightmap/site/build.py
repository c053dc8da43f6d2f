"""Build the site: generate the docs tree into build/, derive build/mkdocs.yml, run the engine, swap.

The engine (MkDocs with Material, or Zensical) runs in a child process into a
temporary folder; only a successful build replaces the existing site, so a
failed build leaves the published one untouched.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from insightmap.errors import InsightmapError
from insightmap.records import Corpus

ENGINES = ("mkdocs", "zensical")
#: Silence MkDocs 2.0 and Material end-of-life banners in our builds.
ENGINE_ENV = {"NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}


@dataclass
class BuildResult:
    """What a build did: pages, files written or removed in build/docs, and seconds per stage."""

    pages: int
    written: int
    removed: int
    site_dir: Path
    timings: dict[str, float] = field(default_factory=dict)


def write_tree(files: dict[str, str | bytes], folder: Path) -> tuple[int, int]:
    """Make folder hold exactly files, writing only changed ones; return (written, removed)."""
    from insightmap.write import write_atomic

    written = 0
    for rel, content in files.items():
        data = content.encode("utf-8") if isinstance(content, str) else content
        path = folder / rel
        if path.is_file() and _digest(path.read_bytes()) == _digest(data):
            continue  # untouched, so the engine's caches and file times stay valid
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, data)
        written += 1
    removed = 0
    if folder.is_dir():
        for path in sorted(folder.rglob("*"), reverse=True):
            rel = path.relative_to(folder).as_posix()
            if path.is_file() and rel not in files:
                path.unlink()
                removed += 1
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
    return written, removed


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def user_files(root: Path, user_config: dict[str, Any]) -> dict[str, str | bytes]:
    """Return the user's own docs_dir files (extra pages, images, CSS), skipping hidden ones."""
    folder = root / str(user_config.get("docs_dir") or "docs")
    if not folder.is_dir() or folder.resolve() == root.resolve():
        return {}
    found: dict[str, str | bytes] = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if path.is_file() and not any(part.startswith(".") for part in rel.split("/")):
            found[rel] = path.read_bytes()
    return found


def prepare(
    project: Any,
    corpus: Corpus,
    build_dir: Path,
    site_dir: Path,
    strict: bool = False,
    engine: str = "mkdocs",
) -> tuple[Path, Any, tuple[int, int]]:
    """Generate the docs tree and the derived mkdocs.yml in build_dir; return (config path, site, counts).

    For MkDocs, generated pages are pre-rendered (see prerender.py) and a hook restores them.
    """
    from insightmap.site import hooks as hooks_module
    from insightmap.site import prerender
    from insightmap.site.config import derived_config, dump, read_user_config
    from insightmap.site.generate import generate_site

    root = Path(project.root)
    user, _ = read_user_config(root)
    site = generate_site(project, corpus)
    if strict and site.broken_links:
        shown = "\n".join(f"  {page or '/'} → {target}" for page, target in site.broken_links[:20])
        raise InsightmapError(f"{len(site.broken_links)} broken link(s) between generated pages:\n{shown}")
    pages = dict(site.files)
    hooks: list[str] = []
    if engine == "mkdocs" and prerender.usable(user.get("markdown_extensions")):
        renderer = prerender.Prerenderer(build_dir / "cache" / "html", user.get("markdown_extensions"))
        pages = {
            rel: renderer.page(text) if rel.endswith(".md") and isinstance(text, str) else text
            for rel, text in pages.items()
        }
        renderer.prune()
        site.timings["pages converted"] = renderer.converted
        hooks = [str(Path(hooks_module.__file__).resolve())]
    files = {**user_files(root, user), **pages}
    docs_dir = build_dir / "docs"
    counts = write_tree(files, docs_dir)
    # Relative to build/mkdocs.yml: Zensical fails on absolute folders.
    config = derived_config(
        user,
        site,
        Path("docs"),
        Path(os.path.relpath(site_dir, build_dir)),
        corpus.config.search_stemming,
        root=root,
        strict_links=strict,
    )
    if hooks:
        config["hooks"] = [*(config.get("hooks") or []), *hooks]
    config_path = build_dir / "mkdocs.yml"
    text = dump(config)
    if not config_path.is_file() or config_path.read_text("utf-8") != text:
        from insightmap.write import write_atomic

        write_atomic(config_path, text.encode("utf-8"))
    return config_path, site, counts


def engine_command(engine: str, config_path: Path, strict: bool) -> list[str]:
    """Return the command line that builds the site with an engine."""
    if engine == "mkdocs":
        return [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--clean",
            "-q",
            "-f",
            str(config_path),
            *(["--strict"] if strict else []),
        ]
    if engine == "zensical":
        exe = shutil.which("zensical")
        if exe is None:
            raise InsightmapError(
                "--engine zensical: Zensical is not installed; install it with "
                "`pip install 'insightmap[zensical]'`, or build with the default engine (mkdocs)"
            )
        return [exe, "build", "--clean", "-f", str(config_path), *(["--strict"] if strict else [])]
    raise InsightmapError(f"unknown engine `{engine}`; choose one of {', '.join(ENGINES)}")


def run_engine(engine: str, config_path: Path, strict: bool) -> None:
    """Run the engine on the derived config; raise InsightmapError with its output when it fails."""
    command = engine_command(engine, config_path, strict)
    env = {**os.environ, **ENGINE_ENV}
    done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=config_path.parent)
    if done.returncode != 0:
        output = (done.stderr + done.stdout).strip().splitlines()
        tail = "\n".join(output[-25:])
        raise InsightmapError(
            f"the {engine} build failed (exit {done.returncode}); the site was left as it was:\n{tail}"
        )


def build_site(
    project: Any,
    corpus: Corpus,
    out: Path,
    engine: str = "mkdocs",
    strict: bool = False,
    build_dir: Path | None = None,
) -> BuildResult:
    """Generate the pages, run the engine into a temporary folder and swap it into out on success."""
    timings: dict[str, float] = {}
    out = Path(out)
    build_dir = build_dir or Path(project.root) / "build"
    # Inside build/: Zensical wants the site folder under its config's folder.
    staging = build_dir / "site.building"
    if staging.exists():
        shutil.rmtree(staging)
    # Generate the docs tree and derived config (pages only change when their text does).
    start = time.perf_counter()
    config_path, site, (written, removed) = prepare(project, corpus, build_dir, staging, strict, engine)
    timings["generate"] = time.perf_counter() - start
    timings.update({f"generate.{k}": v for k, v in site.timings.items() if k != "total"})
    # Run the engine into the staging folder.
    start = time.perf_counter()
    try:
        run_engine(engine, config_path, strict)
        if not (staging / "index.html").is_file():
            raise InsightmapError(f"the {engine} build wrote no index.html; the site was left as it was")
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    timings["engine"] = time.perf_counter() - start
    # Swap: the old site is moved aside only once the new one is complete.
    swap(staging, out)
    pages = sum(1 for name in site.files if name.endswith(".md"))
    return BuildResult(pages=pages, written=written, removed=removed, site_dir=out, timings=timings)


def swap(new: Path, out: Path) -> None:
    """Replace out by new with two renames, so a reader never sees a half-built site."""
    old = out.parent / f".{out.name}.old"
    if old.exists():
        shutil.rmtree(old)
    if out.exists():
        out.rename(old)
    shutil.move(str(new), str(out))  # a rename on one file system
    shutil.rmtree(old, ignore_errors=True)
