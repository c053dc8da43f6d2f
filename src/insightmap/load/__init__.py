"""The load stage: files → checked records (strict YAML, folder defaults, privacy, ids, validation).

`load(project)` is the stage's front door; `pipeline.check()` calls it with the map
definitions (maps.py) and the records of sources. The modules here, by job: yamlfile
(strict YAML with lines), project (insightmap.yml), reader (walk insights/, .meta.yml),
privacy + personaldata + body (the privacy scan), ids, validate + recordkeys + bodylimits
(one record), crosscheck (across records), placeholders, maps, vocabulary, organisations.

The package imports nothing itself: importing one module of it (ids, say) must not pull
in the whole stage, so the front door's names are looked up when first used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from insightmap.load.reader import META_FILE, Progress, load, read_records

__all__ = ["META_FILE", "Progress", "load", "read_records"]


def __getattr__(name: str) -> Any:
    """Return a name of the front door (reader.py), imported on first use."""
    if name in __all__:
        from insightmap.load import reader

        return getattr(reader, name)
    raise AttributeError(f"module 'insightmap.load' has no attribute {name!r}")
