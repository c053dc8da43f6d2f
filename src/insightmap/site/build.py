"""Build the site: generate the docs tree into build/, derive the engine's config, run the engine, swap.

The engine (ProperDocs or MkDocs with Material, or Zensical) runs in a child process (its own
process group, killed with us) into a temporary folder; the result is staged
beside the site folder and swapped in by renames only after a successful build,
so a failed, killed or concurrent build leaves the published site untouched.
"""

from __future__ import annotations

import ctypes
import errno
import hashlib
import os
import shutil
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from insightmap.errors import InsightmapError
from insightmap.parallel import cores
from insightmap.site.processes import ENGINE_ENV, engine_process, run_tool

__all__ = ["ENGINE_ENV", "engine_process", "run_tool"]  # the serve module and the plugin use them from here

if TYPE_CHECKING:
    from insightmap.site.generate import Site

#: The engines, default first: ProperDocs is the maintained fork of MkDocs 1.x (same plugins, same
#: pages); MkDocs itself stays usable; Zensical is Material's successor, for small sites so far.
ENGINES = ("properdocs", "mkdocs", "zensical")
#: Engines that run MkDocs plugins and hooks (ours pre-render pages for them).
MKDOCS_LIKE = ("properdocs", "mkdocs")
AT_FDCWD = -100
RENAME_EXCHANGE = 2


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
        if path.is_file():
            if _digest(path.read_bytes()) == _digest(data):
                continue  # untouched, so the engine's caches and file times stay valid
            write_atomic(path, data)  # replaced whole: never half old, half new
        else:
            # A new file has no old content to keep: written directly (a run killed meanwhile
            # leaves a short file, which the next build's digest sees and writes again).
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
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
    site: Site,
    build_dir: Path,
    site_dir: Path,
    strict: bool = False,
    engine: str = ENGINES[0],
    workers: int = 1,
) -> tuple[Path, tuple[int, int]]:
    """Write the generated pages into build_dir/docs and derive the engine's config; return (config, counts).

    New pages are pre-rendered by `workers` processes (serve keeps 1: it has threads, and few new pages).

    The config is build_dir/properdocs.yml for ProperDocs (the name it reads without a rename
    notice), build_dir/mkdocs.yml for MkDocs and Zensical. For the MkDocs-like engines, generated
    pages are pre-rendered (see prerender.py) and a hook restores them.
    """
    from insightmap.site import hooks as hooks_module
    from insightmap.site import prerender
    from insightmap.site.config import derived_config, dump, read_user_config

    root = Path(project.root)
    user, _ = read_user_config(root)
    if strict and site.broken_links:
        shown = "\n".join(f"  {page or '/'} → {target}" for page, target in site.broken_links[:20])
        raise InsightmapError(f"{len(site.broken_links)} broken link(s) between generated pages:\n{shown}")
    pages = dict(site.files)
    hooks: list[str] = []
    if engine in MKDOCS_LIKE and prerender.usable(user.get("markdown_extensions")):
        renderer = prerender.Prerenderer(build_dir / "cache" / "html", user.get("markdown_extensions"))
        pages = renderer.pages(pages, workers)
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
        root=root,
        strict_links=strict,
    )
    if hooks:
        config["hooks"] = [*(config.get("hooks") or []), *hooks]
    if engine == "zensical":
        config["theme"] = {"variant": "classic", **config["theme"]}  # Material's look, unless chosen
    config_path = config_file(build_dir, engine)
    text = dump(config)
    if not config_path.is_file() or config_path.read_text("utf-8") != text:
        from insightmap.write import write_atomic

        write_atomic(config_path, text.encode("utf-8"))
    return config_path, counts


def config_file(build_dir: Path, engine: str) -> Path:
    """Return where the derived config for an engine goes."""
    return build_dir / ("properdocs.yml" if engine == "properdocs" else "mkdocs.yml")


