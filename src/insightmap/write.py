"""Safe writes: new records never overwrite, and files appear whole or not at all."""

from __future__ import annotations

import errno
import os
import re
import tempfile
import time
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml

from insightmap.errors import Busy, InsightmapError, OutputRefused, shown_path

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; runs are not serialised there
    fcntl = None  # type: ignore[assignment]

FIELD_ORDER = (
    "kind",
    "id",
    "title",
    "status",
    "organisation",
    "date",
    "end",
    "perspective",
    "subpopulation",
    "shift",
    "theme",
    "area",
    "method",
    "study",
    "same-as",
    "not-same-as",
    "contact",
    "visibility",
    "source",
    "quotes",
)


class FileExists(InsightmapError):
    """The target file exists; insightmap never overwrites a record."""


def slugify(text: str, max_length: int = 60) -> str:
    """Return an ASCII file-name slug: `Öppettider på lunchen` → `oppettider-pa-lunchen`."""
    folded = unicodedata.normalize("NFKD", text.lower())
    ascii_text = "".join(c for c in folded if not unicodedata.combining(c))
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0]
    return slug or "insikt"


def render_record(fields: dict[str, Any], body: str) -> str:
    """Render front-matter (in a stable field order, lists inline) and body as a Markdown record."""
    ordered = {k: fields[k] for k in FIELD_ORDER if fields.get(k) not in (None, "", [], ())}
    ordered.update({k: v for k, v in fields.items() if k not in FIELD_ORDER and v not in (None, "", [])})
    lines = []
    for key, value in ordered.items():
        if isinstance(value, tuple):
            value = list(value)
        if isinstance(value, list) and key not in ("quotes", "indicators"):
            # Tag lists read best inline: `perspective: [risk-group]`.
            inline = yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=10_000)
            dumped = f"{key}: {inline.strip()}"
        else:
            dumped = yaml.safe_dump(
                {key: value},
                allow_unicode=True,
                sort_keys=False,
                default_flow_style=False,
                width=10_000,
            )
        lines.append(dumped.rstrip("\n"))
    return "---\n" + "\n".join(lines) + "\n---\n\n" + body.strip() + "\n"


