"""Generate the site's docs tree: every page as Markdown (+ inline SVG) from Jinja2 templates.

Engine-neutral on purpose: the result is a dict of files plus the navigation,
which `insightmap build` writes into `build/docs/` for MkDocs or Zensical and
the MkDocs plugin hands to MkDocs directly. Contributors' text reaches pages
only through autoescaped templates, or as Markdown rendered to HTML and then
sanitised; page titles, which themes print unescaped, are defused separately.
Every page is `<url>/index.md`, so a page's URL is its folder and links
between pages are computed relative to it.
"""

from __future__ import annotations

import datetime
import posixpath
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import quote

from insightmap import glossary
from insightmap.analyse.venn import REGIONS, VennMap, region_label, region_url
from insightmap.errors import InsightmapError
from insightmap.records import Corpus, Record
from insightmap.select import Selection
from insightmap.vocabulary import VOCABULARY_FIELDS

#: The stylesheet every page uses (shipped in insightmap/site/assets/).
STYLESHEET = "assets/insightmap.css"
#: Folders holding generated pages reached from index pages, not from the navigation.
NOT_IN_NAV = ("insikter", "insiktsarbeten", "organisationer", "kartor", "taggar")
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
    broken_links: list[tuple[str, str]] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)


def safe_title(text: str) -> str:
    """Return a title safe to print unescaped (themes put page titles raw into <title> and the nav)."""
    table = str.maketrans({"<": "‹", ">": "›", '"': "”", "'": "’", "&": "＆", "`": "‘"})
    return " ".join(str(text).translate(table).split())


def page_path(url: str) -> str:
    """Return the docs file of a page URL (`insikter/a/` → `insikter/a/index.md`)."""
    return f"{url}index.md"


def relative(target: str, page: str) -> str:
    """Return the link from page URL to target URL (both site-root relative folders, `""` = root)."""
    path, _, anchor = target.partition("#")
    rel = posixpath.relpath(path.rstrip("/") or ".", page.rstrip("/") or ".")
    href = "./" if rel == "." else quote(rel) + ("/" if path.endswith("/") or not path else "")
    return href + (f"#{anchor}" if anchor else "")


def insight_url(record_id: str) -> str:
    """Return the URL of an insight page."""
    return f"insikter/{record_id}/"


def study_url(record_id: str) -> str:
    """Return the URL of a study page."""
    return f"insiktsarbeten/{record_id}/"


def organisation_url(key: str) -> str:
    """Return the URL of an organisation page."""
    return f"organisationer/{key}/"


def map_url(name: str) -> str:
    """Return the URL of a map-definition page."""
    from insightmap.write import slugify

    return f"kartor/{slugify(name)}/"


def tag_url(name: str, key: str | None = None) -> str:
    """Return the URL of a tag-value page (or of the field's index without key)."""
    return f"taggar/{name}/{key}/" if key else f"taggar/{name}/"


def record_url(record: Record) -> str:
    """Return the URL of a record's page."""
    return insight_url(record.id) if record.kind == "insight" else study_url(record.id)


def reserved_pages() -> dict[str, str]:
    """Return every generated URL that is no record's page, with what it is (the one list).

    A record (or map) whose URL is among these would overwrite a generated page or be lost,
    so `check` refuses it; `site/` paths of MkDocs and the theme (`assets/`, `search/`) too.
    """
    pages = {
        "": "the start page",
        "insikter/": "the list of insights",
        "insiktsarbeten/": "the list of studies",
        "organisationer/": "the list of organisations",
        "kartor/": "the list of maps",
        "taggar/": "the list of tags",
        "vita-flackar/": "the white-spot page",
        "kluster/": "the cluster page",
        "assets/": "the site's stylesheets and scripts",
        "search/": "the search index",
    }
    for key in REGIONS:
        pages[region_url(key)] = f"the overall map's list of the region {key}"
    for name in VOCABULARY_FIELDS:
        pages[tag_url(name)] = f"the list of {name} tags"
    return pages


def _page_owner(context: dict[str, Any]) -> str:
    """Return which project file a page comes from (for a collision message)."""
    source = context.get("record") or context.get("definition")
    return str(getattr(source, "path", "")) or "a generated page"


def render_body(markdown_text: str, allow_raw_html: bool) -> str:
    """Render a record body (Markdown) to sanitised HTML."""
    import markdown

    from insightmap.sanitize import clean_html

    html = markdown.markdown(markdown_text, extensions=["tables", "sane_lists", "fenced_code"])
    return clean_html(html, allow_raw_html)


