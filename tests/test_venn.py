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
    """Return pairs of visible texts whose drawn boxes overlap (the lines of one block may touch)."""
    from matplotlib.text import Text

    fig.canvas.draw()  # lay out the legend, whose texts have no position before drawing
    renderer = fig.canvas.get_renderer()
    boxes = [
        (t.get_text(), t.get_gid() or id(t), t.get_window_extent(renderer))
        for t in fig.findobj(Text)
        if t.get_visible() and t.get_text().strip()
    ]
    return [
        (a, b)
        for (a, block_a, box_a), (b, block_b, box_b) in combinations(boxes, 2)
        if block_a != block_b
        and box_a.x0 < box_b.x1 - 0.5
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
    from insightmap.render.venn import palette
    from insightmap.render.venn.layout import compute_layout

    loaded = _many_organisations(corpus)
    vmap = compute_map(loaded.insights, loaded, colour_by="organisation")
    colours = palette(vmap, loaded)
    assert len(colours) == 15
    layout = compute_layout(vmap, loaded)  # what both the SVG and the PNG draw
    labels = layout.legend_labels
    faces = [marker.wedges[0][0] for marker in layout.legend]
    texts = "\n".join(line for text in layout.texts for line in text.lines)
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


# --- the SVG written without matplotlib (issue 16) ----------------------------------------------

SVG = "{http://www.w3.org/2000/svg}"


def _draw_svg(root: Path, **options) -> str:  # type: ignore[no-untyped-def]
    from insightmap.render.venn import draw_map

    data = _load(root)
    return str(draw_map(compute_map(data.insights, data), data, **options))


def test_svg_labels_each_circle_in_swedish_and_links_stay_in_the_tab(corpus):
    svg = _draw_svg(corpus(KNOWN), link=lambda key: f"insikter/region/{region_slug(key)}/")
    texts = [t.text for t in ElementTree.fromstring(svg).iter(f"{SVG}text")]
    # The circle labels (wrapped over lines), the title and the total, in Swedish, as text.
    words = " ".join(texts)
    for label in ("Invånare som är aktuella inom socialtjänsten", "Invånare i allmänhet", "riskgrupp"):
        assert label in words
    assert "Insiktskarta" in texts and "10 insikter" in texts
    # One link per non-empty region on its patch, and its count and markers under the same link.
    assert len(re.findall(r'<a xlink:href="insikter/region/active-client/">', svg)) == 2
    assert '"insikter/region/risk-group--general-public/"' not in svg  # empty: nothing to link to
    assert "target=" not in svg


def test_svg_markers_sit_inside_their_regions(corpus):
    from insightmap.load.vocabulary import PERSPECTIVES
    from insightmap.render.venn.layout import compute_layout
    from insightmap.render.venn.shapes import CENTRES, RADIUS

    data = _load(corpus(_crowded(6), config=DEFAULT_CONFIG))
    layout = compute_layout(compute_map(data.insights, data), data)
    scale = layout.radius / RADIUS
    for region in layout.regions:
        inside = set(region.key.split("+"))
        for marker in region.markers:
            for perspective, (cx, cy) in zip(PERSPECTIVES, CENTRES, strict=True):
                x, y = layout.xy(cx, cy)
                dist = ((marker.x - x) ** 2 + (marker.y - y) ** 2) ** 0.5 / scale
                margin = marker.radius / scale
                if perspective in inside:
                    assert dist + margin <= RADIUS, (region.key, marker)
                else:
                    assert dist - margin >= RADIUS, (region.key, marker)


def test_svg_escapes_hostile_organisation_names(corpus):
    hostile = '<script>alert(1)</script> & "Ö" <img src=x onerror=alert(2)>'
    config = f"language: sv\norganisations:\n  ond: {{name: {json.dumps(hostile)}, type: civil-society}}\n"
    root = corpus({"insights/o.md": record(organisation="ond")}, config=config)
    data = _load(root)
    from insightmap.render.venn import draw_map
    from insightmap.select import Selection

    vmap = compute_map(
        data.insights, data, selection=Selection(organisations=("ond",)), colour_by="organisation"
    )
    svg = str(draw_map(vmap, data, title=hostile, link=lambda key: f"a/{key}/"))
    tree = ElementTree.fromstring(svg)  # well-formed: nothing broke out of its element
    assert not [e for e in tree.iter() if e.tag.endswith(("script", "img"))]
    assert not [a for e in tree.iter() for a in e.attrib if a.startswith("on")]
    texts = [t.text for t in tree.iter(f"{SVG}text")]
    assert hostile in texts  # shown as the name it is, in the title and the legend
    assert texts.count(hostile) == 2


def test_svg_bytes_are_the_same_on_every_run_and_differ_by_prefix(corpus):
    root = corpus(KNOWN)
    first, second = _draw_svg(root, id_prefix="a-"), _draw_svg(root, id_prefix="a-")
    assert first == second
    other = _draw_svg(root, id_prefix="b-")
    assert other == first.replace('id="a-', 'id="b-').replace('"a-title"', '"b-title"')


def test_svg_is_written_without_matplotlib_drawing(corpus):
    import subprocess
    import sys

    root = corpus(KNOWN)
    code = (
        "import sys\nfrom pathlib import Path\nfrom insightmap.load import load\n"
        "from insightmap.load.project import open_project\n"
        "from insightmap.analyse.venn import compute_map\nfrom insightmap.render.venn import draw_map\n"
        f"c, _ = load(open_project(Path({str(root)!r})))\ndraw_map(compute_map(c.insights, c), c)\n"
        "print(sorted(m for m in ('matplotlib.pyplot', 'matplotlib_venn') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_circles_are_matplotlib_venns_equal_area_layout():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib_venn import venn3
    from matplotlib_venn.layout.venn3 import DefaultLayoutAlgorithm

    from insightmap.render.venn.shapes import CENTRES, RADIUS

    sizes = (1,) * 7
    diagram = venn3(sizes, layout_algorithm=DefaultLayoutAlgorithm(fixed_subset_sizes=sizes))
    plt.close("all")
    assert [float(v) for c in diagram.centers for v in (c.x, c.y)] == pytest.approx(
        [v for c in CENTRES for v in c]
    )
    assert [float(r) for r in diagram.radii] == pytest.approx([RADIUS] * 3)
