"""Generate the site's docs tree: every page as Markdown (+ inline SVG) from the analyses' results.

Engine-neutral on purpose: the result is a dict of files plus the navigation,
which `insightmap build` writes into `build/docs/` for MkDocs or Zensical and
the MkDocs plugin hands to MkDocs directly. It runs no analysis and reads no file:
the pipeline hands it the results (see pipeline.py); URLs come from urls.py.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from insightmap.analyse.venn import REGIONS, VennMap
from insightmap.records import Corpus, Record
from insightmap.site.actionpages import SECTION, action_pages, change_page
from insightmap.site.pagewriter import PageWriter, date_key, safe_title
from insightmap.site.tagpages import tag_pages
from insightmap.site.urls import (
    NOT_IN_NAV,
    STYLESHEET,
    insight_url,
    map_url,
    organisation_url,
    page_path,
    region_url,
    study_url,
)

if TYPE_CHECKING:
    from insightmap.analyse.results import Results

#: The search box: Pagefind's UI over the index `pagefind` writes into the built site.
SEARCH_SCRIPT = "assets/insightmap-search.js"
#: Newest insights and recurring clusters shown on the start page.
START_NEWEST = 6
START_RECURRING = 5


@dataclass
class Site:
    """The generated docs tree: files by docs-relative path, the navigation and config additions."""

    files: dict[str, str | bytes]
    nav: list[Any]
    language: str
    site_name: str | None = None
    not_in_nav: str = "\n".join(f"/{folder}/" for folder in NOT_IN_NAV)
    extra_css: list[str] = field(default_factory=lambda: [STYLESHEET])
    extra_javascript: list[str] = field(default_factory=lambda: [SEARCH_SCRIPT])
    broken_links: list[tuple[str, str]] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)


class _Generator(PageWriter):
    """Writes every page of the site from the results."""

    def __init__(self, corpus: Corpus, results: Results, chart_cache: Path | None) -> None:
        super().__init__(corpus, chart_cache)
        self.results = results
        self.clusters = results.clusters
        self.gaps = results.gaps

    def generate(self) -> None:
        """Write every page: start, insights, studies, organisations, maps, tags, white spots, clusters."""
        self.start_page(self.results.map)
        self.insight_pages()
        self.study_pages()
        self.organisation_pages()
        self.map_definition_pages()
        tag_pages(self)
        self.gap_page()
        self.cluster_page(self.results.aggregated)
        action_pages(self, self.results, _body, self.tags_of)
        change_page(self, self.results)

    def start_page(self, overall: VennMap) -> None:
        from insightmap.render.gaps import summarise

        w = self.words
        title = self.corpus.config.title or w["Insight_map"]
        shown = self.map_pages(
            overall, "", lambda k: region_url(k), w["The_insight_map"], "start-", w["The_insight_map"]
        )
        newest = self.records(r.id for r in self.corpus.insights)[:START_NEWEST]
        gap_lines = self.timed("gaps", lambda: summarise(self.gaps, self.corpus))
        empty = [c for c in self.gaps.with_status("empty")]
        self.page(
            "",
            "index.md.j2",
            title,
            map=shown,
            newest=newest,
            gap_lines=gap_lines,
            figures=self.figures(),
            empty=len(empty),
            cells=len(self.gaps.cells),
            recurring=self.recurring_view()[:START_RECURRING],
            computed=self.gaps.today.isoformat(),
        )
        # The list of every insight (the section's index page).
        self.page(
            "insikter/",
            "insights.md.j2",
            w["Insights"],
            insights=self.records(r.id for r in self.corpus.insights),
        )

    def figures(self) -> list[tuple[str, str, str]]:
        w = self.words
        newest = max((r.date for r in self.corpus.insights), key=date_key, default="–")
        organisations = {r.organisation for r in [*self.corpus.insights, *self.corpus.studies]}
        return [
            (str(len(self.corpus.insights)), w["insights"], "insikter/"),
            (str(len(self.corpus.studies)), w["studies"], "insiktsarbeten/"),
            (str(len(organisations)), w["organisations"], "organisationer/"),
            (newest, w["newest_insight"], "insikter/"),
            (str(self.results.actions.totals()["acted_on"]), w["insights_acted_on"], SECTION),
        ]

    def recurring_view(self) -> list[dict[str, Any]]:
        return [
            {
                "label": c.label,
                "organisations": list(c.organisations),
                "period": c.date_from if c.date_from == c.date_to else f"{c.date_from}–{c.date_to}",
                "terms": list(c.terms),
                "insights": self.records(c.insights),
                "confirmed": c.confirmed,
            }
            for c in self.clusters.recurring
        ]

    def insight_pages(self) -> None:
        allow = self.corpus.config.allow_raw_html
        related = self.clusters.related
        same_as = self.corpus.same_as_links()

        def write(record: Record) -> None:
            confirmed = same_as.get(record.id, [])
            others = [
                self.by_id[i]
                for i in related.get(record.id, ())
                if i in self.by_id
                and self.by_id[i].organisation != record.organisation
                and i not in confirmed
            ]
            study = self.by_id.get(record.study) if record.study else None
            self.page(
                insight_url(record.id),
                "insight.md.j2",
                record.title,
                search=True,
                record=record,
                body=self.timed("markdown", partial(_body, record.body, allow)),
                tags=self.tags_of(record),
                study=study,
                related=others,
                same_as=self.records(confirmed),
                source=_source(record.source),
                led_to=self.records(self.results.actions.acted_on.get(record.id, ())),
            )

        self.pages_of(self.corpus.insights, write)

    def study_pages(self) -> None:
        allow = self.corpus.config.allow_raw_html
        by_study: dict[str, list[str]] = {}
        for record in self.corpus.insights:
            if record.study:
                by_study.setdefault(record.study, []).append(record.id)
        for study in self.corpus.studies:
            self.page(
                study_url(study.id),
                "study.md.j2",
                study.title,
                search=True,
                record=study,
                body=_body(study.body, allow),
                tags=self.tags_of(study),
                insights=self.records(by_study.get(study.id, ())),
            )
        studies = sorted(self.corpus.studies, key=lambda r: (date_key(r.date), r.id), reverse=True)
        self.page("insiktsarbeten/", "studies.md.j2", self.words["Studies"], studies=studies)

    def organisation_pages(self) -> None:
        from insightmap.render.gaps import summarise

        rows = []
        for result in self.results.organisations:
            org = self.corpus.organisation(result.key)
            url = organisation_url(org.key)
            shown = None
            gap_lines: list[str] = []
            if result.map is not None and result.gaps is not None:
                shown = self.map_pages(
                    result.map,
                    url,
                    partial(region_url, organisation=org.key),
                    org.name,
                    f"org-{_id(org.key)}-",
                    org.name,
                )
                gap_lines = self.timed("gaps", partial(summarise, result.gaps, self.corpus))
            self.page(
                url,
                "organisation.md.j2",
                org.name,
                org=org,
                org_type=self.corpus.vocabulary.label("organisation-type", org.type, self.lang),
                map=shown,
                insights=self.records(r.id for r in result.insights),
                studies=sorted(result.studies, key=lambda r: (date_key(r.date), r.id), reverse=True),
                gap_lines=gap_lines,
                actions=self.records(
                    c.action.id for c in self.results.actions.actions if c.action.organisation == org.key
                ),
                waiting=self.results.actions.waiting_by_organisation().get(org.key, []),
                sources=sorted({r.origin.source for r in [*result.insights, *result.studies] if r.origin}),
            )
            rows.append((org, len(result.insights), len(result.studies)))
        self.page("organisationer/", "organisations.md.j2", self.words["Organisations"], rows=rows)

    def map_definition_pages(self) -> None:
        listed = []
        for result in self.results.definitions:
            definition, vmap = result.definition, result.map
            url = map_url(definition.name)
            shown = self.map_pages(
                vmap,
                url,
                partial(region_url, map_name=definition.name),
                definition.title,
                f"map-{_id(definition.name)}-",
                definition.title,
            )
            ids = [i for key in REGIONS for i in vmap.regions[key].insights]
            self.page(
                url,
                "map.md.j2",
                definition.title,
                definition=definition,
                map=shown,
                selection=definition.selection.describe(self.corpus, self.lang),
                insights=self.records(ids),
            )
            listed.append((definition, vmap.total, url))
        self.map_nav = [(d.title, page_path(u)) for d, _, u in listed]
        self.page("kartor/", "maps.md.j2", self.words["Maps"], maps=listed)

    def gap_page(self) -> None:
        from markupsafe import Markup

        from insightmap.render.gaps import draw_gap_chart, summarise, to_markdown
        from insightmap.render.venn import svg_for_inline

        chart = self.timed(
            "gaps",
            lambda: self.charts.get(
                "gaps", self.gaps.to_dict(), lambda: str(draw_gap_chart(self.gaps, self.corpus, "svg"))
            ),
        )
        table = self.timed(
            "gaps", partial(to_markdown, self.gaps, self.corpus, heading_level=2, summary=False)
        )
        # The Markdown report opens with its own title and subtitle; the page has a heading already.
        table = re.sub(r"\A##[^\n]*\n\n\*[^\n]*\*\n\n", "", table)
        self.page(
            "vita-flackar/",
            "gaps.md.j2",
            self.words["White_spots"],
            chart=Markup(svg_for_inline(str(chart))),
            summary=summarise(self.gaps, self.corpus),
            table=Markup(table),
            computed=self.gaps.today.isoformat(),
        )

    def cluster_page(self, aggregated: VennMap) -> None:
        w = self.words
        shown = {
            "svg": self.svg_map(aggregated, "kluster/", region_url, w["aggregated_map"], "clusters-"),
            "rows": self.region_rows(aggregated, region_url),
            "total": aggregated.total,
        }
        vocab = self.corpus.vocabulary
        similar = [
            {
                "a": s.a,
                "b": s.b,
                "score": f"{s.score:.2f}",
                "shared": [
                    vocab.label(t.partition(":")[0], t.partition(":")[2], self.lang) for t in s.shared
                ],
            }
            for s in self.clusters.similar_organisations
        ]
        self.page(
            "kluster/",
            "clusters.md.j2",
            w["Clusters"],
            map=shown,
            summary=self.clusters.summary,
            recurring=self.recurring_view(),
            similar=similar,
        )

    def nav(self) -> list[Any]:
        w = self.words
        return [
            {w["home"]: "index.md"},
            {w["Insights"]: ["insikter/index.md", {w["Tags"]: "taggar/index.md"}]},
            {w["Maps"]: ["kartor/index.md", *({safe_title(t): p} for t, p in self.map_nav)]},
            {w["White_spots"]: "vita-flackar/index.md"},
            {w["Clusters"]: "kluster/index.md"},
            {w["From_insight_to_change"]: f"{SECTION}index.md"},
            {w["Organisations"]: "organisationer/index.md"},
            {w["Studies"]: "insiktsarbeten/index.md"},
        ]


def generate_site(corpus: Corpus, results: Results, chart_cache: Path | None = None) -> Site:
    """Generate every page of the site from a checked corpus and its analyses.

    chart_cache is a folder of drawn charts by content hash; unchanged charts are not drawn again.
    """
    generator = _Generator(corpus, results, chart_cache)
    start = time.perf_counter()
    generator.generate()
    generator.charts.prune()
    generator.timings["total"] = time.perf_counter() - start
    generator.timings["charts drawn"] = generator.charts.drawn
    generator.timings["charts reused"] = generator.charts.reused
    pages = set(generator.files)
    broken = sorted(
        {
            (page, target)
            for page, target in generator.links
            if page_path(target.partition("#")[0]) not in pages
        }
    )
    title = corpus.config.title
    generator.files[STYLESHEET] = asset_text("insightmap.css")
    generator.files[SEARCH_SCRIPT] = asset_text("insightmap-search.js")
    return Site(
        files=dict(sorted(generator.files.items())),
        nav=generator.nav(),
        language=generator.lang,
        site_name=safe_title(title) if title else None,
        broken_links=broken,
        timings=generator.timings,
    )


def _body(body: str, allow_raw_html: bool) -> Any:
    """Return a record body as sanitised HTML, marked safe for the templates."""
    from markupsafe import Markup

    from insightmap.render.body import body_html

    return Markup(body_html(body, allow_raw_html))


def asset_text(name: str) -> str:
    """Return one of the site's packaged assets (CSS, the search box's script)."""
    from importlib import resources

    return resources.files("insightmap").joinpath(f"site/assets/{name}").read_text("utf-8")


def _source(source: str | None) -> str | None:
    """Return a record's source as plain text: the site links nowhere outside itself."""
    return source or None


def _id(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"