class _Generator:
    """Holds the corpus, analyses and template environment while pages are written."""

    def __init__(
        self,
        project: Any,
        corpus: Corpus,
        today: datetime.date | None = None,
        chart_cache: Path | None = None,
    ) -> None:
        from jinja2 import Environment, PackageLoader, StrictUndefined

        from insightmap.site.charts import ChartCache

        self.project = project
        self.corpus = corpus
        self.lang = "en" if corpus.language == "en" else "sv"
        self.words = glossary.words(self.lang)
        self.today = today
        self.charts = ChartCache(chart_cache, corpus, self.lang)
        self.files: dict[str, str | bytes] = {}
        self.owners: dict[str, str] = {}
        self.links: list[tuple[str, str]] = []
        self.timings: dict[str, float] = {}
        self.by_id = corpus.by_id()
        self.env = Environment(
            loader=PackageLoader("insightmap", "templates/site"),
            autoescape=True,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
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
        path, owner = page_path(url), _page_owner(context)
        if path in self.owners:
            # `check` refuses such records and maps; this guard keeps a page from being lost silently.
            first = self.owners[path]
            raise InsightmapError(f"two pages would be written to {path}: from {first} and from {owner}")
        self.owners[path] = owner
        self.files[path] = text

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

    def records(self, ids: Iterable[str]) -> list[Record]:
        """Return the records of ids, newest first."""
        found = [self.by_id[i] for i in ids if i in self.by_id]
        return sorted(found, key=lambda r: (_date_key(r.date), r.id), reverse=True)

    # --- the pages -------------------------------------------------------------------------------

    def generate(self) -> None:
        from insightmap.analyse.clusters import compute_clusters
        from insightmap.analyse.gaps import compute_gaps
        from insightmap.analyse.venn import compute_map

        corpus = self.corpus
        insights = corpus.insights
        self.clusters = self.timed("clusters", lambda: compute_clusters(insights, corpus))
        self.gaps = self.timed("gaps", lambda: compute_gaps(insights, corpus, today=self.today))
        overall = compute_map(insights, corpus)
        self.start_page(overall)
        self.insight_pages()
        self.study_pages()
        self.organisation_pages()
        self.map_definition_pages()
        self.tag_pages()
        self.gap_page()
        self.cluster_page(compute_map(insights, corpus, colour_by="organisation"))

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
        newest = max((r.date for r in self.corpus.insights), key=_date_key, default="–")
        organisations = {r.organisation for r in [*self.corpus.insights, *self.corpus.studies]}
        return [
            (str(len(self.corpus.insights)), w["insights"], "insikter/"),
            (str(len(self.corpus.studies)), w["studies"], "insiktsarbeten/"),
            (str(len(organisations)), w["organisations"], "organisationer/"),
            (newest, w["newest_insight"], "insikter/"),
        ]

    def recurring_view(self) -> list[dict[str, Any]]:
        return [
            {
                "label": c.label,
                "organisations": list(c.organisations),
                "period": c.date_from if c.date_from == c.date_to else f"{c.date_from}–{c.date_to}",
                "terms": list(c.terms),
                "insights": self.records(c.insights),
            }
            for c in self.clusters.recurring
        ]

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

    def insight_pages(self) -> None:
        allow = self.corpus.config.allow_raw_html
        related = self.clusters.related
        for record in self.corpus.insights:
            others = [
                self.by_id[i]
                for i in related.get(record.id, ())
                if i in self.by_id and self.by_id[i].organisation != record.organisation
            ]
            study = self.by_id.get(record.study) if record.study else None
            self.page(
                insight_url(record.id),
                "insight.md.j2",
                record.title,
                search=True,
                record=record,
                body=self.timed("markdown", partial(_rendered_body, record.body, allow)),
                tags=self.tags_of(record),
                study=study,
                related=others,
                source=_source(record.source),
            )

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
                body=_markup(render_body(study.body, allow)),
                tags=self.tags_of(study),
                insights=self.records(by_study.get(study.id, ())),
            )
        studies = sorted(self.corpus.studies, key=lambda r: (_date_key(r.date), r.id), reverse=True)
        self.page("insiktsarbeten/", "studies.md.j2", self.words["Studies"], studies=studies)

    def organisation_pages(self) -> None:
        from insightmap.analyse.gaps import compute_gaps
        from insightmap.analyse.venn import compute_map
        from insightmap.render.gaps import summarise

        rows = []
        for org in self.corpus.organisations():
            insights = [r for r in self.corpus.insights if r.organisation == org.key]
            studies = [r for r in self.corpus.studies if r.organisation == org.key]
            url = organisation_url(org.key)
            shown = None
            gap_lines: list[str] = []
            if insights:
                vmap = compute_map(insights, self.corpus)
                shown = self.map_pages(
                    vmap,
                    url,
                    partial(region_url, organisation=org.key),
                    org.name,
                    f"org-{_id(org.key)}-",
                    org.name,
                )
                report = self.timed(
                    "gaps",
                    partial(
                        compute_gaps,
                        None,
                        self.corpus,
                        today=self.today,
                        selection=Selection(organisations=(org.key,)),
                    ),
                )
                gap_lines = self.timed("gaps", partial(summarise, report, self.corpus))
            self.page(
                url,
                "organisation.md.j2",
                org.name,
                org=org,
                org_type=self.corpus.vocabulary.label("organisation-type", org.type, self.lang),
                map=shown,
                insights=self.records(r.id for r in insights),
                studies=sorted(studies, key=lambda r: (_date_key(r.date), r.id), reverse=True),
                gap_lines=gap_lines,
            )
            rows.append((org, len(insights), len(studies)))
        self.page("organisationer/", "organisations.md.j2", self.words["Organisations"], rows=rows)

    def map_definition_pages(self) -> None:
        from insightmap.analyse.venn import compute_map
        from insightmap.maps import load_map_definitions

        definitions, _ = load_map_definitions(self.project) if self.project is not None else ([], [])
        listed = []
        for definition in definitions:
            url = map_url(definition.name)
            vmap = compute_map(
                self.corpus.insights,
                self.corpus,
                colour_by=definition.colour_by,
                selection=definition.selection,
            )
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

    def tag_pages(self) -> None:
        vocab = self.corpus.vocabulary
        fields = []
        for name in VOCABULARY_FIELDS:
            tagged: dict[str, list[str]] = {}
            for record in self.corpus.insights:
                for key in record.values(name):
                    tagged.setdefault(key, []).append(record.id)
            order = {k: i for i, k in enumerate(vocab.keys(name))}
            keys = sorted(tagged, key=lambda k: (order.get(k, len(order)), k))
            values = []
            for key in keys:
                label = vocab.label(name, key, self.lang)
                self.page(
                    tag_url(name, key),
                    "tag.md.j2",
                    f"{self.words[name.capitalize()]}: {label}",
                    field=name,
                    label=label,
                    long=vocab.label(name, key, self.lang, long=True),
                    insights=self.records(tagged[key]),
                )
                values.append((label, len(tagged[key]), tag_url(name, key)))
            self.page(tag_url(name), "tag_field.md.j2", self.words[name.capitalize()], values=values)
            fields.append((self.words[name.capitalize()], tag_url(name), values))
        self.page("taggar/", "tags.md.j2", self.words["Tags"], fields=fields)

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
            {w["Organisations"]: "organisationer/index.md"},
            {w["Studies"]: "insiktsarbeten/index.md"},
        ]


