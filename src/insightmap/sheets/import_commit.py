"""Writing imported records all or nothing, also across a crash: stage, note the plan, link into place.

An import first writes every new record into a private folder, build/import/run-*/
(build/ is the project's scratch folder, ignored by git and by the loader). It then
writes a manifest (each target path and the hash of its text) and hard-links the
staged files into insights/ one by one — a link appears whole or not at all, and
never replaces a file. Only then is the staging folder removed. A run killed
after the manifest was written is rolled back by the next import: it removes the
files whose text is still exactly what the manifest says, then the folders that
run created. One import at a time: a second one waits for the lock, then stops.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from insightmap.write import FileExists, write_atomic, write_new

STAGING = Path("build") / "import"
MANIFEST = "manifest.json"


@contextlib.contextmanager
def import_lock(root: Path, echo: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the project's import lock (build/import.lock); a second import waits a while, then stops."""
    from insightmap.write import LOCK_WAIT, folder_lock

    made_build = not (root / "build").exists()
    try:
        with folder_lock(root / STAGING.parent / "import.lock", "import", LOCK_WAIT, echo):
            yield
    finally:
        if made_build:  # leave no empty build/ behind an import that wrote nothing
            _remove_empty(root / "build")


def recover(root: Path) -> list[str]:
    """Roll back and remove staging folders left by killed imports; return the record paths removed."""
    staging = root / STAGING
    if not staging.is_dir():
        return []
    removed: list[str] = []
    for run in sorted(staging.iterdir()):
        if run.is_dir() and not run.is_symlink():
            removed += _roll_back(root, run)
            shutil.rmtree(run, ignore_errors=True)
    _remove_empty(staging)
    _remove_empty(staging.parent)  # build/, if the killed run made it for the staging folder alone
    return removed


def commit(root: Path, files: dict[Path, str]) -> list[Path]:
    """Write files (none may exist) all or nothing, surviving a kill; return their paths in order."""
    order = sorted(files)
    if not order:
        return []
    made_build = not (root / "build").exists()
    (root / STAGING).mkdir(parents=True, exist_ok=True)
    run = Path(tempfile.mkdtemp(prefix="run-", dir=root / STAGING))
    placed: list[Path] = []
    folders: list[Path] = []
    try:
        staged = []
        for number, path in enumerate(order):
            scratch = run / f"{number}.md"
            scratch.write_bytes(files[path].encode("utf-8"))
            staged.append(scratch)
        folders = _missing_folders(root, order)
        manifest = {
            "files": [{"path": _rel(root, p), "sha256": _digest(files[p].encode("utf-8"))} for p in order],
            "folders": [_rel(root, f) for f in folders],
        }
        # From here on, a crash is rolled back by the next run.
        write_atomic(run / MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
        for folder in folders:
            folder.mkdir(exist_ok=True)
        for scratch, path in zip(staged, order, strict=True):
            _place(scratch, path, files[path])
            placed.append(path)
    except BaseException:
        # Take back only what this run placed (a file that appeared meanwhile is not ours).
        for path in placed:
            path.unlink(missing_ok=True)
        for folder in reversed(folders):
            _remove_empty(folder)
        raise
    finally:
        shutil.rmtree(run, ignore_errors=True)
        _remove_empty(root / STAGING)
        if made_build:
            _remove_empty(root / "build")
    return order


def _place(scratch: Path, path: Path, text: str) -> None:
    try:
        os.link(scratch, path)  # never replaces a file; the record appears whole
    except FileExistsError as exc:
        raise FileExists(f"{path} exists already; insightmap never overwrites a record") from exc
    except OSError as exc:
        if exc.errno not in (errno.EXDEV, errno.EPERM, errno.ENOTSUP, errno.EMLINK):
            raise
        write_new(path, text)  # build/ on another file system: a temporary file beside the target


def _roll_back(root: Path, run: Path) -> list[str]:
    """Remove what a run placed (files still holding exactly its text), then the folders it made."""
    try:
        manifest = json.loads((run / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []  # no manifest: the run was killed before it placed anything
    removed = []
    for entry in manifest.get("files", []):
        target = root / entry["path"]
        try:
            if (
                target.is_file()
                and not target.is_symlink()
                and _digest(target.read_bytes()) == entry["sha256"]
            ):
                target.unlink()
                removed.append(entry["path"])
        except OSError:
            continue  # leave what cannot be checked
    for folder in reversed(manifest.get("folders", [])):
        _remove_empty(root / folder)
    return removed


def _missing_folders(root: Path, paths: list[Path]) -> list[Path]:
    missing: set[Path] = set()
    for path in paths:
        for parent in path.parents:
            if parent == root or parent.exists():
                break
            missing.add(parent)
    return sorted(missing, key=lambda p: (len(p.parts), p))


def _remove_empty(folder: Path) -> None:
    with contextlib.suppress(OSError):
        folder.rmdir()


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _rel(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()
