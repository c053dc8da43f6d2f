"""The insight map: exact region counts, the drawn picture, links, text alternatives and the CLI."""

from __future__ import annotations

import json
import re
from itertools import combinations
from pathlib import Path
from xml.etree import ElementTree

import pytest

from conftest import DEFAULT_CONFIG, record, study
from insightmap.analyse.venn import (
    REGIONS,
    compute_map,
    region_from_slug,
    region_slug,
)
from insightmap.load import load
from insightmap.load.project import open_project
from insightmap.site.urls import region_url

#: Ten insights with known regions, including two in all three circles and none in risk+public.
KNOWN = {
    "insights/a1.md": record(perspective="[active-client]", subpopulation="[adults]"),
    "insights/a2.md": record(
        perspective="[active-client]", subpopulation="[adults, families]", organisation="sodermalm"
    ),
    "insights/r1.md": record(
        perspective="riskgrupp", subpopulation="[children-youth]", organisation="stadsmissionen"
    ),
    "insights/g1.md": record(perspective="[general-public]", subpopulation="[older-people]"),
    "insights/g2.md": record(
        perspective="[general-public]", subpopulation="[older-people, adults]", organisation="malmo"
    ),
    "insights/g3.md": record(perspective="[general-public]", subpopulation="[Barn och unga]"),
    "insights/ar1.md": record(perspective="[active-client, risk-group]", subpopulation="[homeless]"),
    # Perspectives in another order still land in the region with the fixed order.
    "insights/ag1.md": record(
        perspective="[general-public, active-client]", subpopulation="[families]", organisation="sodermalm"
    ),
    "insights/all1.md": record(
        perspective="[general-public, risk-group, active-client]",
        subpopulation="[children-youth, families]",
        organisation="stadsmissionen",
    ),
    "insights/all2.md": record(
        perspective="[active-client, risk-group, general-public]", subpopulation="[children-youth]"
    ),
    "insights/studie.md": study(perspective="[risk-group, general-public]"),
}

EXPECTED = {
    "active-client": (2, {"adults": 2, "families": 1}, {"municipality": 1, "city-district": 1}),
    "risk-group": (1, {"children-youth": 1}, {"civil-society": 1}),
    "general-public": (3, {"older-people": 2, "children-youth": 1, "adults": 1}, {"municipality": 3}),
    "active-client+risk-group": (1, {"homeless": 1}, {"municipality": 1}),
    "active-client+general-public": (1, {"families": 1}, {"city-district": 1}),
    "risk-group+general-public": (0, {}, {}),
    "active-client+risk-group+general-public": (
        2,
        {"children-youth": 2, "families": 1},
        {"civil-society": 1, "municipality": 1},
    ),
}