def engine_command(engine: str, config_path: Path, strict: bool) -> list[str]:
    """Return the command line that builds the site with an engine."""
    if engine in MKDOCS_LIKE:
        require_engine(engine)
        return [
            sys.executable,
            "-m",
            engine,
            "build",
            "--clean",
            "-q",
            "-f",
            str(config_path),
            *(["--strict"] if strict else []),
        ]
    if engine == "zensical":
        # `python -m`, not PATH: the venv's bin/ is often not on it. No `--clean`: it throws away
        # Zensical's cache (a no-change rebuild at 1,000 took 13.8 s instead of 8.8 s); our output
        # folder is new for every build anyway.
        require_engine(engine)
        return [
            sys.executable,
            "-m",
            "zensical",
            "build",
            "-f",
            str(config_path),
            *(["--strict"] if strict else []),
        ]
    raise InsightmapError(f"unknown engine `{engine}`; choose one of {', '.join(ENGINES)}")


def require_engine(engine: str) -> None:
    """Raise InsightmapError unless the engine (and Pagefind) can run here, before any page is generated."""
    import importlib.util

    from insightmap.site.search import require_pagefind

    require_pagefind()
    if engine not in ENGINES:
        raise InsightmapError(f"unknown engine `{engine}`; choose one of {', '.join(ENGINES)}")
    if importlib.util.find_spec(engine) is None:
        how = f"pip install 'insightmap[{engine}]'" if engine == "zensical" else f"pip install {engine}"
        raise InsightmapError(
            f"--engine {engine}: {engine} is not installed in this Python ({sys.executable}); install it "
            f"with `{how}`, or build with the default engine ({ENGINES[0]})"
        )


def run_engine(engine: str, config_path: Path, strict: bool) -> None:
    """Run the engine on the derived config; raise InsightmapError with its output when it fails."""
    run_tool(engine, engine_command(engine, config_path, strict), config_path.parent)


def index_search(site_dir: Path, language: str) -> None:
    """Index the built site with Pagefind (its search box and chunked index go into site_dir)."""
    from insightmap.site.search import index_site

    index_site(site_dir, language, run_tool, cores())


