"""Safe writes: new records never overwrite, and files appear whole or not at all."""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from pathlib import Path
from typing import Any

import yaml

from insightmap.errors import InsightmapError

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
        if isinstance(value, list) and key != "quotes":
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
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
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