def _json(run, root, *args):
    result = run("-C", root, "map", "--format", "json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def _load(root: Path):
    corpus, problems = load(open_project(root))
    assert problems == []
    return corpus


def test_every_region_count_and_breakdown_is_exact(corpus, run):
    data = _json(run, corpus(KNOWN))
    assert data["total"] == 10 and data["selection"] == {}
    assert list(data["regions"]) == list(REGIONS)
    for key, (count, subpopulations, types) in EXPECTED.items():
        region = data["regions"][key]
        assert region["count"] == count, key
        assert region["subpopulations"] == subpopulations, key
        assert region["organisation_types"] == types, key
    assert data["regions"]["active-client+general-public"]["insights"] == ["ag1"]
    assert data["regions"]["general-public"]["organisations"] == {"karlskrona": 2, "malmo": 1}


def test_subpopulations_are_ordered_largest_first(corpus):
    vmap = compute_map(_load(corpus(KNOWN)).insights, _load(corpus(KNOWN)))
    assert list(vmap.regions["general-public"].subpopulations) == ["older-people", "children-youth", "adults"]


def test_selection_by_organisation_and_colour_by_organisation(corpus, run):
    root = corpus(KNOWN)
    data = _json(run, root, "--organisation", "sodermalm", "--colour-by", "organisation")
    assert data["total"] == 2 and data["selection"] == {"organisation": ["sodermalm"]}
    assert data["colour_by"] == "organisation"
    assert data["regions"]["active-client"]["count"] == 1
    assert data["regions"]["active-client+general-public"]["count"] == 1
    vmap = compute_map(_load(root).insights, _load(root), colour_by="organisation")
    assert vmap.regions["general-public"].colours["older-people"] == {"karlskrona": 1, "malmo": 1}


def test_label_and_key_filters_give_the_same_map(corpus, run):
    root = corpus(KNOWN)
    by_key = _json(run, root, "--subpopulation", "children-youth", "--perspective", "risk-group")
    by_label = _json(run, root, "--subpopulation", "Barn och unga", "--perspective", "Riskgrupp")
    assert by_key == by_label
    assert by_key["total"] == 3


def test_an_empty_corpus_has_all_seven_regions_at_zero(corpus, run):
    data = _json(run, corpus({}))
    assert data["total"] == 0
    assert all(data["regions"][key]["count"] == 0 for key in REGIONS)


def test_region_slugs_and_urls():
    key = "active-client+risk-group+general-public"
    assert region_slug(key) == "active-client--risk-group--general-public"
    assert region_from_slug(region_slug(key)) == key
    assert region_url("risk-group") == "insikter/region/risk-group/"
    assert region_url("risk-group", organisation="karlskrona") == "organisationer/karlskrona/risk-group/"
    assert region_url("risk-group", map_name="barn-och-unga", base="/site") == (
        "/site/kartor/barn-och-unga/risk-group/"
    )


def _links(svg: str) -> dict[str, str]:
    """Return each region group's id suffix → the href of its patch."""
    found = {}
    for match in re.finditer(
        r'<g id="[^"]*region-([a-z-]+)">\s*<title>[^<]*</title>\s*<a xlink:href="([^"]+)"', svg
    ):
        found[match.group(1)] = match.group(2)
    return found


def test_svg_links_every_nonempty_region_to_the_site_list(corpus, run, tmp_path):
    root = corpus(KNOWN)
    out = tmp_path / "karta.svg"
    result = run("-C", root, "map", "-o", out)
    assert result.exit_code == 0, result.output
    svg = out.read_text(encoding="utf-8")
    ElementTree.fromstring(svg.encode("utf-8"))  # well-formed after our id and title rewriting
    links = _links(svg)
    nonempty = {region_slug(k) for k, (n, _, _) in EXPECTED.items() if n}
    assert set(links) == nonempty
    for slug, href in links.items():
        assert href == f"insikter/region/{slug}/"
    assert 'region-risk-group--general-public">' in svg  # present, but without a link
    assert 'target="_blank"' not in svg
    assert "<text" in svg  # text stays text (svg.fonttype none)
    # Every id carries the map's prefix, so two inlined maps cannot collide.
    ids = re.findall(r'\bid="([^"]+)"', svg)
    prefix = ids[0].split("title")[0]
    assert prefix.startswith("imap-") and all(i.startswith(prefix) for i in ids)
    assert all(ref[1:].startswith(prefix) for ref in re.findall(r'href="(#[^"]+)"', svg))


def test_svg_links_for_an_organisation_and_a_map_definition(corpus, run, tmp_path):
    files = {**KNOWN, "maps/barn.yml": "title: Barn\nfilter: {subpopulation: children-youth}\n"}
    root = corpus(files)
    out = tmp_path / "org.svg"
    assert run("-C", root, "map", "--organisation", "sodermalm", "-o", out).exit_code == 0
    assert set(_links(out.read_text()).values()) == {
        "organisationer/sodermalm/active-client/",
        "organisationer/sodermalm/active-client--general-public/",
    }
    out = tmp_path / "map.svg"
    assert run("-C", root, "map", "--map", "barn", "-o", out, "--base-url", "/insikter").exit_code == 0
    assert set(_links(out.read_text()).values()) == {
        "/insikter/kartor/barn/risk-group/",
        "/insikter/kartor/barn/general-public/",
        "/insikter/kartor/barn/active-client--risk-group--general-public/",
    }


def test_svg_is_deterministic_and_png_is_written(corpus, run, tmp_path):
    root = corpus(KNOWN)
    first, second, png = tmp_path / "1.svg", tmp_path / "2.svg", tmp_path / "karta.png"
    for path in (first, second, png):
        assert run("-C", root, "map", "-o", path).exit_code == 0
    assert first.read_bytes() == second.read_bytes()
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert png.stat().st_size > 10_000


def test_other_output_extensions_are_usage_errors(corpus, run, tmp_path):
    result = run("-C", corpus(KNOWN), "map", "-o", tmp_path / "karta.pdf")
    assert result.exit_code == 2
    assert ".svg or .png" in result.output
    assert not (tmp_path / "karta.pdf").exists()


def test_markdown_table_and_alt_text(corpus, run):
    root = corpus(KNOWN)
    result = run("-C", root, "map", "--format", "markdown")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == "| Område i kartan | Antal insikter | Subpopulationer |"
    assert "| Aktuella inom socialtjänsten | 2 | Vuxna (2), Familjer (1) |" in lines
    assert "| Riskgrupp + Invånare i allmänhet | 0 | – |" in lines
    assert lines[-1] == "| **Totalt** | **10** | |"
    from insightmap.render.venn import alt_text

    text = alt_text(compute_map(_load(root).insights, _load(root)), _load(root))
    assert "10 insikter" in text and "i området invånare i allmänhet (3" in text and "1 av 7" in text


def test_terminal_table_lists_the_regions(corpus, run, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")  # headings on one line each
    result = run("-C", corpus(KNOWN), "map")
    assert result.exit_code == 0
    # Swedish throughout for a Swedish corpus, and the total as the table's last row.
    assert "Riskgrupp" in result.output and "Antal insikter" in result.output
    assert re.search(r"│ Totalt +│ +10 │", result.output), result.output
    assert "Insights" not in result.output and "Sub-populations" not in result.output
    english_config = DEFAULT_CONFIG.replace("language: sv", "language: en")
    english = run("-C", corpus(KNOWN, config=english_config), "map").output
    assert "Number of insights" in english and "Subpopulations" in english


def _overlaps(fig) -> list[tuple[str, str]]:
    """Return pairs of visible texts whose drawn boxes overlap."""
    from matplotlib.text import Text

    fig.canvas.draw()  # lay out the legend, whose texts have no position before drawing
    renderer = fig.canvas.get_renderer()
    boxes = [
        (t.get_text(), t.get_window_extent(renderer))
        for t in fig.findobj(Text)
        if t.get_visible() and t.get_text().strip()
    ]
    return [
        (a, b)
        for (a, box_a), (b, box_b) in combinations(boxes, 2)
        if box_a.x0 < box_b.x1 - 0.5
        and box_b.x0 < box_a.x1 - 0.5
        and box_a.y0 < box_b.y1 - 0.5
        and box_b.y0 < box_a.y1 - 0.5
    ]


def _crowded(per_region: int) -> dict[str, str]:
    """Every region holds per_region sub-populations from two organisation types."""
    from insightmap.load.vocabulary import builtin

    subpopulations = builtin().keys("subpopulation")[:per_region]
    files = {}
    for r, key in enumerate(REGIONS):
        for s, sub in enumerate(subpopulations):
            for copy in range(1 + (s + r) % 4):
                org = "stadsmissionen" if copy % 2 else "karlskrona"
                files[f"insights/{r}-{s}-{copy}.md"] = record(
                    perspective="[" + key.replace("+", ", ") + "]", subpopulation=f"[{sub}]", organisation=org
                )
    return files


@pytest.mark.parametrize("per_region, language", [(13, "sv"), (6, "en")])
def test_no_text_overlaps_even_when_regions_are_crowded(corpus, per_region, language):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from insightmap.render.venn import build_figure

    root = corpus(
        _crowded(per_region),
        config=f"language: {language}\n"
        "organisations:\n  stadsmissionen: {name: Stadsmissionen, type: civil-society}\n",
    )
    data = _load(root)
    vmap = compute_map(data.insights, data)
    fig = build_figure(vmap, data)
    try:
        assert _overlaps(fig) == []
        texts = [t.get_text() for t in fig.findobj(matplotlib.text.Text)]
        more = "fler" if language == "sv" else "more"
        folded = [t for t in texts if re.fullmatch(rf"\+\d+ {more}", t)]
        if per_region == 13:
            assert folded, "13 sub-populations per region cannot all be drawn legibly"
        else:
            assert not folded and any(t.startswith("Children and youth") for t in texts)
        # Each region shows its count, zeros included.
        assert all(str(vmap.regions[k].count) in texts for k in REGIONS)
    finally:
        plt.close(fig)


def test_demo_corpus_maps_have_no_overlapping_text():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from insightmap.render.venn import build_figure
    from insightmap.select import Selection

    root = Path(__file__).resolve().parents[1]
    if not (root / "insights").is_dir():
        pytest.skip("no demo corpus")
    data, _ = load(open_project(root))
    for selection in (None, Selection(organisations=("karlskrona",))):
        fig = build_figure(compute_map(data.insights, data, selection=selection), data)
        try:
            assert _overlaps(fig) == []
        finally:
            plt.close(fig)


# --- colouring by organisation: every legend entry distinguishable (issue 15) -----------------

#: 15 organisations, organisation n with n % 4 + 1 insights (so the smallest are clear).
MANY_ORGANISATIONS = "language: sv\norganisations:\n" + "".join(
    f"  org{n:02}: {{name: Förening {n}, type: civil-society}}\n" for n in range(15)
)


def _many_organisations(corpus):  # type: ignore[no-untyped-def]
    files = {
        f"insights/org{n:02}-{i}.md": record(
            title=f"Insikt {n} {i}",
            organisation=f"org{n:02}",
            perspective=("[active-client]", "[risk-group]", "[general-public]")[n % 3],
            subpopulation=("[adults]", "[families]")[i % 2],
        )
        for n in range(15)
        for i in range(n % 4 + 1)
    }
    return _load(corpus(files, config=MANY_ORGANISATIONS))


def test_colouring_by_organisation_keeps_every_legend_entry_distinct(corpus):
    import matplotlib.pyplot as plt

    from insightmap.render.venn import palette
    from insightmap.render.venn.figure import build_figure

    loaded = _many_organisations(corpus)
    vmap = compute_map(loaded.insights, loaded, colour_by="organisation")
    colours = palette(vmap, loaded)
    assert len(colours) == 15
    fig = build_figure(vmap, loaded)
    try:
        legend = fig.legends[0]
        labels = [t.get_text() for t in legend.get_texts()]
        faces = [h.get_markerfacecolor() for h in legend.legend_handles]
        texts = "\n".join(t.get_text() for t in fig.texts)
    finally:
        plt.close(fig)
    assert len(set(faces)) == len(faces) == len(labels)  # no two entries look alike
    # 11 organisations keep a colour of their own; the four with fewest insights are "Övriga", by name.
    assert labels[-1] == "Övriga (4)" and len(labels) == 12
    grouped = [name for name in (f"Förening {n}" for n in range(15)) if name not in labels]
    assert grouped == ["Förening 0", "Förening 4", "Förening 8", "Förening 12"]  # one insight each
    assert "Övriga (4): Förening 0, Förening 4, Förening 8 och Förening 12" in " ".join(texts.split())


def test_a_few_organisations_each_get_their_own_colour(corpus, run):
    root = corpus(KNOWN)
    vmap = compute_map(_load(root).insights, _load(root), colour_by="organisation")
    from insightmap.render.venn import palette

    colours = palette(vmap, _load(root))
    assert len(set(colours.values())) == len(colours)
