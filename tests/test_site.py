"""The insight site: pages, navigation, offline, search settings, safe rebuilds, plugin and engines."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import DEFAULT_CONFIG, built_once, fresh_copy, record, study
from insightmap.site.build import write_tree
from insightmap.site.pagewriter import safe_title
from insightmap.site.urls import relative

#: Hosts a page must never load from (the offline rule), and any absolute URL in src.
EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//(?!127\.0\.0\.1|localhost)([^"'\s>/]+)""")


def _files(**overrides: str) -> dict[str, str]:
    files = {
        "insights/karlskrona/tidig-kontakt.md": record(
            title="Tidig kontakt gör stödet mer tillgängligt.",
            body="Invånarna beskrev att stödet blev tillgängligt först när de fick ringa på morgonen.",
            quotes='["Jag ringde klockan sju och fick svar."]',
            theme="[accessibility-trust]",
            study="karlskrona/studier/unga",
        ),
        "insights/karlskrona/skolan.md": record(
            title="Unga vill mötas i skolan.",
            perspective="[risk-group]",
            subpopulation="[children-youth]",
            date='"2025-02"',
        ),
        "insights/sodermalm/drop-in.md": record(
            title="Drop-in sänker tröskeln.",
            organisation="sodermalm",
            perspective="[general-public]",
        ),
        "insights/karlskrona/studier/unga.md": study(),
    }
    files.update(overrides)
    return files


@pytest.fixture(scope="module")
def built_site(tmp_path_factory):
    """The small project, built once for the module."""
    return built_once(tmp_path_factory, _files())


@pytest.fixture
def built(built_site):
    """The built project as it was built, for a test to read, rebuild or change."""
    return fresh_copy(built_site)


def _page(root: Path, url: str) -> str:
    return (root / "site" / url / "index.html").read_text(encoding="utf-8")


def test_build_writes_every_kind_of_page(built):
    start = _page(built, "")
    assert (
        "Insiktskartan" in start and "Nyaste insikter" in start and "största vita fläckarna" in start.lower()
    )
    insight = _page(built, "insikter/karlskrona/tidig-kontakt")
    assert "Tidig kontakt gör stödet mer tillgängligt." in insight
    assert '<blockquote class="im-quote"><p>Jag ringde klockan sju och fick svar.</p></blockquote>' in insight
    assert 'href="../../../taggar/theme/accessibility-trust/"' in insight  # tags link to tag pages
    assert 'href="../../../insiktsarbeten/karlskrona/studier/unga/"' in insight
    assert "Intervjuer med unga" in _page(built, "insiktsarbeten/karlskrona/studier/unga")
    assert "Södermalms stadsdelsförvaltning" in _page(built, "organisationer/sodermalm")
    gaps = _page(built, "vita-flackar")
    assert "Vita fläckar" in gaps
    assert gaps.count("fördelar sig på") == 1  # the summary once, not again above the matrix
    assert "Kluster" in _page(built, "kluster")
    assert "Tidig kontakt" in _page(built, "taggar/theme/accessibility-trust")
    # Region lists at the agreed URLs, linked from the maps.
    region = _page(built, "insikter/region/active-client")
    assert "Tidig kontakt gör stödet" in region and "Drop-in" not in region
    assert 'href="insikter/region/active-client/"' in start
    assert (built / "site" / "organisationer" / "karlskrona" / "risk-group" / "index.html").is_file()


def test_record_pages_are_not_in_the_navigation(built):
    config = yaml.safe_load((built / "build" / "properdocs.yml").read_text(encoding="utf-8"))
    nav = json.dumps(config["nav"], ensure_ascii=False)
    assert "insikter/index.md" in nav and "vita-flackar/index.md" in nav
    assert "tidig-kontakt" not in nav and "organisationer/sodermalm" not in nav
    sections = ("Start", "Insikter", "Kartor", "Vita fläckar", "Kluster", "Organisationer", "Insiktsarbeten")
    assert all(section in nav for section in sections)
    assert "/insikter/" in config["not_in_nav"]


