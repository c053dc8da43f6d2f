"""insightmap.lock: the exact commit of each git source, written by `insightmap sources update`.

YAML with sorted keys, so that a change of the lock is one readable diff in review.
Everything but `sources update` reads the lock and never the network.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml

from insightmap.errors import InsightmapError, RecordSyntaxError
from insightmap.load.yamlfile import parse_mapping, read_text
from insightmap.write import write_atomic

LOCK_FILE = "insightmap.lock"
HEADER = (
    "# The commit of each source (insightmap.yml `sources:`), written by `insightmap sources update`.\n"
    "# build, check and every analysis read these commits only. Commit this file.\n"
)


class LockError(InsightmapError):
    """insightmap.lock cannot be read."""


@dataclass(frozen=True)
class Locked:
    """One source as locked: the commit, its date, and how many records came in from it."""

    commit: str
    date: str  # the commit's date (ISO 8601)
    url: str
    ref: str
    records: dict[str, int] = field(default_factory=dict)  # insights, studies, actions that came in

    @property
    def short(self) -> str:
        """Return the commit as people see it: its first seven characters."""
        return self.commit[:7]


def read_lock(root: Path) -> dict[str, Locked]:
    """Return the locked sources by name ({} when there is no lock yet)."""
    path = root / LOCK_FILE
    if not path.is_file():
        return {}
    try:
        mapping = parse_mapping(read_text(path, LOCK_FILE), LOCK_FILE)
    except RecordSyntaxError as exc:
        raise LockError(
            f"{exc.problem.format()}\n    hint: run `insightmap sources update` to write it anew"
        ) from None
    found: dict[str, Locked] = {}
    sources = mapping.values.get("sources") or {}
    for name, entry in sources.items() if isinstance(sources, dict) else ():
        try:
            found[str(name)] = _entry(entry)
        except (TypeError, ValueError) as exc:
            raise LockError(
                f"{LOCK_FILE}: the entry of `{name}` is broken ({exc}); run `insightmap sources update`"
            ) from None
    return found


def _entry(raw: Any) -> Locked:
    if not isinstance(raw, dict):
        raise TypeError("not a mapping")
    commit = raw.get("commit")
    if (
        not isinstance(commit, str)
        or len(commit) not in (40, 64)
        or not all(c in "0123456789abcdef" for c in commit)
    ):
        raise ValueError("no full commit id")
    records = raw.get("records") or {}
    return Locked(
        commit,
        str(raw.get("date", "")),
        str(raw.get("url", "")),
        str(raw.get("ref", "")),
        {str(k): int(v) for k, v in records.items()} if isinstance(records, dict) else {},
    )


def write_lock(root: Path, locked: dict[str, Locked]) -> None:
    """Write insightmap.lock with the sources sorted by name (atomically: a reader sees old or new)."""
    data = {"sources": {name: asdict(locked[name]) for name in sorted(locked)}}
    write_atomic(root / LOCK_FILE, HEADER + yaml.safe_dump(data, sort_keys=True, allow_unicode=True))