def generate_site(
    project: Any, corpus: Corpus, today: datetime.date | None = None, chart_cache: Path | None = None
) -> Site:
    """Generate every page of the site for a (loaded, checked) corpus.

    chart_cache is a folder of drawn charts by content hash (default: build/cache/charts in
    the project); unchanged charts are not drawn again.
    """
    if chart_cache is None and getattr(project, "root", None) is not None:
        chart_cache = Path(project.root) / "build" / "cache" / "charts"
    generator = _Generator(project, corpus, today, chart_cache)
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
    if generator.lang == "sv" and corpus.config.search_stemming:
        stemmer = swedish_search_stemmer()
        if stemmer is not None:
            generator.files[SWEDISH_LUNR] = stemmer
    return Site(
        files=dict(sorted(generator.files.items())),
        nav=generator.nav(),
        language=generator.lang,
        site_name=safe_title(title) if title else None,
        broken_links=broken,
        timings=generator.timings,
    )


#: Material's Swedish lunr language file, which only the search worker loads.
SWEDISH_LUNR = "assets/javascripts/lunr/min/lunr.sv.min.js"


def swedish_search_stemmer() -> str | None:
    """Return Material's lunr.sv.min.js with stemmed type-ahead appended (None without Material).

    A docs file of the same path replaces the theme's, with MkDocs and with the plugin alike.
    """
    from importlib import resources

    try:
        original = resources.files("material").joinpath(f"templates/{SWEDISH_LUNR}").read_text("utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        return None
    return original.rstrip() + "\n" + asset_text("search-stem-prefix.js")


def _rendered_body(body: str, allow_raw_html: bool) -> Any:
    """Return a record body as sanitised HTML, marked safe for the templates."""
    return _markup(render_body(body, allow_raw_html))


def asset_text(name: str) -> str:
    """Return one of the site's packaged assets (CSS)."""
    from importlib import resources

    return resources.files("insightmap").joinpath(f"site/assets/{name}").read_text("utf-8")


def _front_matter_value(value: object) -> Any:
    """Return a value as a YAML (JSON) string for front-matter, defused for unescaped theme output."""
    import json

    from markupsafe import Markup

    return Markup(json.dumps(safe_title(str(value)), ensure_ascii=False))


def _markup(html: str) -> Any:
    from markupsafe import Markup

    return Markup(html)


def _source(source: str | None) -> str | None:
    """Return a record's source as plain text: the site links nowhere outside itself."""
    return source or None


def _date_key(date: str) -> str:
    return date or ""


def _id(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"