def test_site_is_offline_and_search_is_pagefind_over_records(built):
    config = yaml.safe_load((built / "build" / "properdocs.yml").read_text(encoding="utf-8"))
    assert config["theme"]["font"] is False
    for path in (built / "site").rglob("*"):
        if path.suffix in (".html", ".css", ".js", ".svg", ".xml") and path.name != "sitemap.xml":
            found = EXTERNAL.findall(path.read_text(encoding="utf-8", errors="ignore"))
            assert not [h for h in found if not h.startswith(("www.w3.org", "www.sitemaps.org"))], path
        assert not re.search(
            r"fonts\.googleapis|unpkg\.com|cdn\.jsdelivr",
            path.read_text("utf-8", "ignore") if path.is_file() and path.suffix in (".html", ".css") else "",
        ), path
    # Search is Pagefind's, written into the site itself; the theme's lunr search is gone.
    assert "search" not in json.dumps(config["plugins"])
    assert not (built / "site" / "search" / "search_index.json").exists()
    bundle = built / "site" / "pagefind"
    assert (bundle / "pagefind-ui.js").is_file() and list(bundle.glob("wasm.sv.pagefind"))
    assert "assets/insightmap-search.js" in _page(built, "")
    indexed = _indexed(bundle)
    assert {p["meta"]["title"] for p in indexed} == {
        "Tidig kontakt gör stödet mer tillgängligt.",
        "Unga vill mötas i skolan.",
        "Drop-in sänker tröskeln.",
        "Intervjuer med unga",
    }  # record pages only: maps, lists and tag pages are left out
    early = next(p for p in indexed if p["meta"]["title"].startswith("Tidig kontakt"))
    assert early["meta"]["organisation"] == "Karlskrona kommun" and early["meta"]["date"] == "2024-05"
    assert early["filters"]["Typ"] == ["Insikt"] and early["filters"]["År"] == ["2024"]
    assert early["filters"]["Organisation"] == ["Karlskrona kommun"]
    assert set(early["filters"]) == {"Typ", "Organisation", "Perspektiv", "Subpopulation", "År"}
    # Only the record's title and text are indexed: no kicker, facts table or filter words.
    assert "Karlskrona" not in early["content"] and "2024" not in early["content"]
    assert "ringa på morgonen" in early["content"]


def _indexed(bundle: Path) -> list[dict]:
    """Return Pagefind's page fragments (gzipped JSON after a signature) of a built site."""
    import gzip

    pages = []
    for path in sorted((bundle / "fragment").glob("*.pf_fragment")):
        data = gzip.decompress(path.read_bytes())
        pages.append(json.loads(data[data.index(b"{") :]))
    return pages


def test_public_build_indexes_only_public_records(corpus, run):
    files = _files()
    files["insights/karlskrona/skolan.md"] = files["insights/karlskrona/skolan.md"].replace(
        "---\n\n", "visibility: public\n---\n\n", 1
    )
    root = corpus(files)
    assert run("-C", root, "build", "--public").exit_code == 0
    titles = [p["meta"]["title"] for p in _indexed(root / "site" / "pagefind")]
    assert titles == ["Unga vill mötas i skolan."]


def test_rebuild_writes_only_changed_pages(built, run):
    docs = built / "build" / "docs"
    page = docs / "insikter" / "sodermalm" / "drop-in" / "index.md"
    before = {p: p.stat().st_mtime_ns for p in docs.rglob("*.md")}
    result = run("-C", built, "build")
    assert result.exit_code == 0 and "(0 changed, 0 removed" in result.output
    assert {p: p.stat().st_mtime_ns for p in docs.rglob("*.md")} == before
    (built / "insights" / "sodermalm" / "drop-in.md").unlink()
    result = run("-C", built, "build")
    assert result.exit_code == 0 and not page.exists()


def test_problems_stop_the_build_and_keep_the_site(built, run):
    marker = built / "site" / "index.html"
    old = marker.read_bytes()
    (built / "insights" / "trasig.md").write_text(record(perspective="[riskgrupp-x]"), encoding="utf-8")
    result = run("-C", built, "build")
    assert result.exit_code == 1
    assert "insights/trasig.md:" in result.output and "error[" in result.output
    assert marker.read_bytes() == old


