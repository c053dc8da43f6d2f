"""A content-hash cache of drawn charts, so a rebuild redraws only the charts whose data changed.

Drawing a map takes 0.3–1.8 s and a site has one per organisation and map definition;
the key is everything a chart depends on (its data, title, links, labels, versions),
so a second build with nothing changed draws nothing, and editing one insight redraws
only the maps that count it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from insightmap import glossary
from insightmap.records import Corpus


class ChartCache:
    """Charts by content hash, in a folder (or in memory only when folder is None)."""

    def __init__(self, folder: Path | None, corpus: Corpus, language: str) -> None:
        self.folder = folder
        self.fingerprint = _fingerprint(corpus, language)
        self.drawn = 0
        self.reused = 0
        self.used: set[str] = set()

    def get(self, kind: str, data: Any, draw: Callable[[], str]) -> str:
        """Return the cached chart for (kind, data), drawing and storing it when absent."""
        text = json.dumps([kind, self.fingerprint, data], sort_keys=True, ensure_ascii=False, default=str)
        key = hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]
        self.used.add(key)
        path = self.folder / f"{key}.svg" if self.folder else None
        if path is not None and path.is_file():
            self.reused += 1
            return path.read_text(encoding="utf-8")
        chart = draw()
        self.drawn += 1
        if path is not None:
            from insightmap.write import write_atomic

            write_atomic(path, chart)
        return chart

    def prune(self) -> int:
        """Remove cached charts this build did not use; return how many."""
        if self.folder is None or not self.folder.is_dir():
            return 0
        stale = [p for p in self.folder.glob("*.svg") if p.stem not in self.used]
        for path in stale:
            path.unlink(missing_ok=True)
        return len(stale)


def _fingerprint(corpus: Corpus, language: str) -> str:
    """Hash what every chart may show besides its data: labels, organisations, versions."""
    import matplotlib

    from insightmap import __version__

    vocabulary = {
        name: {key: [t.sv, t.en, t.long_sv, t.long_en] for key, t in terms.items()}
        for name, terms in corpus.vocabulary.terms.items()
    }
    organisations = [[o.key, o.name, o.type] for o in corpus.organisations()]
    text = json.dumps(
        [
            __version__,
            matplotlib.__version__,
            language,
            vocabulary,
            organisations,
            glossary.entries(),
            _drawing_code(),
        ],
        sort_keys=True,
        ensure_ascii=False,
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _drawing_code() -> str:
    """Hash the chart-drawing modules, so a changed drawing (not only a new release) redraws."""
    from insightmap import render

    digest = hashlib.sha256()
    for path in sorted(Path(render.__file__).parent.rglob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()
