"""Writing pages: templates, links between pages, maps with clickable regions, the chart cache.

`PageWriter` is the plumbing every page of the site goes through; the pages themselves
(what each shows) are in generate.py. Contributors' text reaches pages only through
autoescaped templates, or as Markdown rendered to HTML and then sanitised; page titles,
which themes print unescaped, are defused separately.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import Any

from insightmap import glossary
from insightmap.analyse.venn import REGIONS, VennMap, region_label
from insightmap.errors import InsightmapError
from insightmap.load.vocabulary import VOCABULARY_FIELDS
from insightmap.records import Corpus, Record
from insightmap.site.urls import page_path, relative, tag_url

#: From this many pages of one kind on, they are written on every core (forking costs ~0.1 s).
PARALLEL_PAGES_FROM = 500


def safe_title(text: str) -> str:
    """Return a title safe to print unescaped (themes put page titles raw into <title> and the nav)."""
    table = str.maketrans({"<": "‹", ">": "›", '"': "”", "'": "’", "&": "＆", "`": "‘"})
    return " ".join(str(text).translate(table).split())


def _page_owner(context: dict[str, Any]) -> str:
    """Return which project file a page comes from (for a collision message)."""
    source = context.get("record") or context.get("definition")
    return str(getattr(source, "path", "")) or "a generated page"


class PageWriter:
    """Holds the corpus, the template environment and the written pages while pages are written."""

    def __init__(self, corpus: Corpus, chart_cache: Path | None = None) -> None:
        from insightmap.site.charts import ChartCache
        from insightmap.templating import environment

        self.corpus = corpus
        self.lang = "en" if corpus.language == "en" else "sv"
        self.words = glossary.words(self.lang)
        self.charts = ChartCache(chart_cache, corpus, self.lang)
        self.files: dict[str, str | bytes] = {}
        self.owners: dict[str, str] = {}
        self.links: list[tuple[str, str]] = []
        self.timings: dict[str, float] = {}
        self.by_id = corpus.by_id()
        self.env = environment("site", html=True)
        self.env.filters["fm"] = _front_matter_value
        self.env.filters["label"] = lambda key, name: corpus.vocabulary.label(name, key, self.lang)
        self.env.filters["orgname"] = lambda key: corpus.organisation(key).name

    # --- plumbing --------------------------------------------------------------------------------

    def page(self, url: str, template: str, title: str, search: bool = False, **context: Any) -> None:
        """Render a template into the page at url."""
        from markupsafe import Markup

        def link(target: str) -> str:
            self.links.append((url, target))
            return relative(target, url)

        text = self.env.get_template(template).render(
            w=self.words,
            lang=self.lang,
            link=link,
            url=url,
            title=title,
            nav_title=safe_title(title),
            search=search,
            Markup=Markup,
            corpus=self.corpus,
            by_id=self.by_id,
            **context,
        )
        path = page_path(url)
        self._claim(path, _page_owner(context))
        self.files[path] = text

    def _claim(self, path: str, owner: str) -> None:
        """Note who writes the page at path; refuse a second page there."""
        if path in self.owners:
            # `check` refuses such records and maps; this guard keeps a page from being lost silently.
            first = self.owners[path]
            raise InsightmapError(f"two pages would be written to {path}: from {first} and from {owner}")
        self.owners[path] = owner

    def pages_of(self, records: list[Record], write: Callable[[Record], None]) -> None:
        """Write each record's page with write(record), on every core when the pages are many.

        An insight's page needs nothing but the corpus and the analysis, so forked workers write
        contiguous parts and the pages are merged back in order: the same pages as one process.
        Measured at 10,000 insights: insight pages were 22 of the 37 s of page generation.
        """
        from insightmap.parallel import in_parallel

        workers = self.charts.workers
        if workers < 2 or len(records) < PARALLEL_PAGES_FROM:
            for record in records:
                write(record)
            return
        size = -(-len(records) // (workers * 4))
        parts = [records[i : i + size] for i in range(0, len(records), size)]
        for files, owners, links, timings in in_parallel(
            [partial(self._part, part, write) for part in parts], workers
        ):
            for path, owner in owners.items():
                self._claim(path, owner)
            self.files.update(files)
            self.links.extend(links)
            for name, seconds in timings.items():
                self.timings[name] = self.timings.get(name, 0.0) + seconds

    def _part(self, records: list[Record], write: Callable[[Record], None]) -> tuple[Any, ...]:
        """Write these records' pages in a forked worker; return only what they added."""
        self.files, self.owners, self.links, self.timings = {}, {}, [], {}
        for record in records:
            write(record)
        return self.files, self.owners, self.links, self.timings

    def timed(self, name: str, func: Callable[[], Any]) -> Any:
        start = time.perf_counter()
        result = func()
        self.timings[name] = self.timings.get(name, 0.0) + time.perf_counter() - start
        return result

    def svg_map(
        self,
        vmap: VennMap,
        page_url: str,
        region_base: Callable[[str], str],
        title: str,
        prefix: str,
        subtitle: str | None = None,
    ) -> Any:
        """Draw a map whose regions link (relative to page_url) to their region lists."""
        from markupsafe import Markup

        from insightmap.render.venn import draw_map, svg_for_inline

        def region_link(key: str) -> str | None:
            if not vmap.regions[key].count:
                return None
            target = region_base(key)
            self.links.append((page_url, target))
            return relative(target, page_url)

        links = {key: region_link(key) for key in REGIONS}
        data = {"map": vmap.to_dict(), "links": links, "title": title, "subtitle": subtitle, "prefix": prefix}
        svg = self.timed(
            "maps",
            lambda: self.charts.get(
                "map",
                data,
                lambda: str(
                    draw_map(
                        vmap,
                        self.corpus,
                        fmt="svg",
                        link=links.get,
                        title=title,
                        subtitle=subtitle,
                        id_prefix=prefix,
                        language=self.lang,
                    )
                ),
                defer=False,
            ),
        )
        return Markup(svg_for_inline(svg))

    def region_rows(self, vmap: VennMap, region_base: Callable[[str], str]) -> list[dict[str, Any]]:
        """Return the map's numbers per region, for the table beside each map."""
        return [
            {
                "key": key,
                "label": region_label(key, self.corpus, self.lang),
                "count": vmap.regions[key].count,
                "url": region_base(key) if vmap.regions[key].count else None,
                "subpopulations": [
                    (self.corpus.vocabulary.label("subpopulation", s, self.lang), n)
                    for s, n in vmap.regions[key].subpopulations.items()
                ],
            }
            for key in REGIONS
        ]

    def map_pages(
        self,
        vmap: VennMap,
        page_url: str,
        region_base: Callable[[str], str],
        title: str,
        prefix: str,
        back_title: str,
    ) -> dict[str, Any]:
        """Write the region-list pages of a map; return what a page needs to show the map."""
        for key in REGIONS:
            region = vmap.regions[key]
            if not region.count:
                continue
            label = region_label(key, self.corpus, self.lang)
            self.page(
                region_base(key),
                "region.md.j2",
                f"{label} – {back_title}",
                insights=self.records(region.insights),
                region=label,
                back=page_url,
                back_title=back_title,
            )
        return {
            "svg": self.svg_map(vmap, page_url, region_base, title, prefix),
            "rows": self.region_rows(vmap, region_base),
            "total": vmap.total,
        }

    def tags_of(self, record: Record) -> list[tuple[str, list[tuple[str, str]]]]:
        """Return (field name, [(label, tag page url)]) for each tagged field of a record."""
        vocab = self.corpus.vocabulary
        return [
            (
                self.words[name.capitalize()],
                [(vocab.label(name, key, self.lang), tag_url(name, key)) for key in values],
            )
            for name in VOCABULARY_FIELDS
            if (values := record.values(name))
        ]

    def records(self, ids: Iterable[str]) -> list[Record]:
        """Return the records of ids, newest first."""
        found = [self.by_id[i] for i in ids if i in self.by_id]
        return sorted(found, key=lambda r: (date_key(r.date), r.id), reverse=True)

    # --- the pages -------------------------------------------------------------------------------


def date_key(date: str) -> str:
    """Sort key of a record date (missing dates last when sorting newest first)."""
    return date or ""


def _front_matter_value(value: object) -> Any:
    """Return a value as a YAML (JSON) string for front-matter, defused for unescaped theme output."""
    import json

    from markupsafe import Markup

    return Markup(json.dumps(safe_title(str(value)), ensure_ascii=False))