def test_failed_engine_leaves_the_site_untouched(built, run):
    old = (built / "site" / "index.html").read_bytes()
    (built / "mkdocs.yml").write_text("site_name: x\ntheme:\n  name: no-such-theme\n", encoding="utf-8")
    result = run("-C", built, "build")
    assert result.exit_code == 1 and "the site was left as it was" in result.output
    assert (built / "site" / "index.html").read_bytes() == old
    assert not (built / "build" / "site.building").exists()


def test_english_site(corpus, run):
    root = corpus(_files(), config=DEFAULT_CONFIG.replace("language: sv", "language: en"))
    assert run("-C", root, "build").exit_code == 0
    start = _page(root, "")
    assert "Newest insights" in start and "White spots" in start and 'lang="en"' in start


def test_titles_are_defused_for_themes_that_print_them_raw():
    assert safe_title('</title><script>x</script> & "q"') == "‹/title›‹script›x‹/script› ＆ ”q”"
    assert relative("insikter/a/b/", "insikter/c/") == "../a/b/"
    assert relative("", "kartor/x/") == "../../"
    assert relative("vita-flackar/", "") == "vita-flackar/"


def test_write_tree_removes_stale_and_keeps_unchanged(tmp_path):
    assert write_tree({"a/index.md": "x", "b.md": "y"}, tmp_path) == (2, 0)
    assert write_tree({"a/index.md": "x"}, tmp_path) == (0, 1)
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == ["a", "a/index.md"]


def test_write_tree_writes_again_a_page_a_killed_build_left_short(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.md").write_text("# Rub", encoding="utf-8")  # cut off mid-write
    assert write_tree({"a/index.md": "# Rubrik\n\nText.\n"}, tmp_path) == (1, 0)
    assert (tmp_path / "a" / "index.md").read_text(encoding="utf-8") == "# Rubrik\n\nText.\n"


def test_generation_is_deterministic(corpus):
    from insightmap import pipeline

    checked = pipeline.check(corpus(_files()))
    first = pipeline.site_pages(checked, pipeline.analyse(checked)).files
    assert pipeline.site_pages(checked, pipeline.analyse(checked)).files == first


#: The one line in which ProperDocs' and MkDocs' pages may differ.
GENERATOR = re.compile(r'<meta name="generator" content="[^"]*">')


def _html_pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))


