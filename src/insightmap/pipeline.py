"""The pipeline, stage by stage: load and check → analyse → pages → write → engine → swap.

Every way the tool produces something goes through here: `check`, `build`, `serve`,
the MkDocs plugin, `report` and `diff` (each revision) load and check with `check()`;
the site is made by `site_pages()` from one `analyse()`; `build()` is the whole site
build in the order a reader expects. Stages are in their own folders (load, analyse,
render, site); this module only says in what order they run.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from insightmap.errors import InsightmapError, Problem, ProblemsFound

if TYPE_CHECKING:
    from insightmap.analyse.results import Results
    from insightmap.load import Progress
    from insightmap.load.maps import MapDefinition
    from insightmap.load.project import Project
    from insightmap.records import Corpus
    from insightmap.site.build import BuildResult
    from insightmap.site.generate import Site


@dataclass(frozen=True)
class Checked:
    """A project loaded and checked once: its settings, valid records, map definitions and problems."""

    project: Project
    corpus: Corpus
    definitions: list[MapDefinition]
    problems: list[Problem]
    #: Whether only public records were kept (`--public`).
    public: bool = False

    @property
    def errors(self) -> list[Problem]:
        """Return the problems that stop a build; warnings (a placeholder body) are only reported."""
        return [p for p in self.problems if p.severity != "warning"]

    def require_clean(self) -> Checked:
        """Return self, or raise ProblemsFound: nothing is published from a project with errors."""
        if self.errors:
            raise ProblemsFound(self.errors)
        return self


def check(
    start: Path, public: bool = False, progress: Progress | None = None, home: Path | None = None
) -> Checked:
    """Load and check a project once: settings, records (privacy, ids, vocabulary), map definitions.

    home, for an older revision read into a temporary folder (`diff`), is the real project,
    where the sources' repositories are.
    """
    from insightmap.load import load
    from insightmap.load.maps import load_map_definitions
    from insightmap.load.project import open_project
    from insightmap.sources.join import join_sources

    # The project: insightmap.yml with organisations, vocabulary and privacy allow-list.
    project = open_project(start)
    # The records: read, scanned for personal data, validated, cross-checked.
    corpus, problems = load(project, progress)
    # Records from the locked sources join the corpus: their public records (or all, with
    # `records: all`), ids under the source's name, read from build/sources/ or their folder, offline.
    corpus, source_problems = join_sources(project, corpus, home)
    # The map definitions, checked against the same vocabulary and register.
    definitions, map_problems = load_map_definitions(project)
    # A public build sees only public records, from here on.
    if public:
        corpus = corpus.public()
    return Checked(project, corpus, definitions, sorted([*problems, *source_problems, *map_problems]), public)


def recheck(checked: Checked, changed: set[str]) -> Checked | None:
    """Check only the edited record files (`serve`) against a clean check; None: check everything."""
    from insightmap.load.reader import recheck as recheck_records

    if checked.errors or checked.public:
        return None
    corpus = recheck_records(checked.project, checked.corpus, changed)
    return None if corpus is None else replace(checked, corpus=corpus)


def analyse(checked: Checked, today: datetime.date | None = None) -> Results:
    """Run every analysis once (maps, white spots, clusters, per organisation and per map)."""
    from insightmap import clock
    from insightmap.analyse.results import analyse_corpus

    return analyse_corpus(checked.corpus, checked.definitions, today or clock.today(checked.corpus.config))


def site_pages(checked: Checked, results: Results, chart_cache: Path | None = None, workers: int = 1) -> Site:
    """Turn the results into the site's pages (Markdown with inline SVG), the navigation and assets.

    With workers > 1, the charts not in the cache are drawn last, by that many processes.
    """
    import time

    from insightmap.site.charts import drawn_in_parallel
    from insightmap.site.generate import generate_site

    if chart_cache is None:
        chart_cache = Path(checked.project.root) / "build" / "cache" / "charts"
    with drawn_in_parallel(workers) as caches:
        site = generate_site(checked.corpus, results, chart_cache)
    # The missing charts, drawn side by side (matplotlib is CPU-bound), go where their pages hold them.
    start = time.perf_counter()
    for cache in caches:
        cache.resolve(site.files)
    site.timings["charts in parallel"] = time.perf_counter() - start
    return site


def unchanged(start: Path, out: Path, engine: str, strict: bool, public: bool) -> BuildResult | None:
    """Return the site in place if its last successful build read exactly these inputs, before any loading.

    Safe without `check`: the digest covers everything check and build read (see site/stamp.py), and
    a build records it only after check found no errors and the site was swapped in; so an equal
    digest means the same clean check and the same site. Anything unusual (no project, an
    unreadable file) answers None, and the ordinary build reports it.
    """
    from insightmap.load.project import open_project
    from insightmap.site import build as site_build
    from insightmap.site import stamp

    try:
        project = open_project(start)
        if project.problems:
            return None
        with site_build.build_lock(project, out):
            digest = stamp.inputs_digest(project, public, out, engine, strict)
            return stamp.unchanged(project, out, digest)
    except (InsightmapError, OSError, ValueError):
        return None


def build(
    checked: Checked,
    out: Path,
    engine: str = "properdocs",
    strict: bool = False,
    echo: Callable[[str], None] | None = None,
) -> BuildResult:
    """Build the site: refuse problems → analyse → pages → write the tree → engine → swap into out."""
    import time

    from insightmap.parallel import cores
    from insightmap.site import build as site_build
    from insightmap.site import stamp

    # Nothing is published from a project with problems, nor generated for an engine that is missing.
    checked.require_clean()
    site_build.require_engine(engine)
    # One build at a time per work folder and per site folder.
    with site_build.build_lock(checked.project, out, echo):
        # The same inputs as the site in place: nothing to analyse, generate or run.
        digest = stamp.inputs_digest(checked.project, checked.public, out, engine, strict)
        if (same := stamp.unchanged(checked.project, out, digest)) is not None:
            return same
        # Every analysis once, then the pages from the results.
        start = time.perf_counter()
        results = analyse(checked)
        site = site_pages(checked, results, workers=cores())
        generated = time.perf_counter() - start
        # Write build/docs/, run the engine into a staging folder and swap it in.
        result = site_build.build_site(checked.project, site, out, engine=engine, strict=strict)
        result.timings["generate"] = generated + result.timings.get("generate", 0.0)
        result.timings.update({f"generate.{k}": v for k, v in site.timings.items() if k != "total"})
        stamp.remember(checked.project, digest, result)
    return result
