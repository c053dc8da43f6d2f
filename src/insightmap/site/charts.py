"""A content-hash cache of drawn charts, so a rebuild redraws only the charts whose data changed.

A site has an insight map per organisation and map definition, a gap chart and a flow chart;
the key is everything a chart depends on (its data, title, links, labels, versions), so a
second build with nothing changed draws nothing, and editing one insight redraws only the
maps that count it.

Insight maps are written as SVG text (render/venn/svgmap.py) in milliseconds and are drawn
at once (`defer=False`). The charts matplotlib draws cost ~0.5 CPU s each: inside
`drawn_in_parallel(n)` such a missing chart is not drawn at once; its place in the page
holds a marker, and `resolve()` draws every missing chart in n forked processes (which
inherit the drawing closures, so nothing needs pickling but the SVG text back;
parallel.py) and puts them in. The charts are the same bytes either way (fixed hash
salt, no dates; see render/charts.py).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from insightmap import glossary
from insightmap.parallel import in_parallel
from insightmap.records import Corpus

#: How many processes draw missing charts (1: drawn at once, where asked for) and the caches made meanwhile.
_PARALLEL: ContextVar[tuple[int, list[ChartCache] | None]] = ContextVar("charts_parallel", default=(1, None))
#: A chart still to draw, in a page: resolve() replaces it by the chart inlined (no "<svg" in it, so
#: svg_for_inline, which every caller applies, leaves it as it is).
_MARK = "<!--insightmap-chart:{}-->"
_MARKED = re.compile(r"<!--insightmap-chart:([0-9a-f]{32})-->")


@contextmanager
def drawn_in_parallel(workers: int) -> Iterator[list[ChartCache]]:
    """Defer drawing of the chart caches made inside; yield them, for resolve() once pages are written."""
    caches: list[ChartCache] = []
    token = _PARALLEL.set((workers, caches))
    try:
        yield caches
    finally:
        _PARALLEL.reset(token)


class ChartCache:
    """Charts by content hash, in a folder (or in memory only when folder is None)."""

    def __init__(self, folder: Path | None, corpus: Corpus, language: str) -> None:
        self.folder = folder
        self.fingerprint = _fingerprint(corpus, language)
        self.drawn = 0
        self.reused = 0
        self.used: set[str] = set()
        self.workers, made = _PARALLEL.get()
        if made is not None:
            made.append(self)
        self.deferred: dict[str, Callable[[], str]] = {}

    def get(self, kind: str, data: Any, draw: Callable[[], str], defer: bool = True) -> str:
        """Return the cached chart for (kind, data), drawing and storing it when absent.

        With defer False the chart is drawn at once even inside `drawn_in_parallel`: an insight
        map is written as SVG text in milliseconds, less than sending it to a worker costs.
        """
        text = json.dumps([kind, self.fingerprint, data], sort_keys=True, ensure_ascii=False, default=str)
        key = hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]
        self.used.add(key)
        if key in self.deferred:
            return _MARK.format(key)
        path = self.folder / f"{key}.svg" if self.folder else None
        if path is not None and path.is_file():
            self.reused += 1
            return path.read_text(encoding="utf-8")
        if self.workers > 1 and defer:
            self.deferred[key] = draw
            self.drawn += 1
            return _MARK.format(key)
        chart = draw()
        self.drawn += 1
        if path is not None:
            from insightmap.write import write_atomic

            write_atomic(path, chart)
        return chart

    def resolve(self, files: dict[str, str | bytes]) -> None:
        """Draw the deferred charts (in parallel) and put them, inlined, where pages hold their markers."""
        if not self.deferred:
            return
        from insightmap.render.svg import svg_for_inline
        from insightmap.write import write_atomic

        drawn = dict(zip(self.deferred, in_parallel(list(self.deferred.values()), self.workers), strict=True))
        self.deferred.clear()
        if self.folder is not None:
            for key, chart in drawn.items():
                write_atomic(self.folder / f"{key}.svg", chart)
        inline = {key: svg_for_inline(chart) for key, chart in drawn.items()}
        for name, text in files.items():
            if isinstance(text, str) and "<!--insightmap-chart:" in text:
                files[name] = _MARKED.sub(lambda m: inline[m.group(1)], text)

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