@pytest.mark.parametrize("engine", ["properdocs", "mkdocs"])
def test_plugin_builds_the_same_pages(built, engine):
    default = Path(__file__).resolve().parents[1] / "src/insightmap/data/init/properdocs.yml"
    shutil.copy(default, built / "properdocs.yml")
    (built / "docs").mkdir()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
    # Plain `properdocs build` finds properdocs.yml itself; MkDocs is told where it is.
    config = [] if engine == "properdocs" else ["-f", "properdocs.yml"]
    done = subprocess.run(
        [sys.executable, "-m", engine, "build", *config, "-d", "plain"],
        cwd=built,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert "renamed" not in done.stderr  # no rename notice: the config has ProperDocs' name
    assert _html_pages(built / "site") == _html_pages(built / "plain")
    ours = _page(built, "insikter/karlskrona/tidig-kontakt")
    plain = (built / "plain" / "insikter/karlskrona/tidig-kontakt/index.html").read_text(encoding="utf-8")
    assert GENERATOR.sub("", ours) == GENERATOR.sub("", plain)
    assert (ours == plain) == (engine == "properdocs")


@pytest.mark.skipif(
    importlib.util.find_spec("zensical") is None, reason="zensical is not installed (the test extra)"
)
def test_zensical_builds_the_same_set_of_pages(built, run):
    default_pages = _html_pages(built / "site")
    result = run("-C", built, "build", "--engine", "zensical", "-o", built / "zsite")
    assert result.exit_code == 0, result.output
    assert _html_pages(built / "zsite") == default_pages
    page = (built / "zsite/insikter/karlskrona/tidig-kontakt/index.html").read_text(encoding="utf-8")
    assert "Tidig kontakt" in page
    config = yaml.safe_load((built / "build" / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["theme"]["variant"] == "classic"  # the Material look, not Zensical's modern one


def test_missing_engine_is_an_error_before_any_page(built, run, monkeypatch):
    import importlib.util as util

    real = util.find_spec
    monkeypatch.setattr(util, "find_spec", lambda name, *a: None if name == "zensical" else real(name, *a))
    shutil.rmtree(built / "build" / "docs")
    result = run("-C", built, "build", "--engine", "zensical")
    assert result.exit_code == 1 and "zensical is not installed" in result.output
    assert "pip install 'insightmap[zensical]'" in result.output
    assert not (built / "build" / "docs").exists()


def test_charts_are_redrawn_only_when_their_data_changes(built, run):
    (built / "build" / "site-stamp.json").unlink()  # a real rebuild, not the unchanged-project skip
    again = run("-C", built, "build")
    assert again.exit_code == 0
    assert "0 charts drawn" in again.output
    reused = int(re.search(r"(\d+) reused", again.output).group(1))
    page = built / "insights" / "karlskrona" / "tidig-kontakt.md"
    page.write_text(
        page.read_text(encoding="utf-8").replace("[adults]", "[adults, families]"), encoding="utf-8"
    )
    edited = run("-C", built, "build")
    drawn = int(re.search(r"(\d+) charts drawn", edited.output).group(1))
    assert 0 < drawn < reused  # the maps that count the insight, not every map


def test_unchanged_project_is_not_built_again(built, run, monkeypatch):
    from insightmap import pipeline

    site = built / "site"
    # The copy lives in another folder than the shared build (the site's path is an input): build once.
    assert run("-C", built, "build").exit_code == 0
    inode = site.stat().st_ino
    with monkeypatch.context() as patched:
        # Not even loaded: the inputs' digest equals the last successful build's.
        patched.setattr(pipeline, "check", lambda *a, **k: pytest.fail("loaded an unchanged project"))
        result = run("-C", built, "build")
    assert result.exit_code == 0 and "(0 changed, 0 removed" in result.output
    assert site.stat().st_ino == inode  # no engine, no swap: the same folder
    # A problem is still refused: the changed file changes the digest, so check runs.
    broken = built / "insights" / "sodermalm" / "broken.md"
    broken.write_text("---\ntitle: Utan datum\n---\nText.\n", encoding="utf-8")
    assert run("-C", built, "build").exit_code == 1
    broken.unlink()
    (built / "insights" / "sodermalm" / "drop-in.md").write_text(
        record(title="Drop-in sänker tröskeln rejält.", organisation="sodermalm"), encoding="utf-8"
    )
    assert run("-C", built, "build").exit_code == 0
    assert site.stat().st_ino != inode and "rejält" in _page(built, "insikter/sodermalm/drop-in")


def test_charts_and_pages_made_on_several_cores_are_the_same_bytes(corpus, tmp_path):
    """A first build draws charts and converts pages in worker processes; the site must not change."""
    from insightmap import pipeline
    from insightmap.site.prerender import Prerenderer

    root = corpus(
        {
            "insights/karlskrona/tidig.md": record(),
            "insights/sodermalm/drop-in.md": record(
                title="Drop-in sänker tröskeln.", organisation="sodermalm", perspective="[general-public]"
            ),
        }
    )
    checked = pipeline.check(root)
    results = pipeline.analyse(checked)
    one = pipeline.site_pages(checked, results, tmp_path / "charts1", workers=1)
    two = pipeline.site_pages(checked, results, tmp_path / "charts2", workers=2)
    assert one.files == two.files
    assert not any("insightmap-chart:" in str(text) for text in two.files.values())
    assert sorted(p.read_bytes() for p in (tmp_path / "charts1").iterdir()) == sorted(
        p.read_bytes() for p in (tmp_path / "charts2").iterdir()
    )
    pages = [Prerenderer(tmp_path / f"html{n}", None).pages(dict(one.files), n) for n in (1, 2)]
    assert pages[0] == pages[1]
    assert sorted(p.read_bytes() for p in (tmp_path / "html1").iterdir()) == sorted(
        p.read_bytes() for p in (tmp_path / "html2").iterdir()
    )