@contextmanager
def build_lock(project: Any, out: Path, echo: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the build's locks: one build at a time per work folder and per site folder.

    A second build waits, then stops with a message; the kernel frees the locks of a killed run.
    """
    from insightmap.write import LOCK_WAIT, folder_lock

    build_dir = Path(project.root) / "build"
    with (
        folder_lock(build_dir / ".lock", "build", LOCK_WAIT, echo),
        folder_lock(_beside(Path(out), "lock"), "build", LOCK_WAIT, echo),
    ):
        yield


def build_site(
    project: Any, site: Site, out: Path, engine: str = ENGINES[0], strict: bool = False
) -> BuildResult:
    """Write the pages, run the engine into a temporary folder and swap it into out on success.

    Call it under build_lock(); leftovers of a killed run are cleaned up first.
    """
    return _build_locked(project, site, Path(out), engine, strict, Path(project.root) / "build")


def _beside(out: Path, what: str) -> Path:
    """Return a hidden sibling of out (same folder, so same file system: moves are renames)."""
    return out.parent / f".{out.name}.{what}"


def recover(out: Path) -> None:
    """Clean up after a killed build: restore a site moved aside, remove half-made folders."""
    old, staging = _beside(out, "old"), _beside(out, "building")
    if old.is_dir() and not out.exists():
        old.rename(out)  # killed between the two renames of a swap: the old site is whole
    for stale in (old, staging):
        if stale.exists():
            shutil.rmtree(stale)


def _build_locked(
    project: Any, site: Site, out: Path, engine: str, strict: bool, build_dir: Path
) -> BuildResult:
    from insightmap.write import SITE_MARKER

    timings: dict[str, float] = {}
    recover(out)
    # Inside build/: Zensical wants the site folder under its config's folder.
    engine_out = build_dir / "site.building"
    if engine_out.exists():
        shutil.rmtree(engine_out)
    # Generate the docs tree and derived config (pages only change when their text does).
    start = time.perf_counter()
    config_path, (written, removed) = prepare(project, site, build_dir, engine_out, strict, engine, cores())
    timings["generate"] = time.perf_counter() - start
    # Run the engine into build/, then stage the result beside out (same file system).
    start = time.perf_counter()
    staging = _beside(out, "building")
    try:
        with ThreadPoolExecutor(max_workers=1) as beside:
            # Pre-rendered pages are indexed while the engine runs (site/earlysearch.py).
            early = beside.submit(_index_early, build_dir, site, timings) if EARLY_SEARCH else None
            try:
                run_engine(engine, config_path, strict)
            except BaseException:
                if early is not None:
                    wait([early])  # the engine's error is the one to report
                raise
            searched = early.result() if early is not None else None
        if not (engine_out / "index.html").is_file():
            raise InsightmapError(f"the {engine} build wrote no index.html; the site was left as it was")
        timings["engine"] = time.perf_counter() - start
        start = time.perf_counter()
        if searched is not None:
            from insightmap.site.earlysearch import move_bundles

            move_bundles(searched, engine_out)
        else:
            index_search(engine_out, site.language)
        timings["search index"] = time.perf_counter() - start
        out.parent.mkdir(parents=True, exist_ok=True)
        _move(engine_out, staging)
        (staging / SITE_MARKER).write_text(
            "Built by insightmap; `insightmap build` replaces this folder whole.\n", encoding="utf-8"
        )
    except BaseException:
        shutil.rmtree(engine_out, ignore_errors=True)
        shutil.rmtree(staging, ignore_errors=True)
        raise
    # Swap: the old site is replaced only once the new one is complete, by renames.
    swap(staging, out)
    pages = sum(1 for name in site.files if name.endswith(".md"))
    return BuildResult(pages=pages, written=written, removed=removed, site_dir=out, timings=timings)


#: Index the search from the pre-rendered pages while the engine runs (tests turn it off to compare);
#: a build that pre-rendered none (Zensical) finds no such page and indexes after the engine.
EARLY_SEARCH = True


def _index_early(build_dir: Path, site: Site, timings: dict[str, float]) -> Path | None:
    """Index the pre-rendered record pages on the cores the engine leaves free; time it."""
    from insightmap.site.earlysearch import index_prerendered

    start = time.perf_counter()
    try:
        return index_prerendered(build_dir, site.language, max(1, cores() - 1))
    finally:
        timings["search index beside the engine"] = time.perf_counter() - start


def _move(source: Path, target: Path) -> None:
    """Move a folder: a rename, or across file systems a copy into the (not yet live) staging folder."""
    try:
        source.rename(target)
    except OSError as exc:
        if exc.errno != errno.EXDEV:
            raise
        _copy_tree(source, target)
        shutil.rmtree(source)


def _copy_tree(source: Path, target: Path) -> None:
    """Copy a folder, stopping at the first error (copytree would gather one per file)."""
    for folder, _, files in os.walk(source):
        into = target / Path(folder).relative_to(source)
        into.mkdir(exist_ok=True)
        for name in files:
            shutil.copy2(Path(folder) / name, into / name)


def swap(new: Path, out: Path) -> None:
    """Replace out by new with renames only, so a reader never sees a half-built site.

    On Linux one atomic exchange; elsewhere out → .out.old, new → out (a run killed in between
    leaves .out.old, which recover() puts back). The old site is then deleted.
    """
    old = _beside(out, "old")
    if old.exists():
        shutil.rmtree(old)
    if not out.exists():
        new.rename(out)
        return
    if _exchange(new, out):
        new.rename(old)  # new now holds the old site
    else:
        out.rename(old)
        new.rename(out)
    shutil.rmtree(old, ignore_errors=True)  # a leftover is removed by the next build


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    renameat2 = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if renameat2 is None:
        return False
    if renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False  # an old kernel or a file system without exchange: two renames instead
    raise OSError(code, os.strerror(code), str(a), None, str(b))