def write_new(path: Path, text: str) -> None:
    """Write a new file atomically; refuse if it exists (also when it appears meanwhile)."""
    exists = f"{path} exists already; insightmap never overwrites a record"
    if path.exists():
        raise FileExists(exists)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _temp_beside(path, text)
    try:
        os.link(tmp, path)  # fails if the target exists: no window for a lost update
    except FileExistsError as exc:
        raise FileExists(exists) from exc
    except OSError:
        # File systems without hard links: fall back to an exclusive create.
        try:
            with open(path, "x", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
        except FileExistsError as exc:
            raise FileExists(exists) from exc
    finally:
        os.unlink(tmp)


def write_atomic(path: Path, data: str | bytes) -> None:
    """Replace or create a file through a temporary file and rename (no half-written file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _temp_beside(path, data)
    try:
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)  # leave no stray temporary file beside the (intact) old one
        raise


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _temp_beside(path: Path, data: str | bytes) -> str:
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:  # name the file the user asked for, not our temporary one
        raise OSError(exc.errno, exc.strerror, str(path)) from exc
    # mkstemp creates 0600; give the file the mode an ordinary write would (0666 minus umask),
    # so that built sites and charts stay readable by the web server.
    os.chmod(tmp, 0o666 & ~_umask())
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data.encode("utf-8") if isinstance(data, str) else data)
    except BaseException:
        os.unlink(tmp)
        raise
    return tmp


#: The file that marks a site folder as insightmap's own (so `build` may replace it whole).
SITE_MARKER = ".insightmap-site"
#: Project folders an output may never land in: the records, the map definitions, git.
PROTECTED_FOLDERS = ("insights", "maps", ".git")
#: Project files an output may never replace.
CONFIG_FILES = ("insightmap.yml", "properdocs.yml", "mkdocs.yml")
#: Seconds a second build waits for the lock before it gives up.
LOCK_WAIT = 60.0


def check_output(target: Path, root: Path, site: bool = False) -> Path:
    """Refuse an output that would replace what insightmap does not own; return the real target.

    Never inside insights/, maps/ or .git/, never the project (or a folder holding it), never a
    settings file; a site folder must be new, empty or insightmap's own (see owned_site), a
    single file must not be a record. An ordinary existing file (a previous report, say) is
    overwritten: that is what -o asks for. Nothing is written here.
    """
    try:
        real = Path(os.path.abspath(target)).resolve()
    except RuntimeError as exc:  # Python 3.11 reports a symlink loop this way
        raise OSError(errno.ELOOP, os.strerror(errno.ELOOP), str(target)) from exc
    root = root.resolve()
    what = "the site" if site else "the output"

    def refuse(reason: str, hint: str) -> OutputRefused:
        return OutputRefused(f"refusing to write {what} to {shown_path(target)}: {reason}\n    hint: {hint}")

    elsewhere = "choose a path outside the project's records, e.g. site/ or out/"
    if real == root:
        raise refuse("that is the project folder itself", elsewhere)
    if root.is_relative_to(real):
        raise refuse("that folder holds the project", elsewhere)
    for name in PROTECTED_FOLDERS:
        if real.is_relative_to(root / name):
            raise refuse(f"it is inside {name}/, which insightmap never writes to", elsewhere)
    if real.parent == root and real.name in CONFIG_FILES:
        raise refuse(f"it is the project's settings file {real.name}", elsewhere)
    if site:
        if real.is_relative_to(root / "build"):
            raise refuse("build/ is insightmap's work folder", "use the default site/ or a folder of its own")
        if real.is_relative_to(root / "docs"):
            # The site's own pages are read from docs/: a site there would be read back next time.
            raise refuse("docs/ holds the site's own pages", "use the default site/ or a folder of its own")
        if real.exists():
            if not real.is_dir():
                raise refuse("it exists and is not a folder", "give a new folder, or remove the file")
            if os.path.ismount(real):
                raise refuse(
                    "it is a mount point, which cannot be replaced by a rename",
                    f"build into a folder inside it, e.g. -o {shown_path(target)}/www",
                )
            if not owned_site(real):
                raise refuse(
                    f"it exists and insightmap did not make it (no {SITE_MARKER} in it)",
                    "give a new or empty folder, or remove this one if nothing in it is needed",
                )
    elif real.exists():
        if not real.is_file():
            raise refuse("it exists and is not an ordinary file", "give a new file name")
        if real.suffix.lower() == ".md" and _has_front_matter(real):
            raise refuse("it is a Markdown file with front-matter (a record or page)", "give a new file name")
    # A site folder is replaced by renames, so act on the real folder behind a symlink; a
    # single file keeps the name the user gave (for messages).
    return real if site else Path(target)


def _has_front_matter(path: Path) -> bool:
    with open(path, "rb") as handle:
        return handle.read(4).rstrip(b"\r\n") == b"---"


def owned_site(folder: Path) -> bool:
    """Return True if folder is insightmap's to replace: marked, empty, or an unmarked built site.

    Sites built before the marker existed (or by `mkdocs build` with the plugin) are accepted
    when they look built: index.html with sitemap.xml or 404.html, and no Markdown or project
    file anywhere in them (a built site has none; a docs or project folder has).
    """
    if (folder / SITE_MARKER).is_file():
        return True
    if not any(folder.iterdir()):
        return True
    if not (folder / "index.html").is_file():
        return False
    if not any((folder / name).is_file() for name in ("sitemap.xml", "404.html")):
        return False
    for _, dirs, files in os.walk(folder):
        if ".git" in dirs or any(f.endswith(".md") or f in CONFIG_FILES for f in files):
            return False
    return True


@contextmanager
def folder_lock(
    lock: Path, doing: str, wait: float = 0.0, echo: Callable[[str], None] | None = None
) -> Iterator[None]:
    """Hold an exclusive lock file while doing something; another holder makes us wait, then stop.

    The kernel drops the lock when its holder dies (also by kill -9), so a lock is never stale.
    """
    if fcntl is None:
        yield
        return
    lock.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + wait
    told = False
    while True:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(fd)
            os.close(fd)
            if time.monotonic() >= deadline:
                raise Busy(
                    f"another insightmap {holder or 'run'} is using {shown_path(lock.parent)}; "
                    f"{doing} stopped\n    hint: wait for it to finish (or stop it), then run again"
                ) from None
            if echo and not told:
                echo(f"waiting for another insightmap {holder or 'run'} to finish …")
                told = True
            time.sleep(0.2)
            continue
        # The previous holder removes the file on release: lock the file that is there now.
        try:
            same = os.fstat(fd).st_ino == os.stat(lock).st_ino
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(fd)
    try:
        os.ftruncate(fd, 0)
        os.write(fd, f"{doing} (pid {os.getpid()})".encode())
        yield
    finally:
        try:
            os.unlink(lock)
        except OSError:
            pass
        os.close(fd)


def _holder(fd: int) -> str:
    try:
        return os.pread(fd, 200, 0).decode("utf-8", "replace").strip()
    except OSError:
        return ""
