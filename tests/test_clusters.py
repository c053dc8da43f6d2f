"""Tests of cross-municipality clusters: patterns and summary, recurring insights, CLI."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from conftest import record
from insightmap.analyse.clusters import (
    MAINLY_SHARE,
    MIN_PATTERN_COUNT,
    SPREAD_ENTROPY,
    compute_clusters,
)
from insightmap.load import load
from insightmap.load.project import open_project
from insightmap.load.vocabulary import PERSPECTIVES
from insightmap.records import Corpus
from insightmap.render.clusters import to_markdown

# The same finding, written differently by three organisations.
PLANTED = {
    "insights/karlskrona/lunch.md": record(
        title="Invånare som arbetar kan bara ringa socialtjänsten på lunchen, när kontoret är stängt.",
        organisation="karlskrona",
        date='"2023-04"',
        shift="[closed-to-accessible]",
        theme="[accessibility-trust]",
        body="Många som arbetar dagtid har bara lunchrasten för att ringa eller besöka "
        "socialtjänsten. Just då har receptionen lunchstängt och telefontiden är slut, så de "
        "ger upp. Öppet under lunchen och förskjutna arbetstider skulle göra det lättare.",
    ),
    "insights/umea/telefontid.md": record(
        title="Förvärvsarbetande når inte socialtjänsten eftersom telefontiden och receptionen "
        "stänger under lunchen.",
        organisation="umea",
        date='"2024-02"',
        shift="[closed-to-accessible]",
        body="De som arbetar kan bara ringa på lunchrasten, men då har socialtjänsten stängt. "
        "Flera berättade att de gett upp efter att ha ringt på lunchen flera dagar i rad.",
    ),
    "insights/malmo/lunchrast.md": record(
        title="Den som arbetar hinner bara kontakta socialtjänsten på lunchrasten – när "
        "receptionen har lunchstängt.",
        organisation="malmo",
        date='"2025-01-15"',
        theme="[accessibility-trust]",
        body="Receptionen och telefontiden stänger under lunchen, precis när den som arbetar "
        "har tid att ringa. Socialtjänsten borde ha öppet under lunchen.",
    ),
}
PLANTED_IDS = ["karlskrona/lunch", "malmo/lunchrast", "umea/telefontid"]

# Unrelated findings; several share the planted insights' tags but not their subject.
UNRELATED = {
    "insights/karlskrona/boende.md": record(
        title="Kvinnor i hemlöshet undviker blandade boenden där de inte känner sig trygga.",
        organisation="karlskrona",
        subpopulation="[homeless]",
        shift="[closed-to-accessible]",
        body="Hellre sover de hos bekanta än på ett härbärge med män. Trygghet går före tak.",
    ),
    "insights/umea/samsjuklighet.md": record(
        title="Vuxna med samsjuklighet slits mellan psykiatrin och beroendevården.",
        organisation="umea",
        subpopulation="[addiction, mental-ill-health]",
        body="Ingen håller ihop planeringen, och varje ny kontakt börjar om från början.",
    ),
    "insights/malmo/bistand.md": record(
        title="Underlagen för ekonomiskt bistånd tar mer kraft än vägen till arbete.",
        organisation="malmo",
        theme="[accessibility-trust]",
        body="Varje månad samlas kvitton och intyg in; ingen ork blir kvar för jobbsökande.",
    ),
    "insights/grums/app.md": record(
        title="Unga vill påverka fritid och skola med låga trösklar, gärna via en app.",
        organisation="grums",
        perspective="[general-public]",
        subpopulation="[children-youth]",
        body="Sommarjobbande ungdomar tog fram förslag; engagemanget ska inte kräva möten.",
    ),
    "insights/sodermalm/sprak.md": record(
        title="Ett inkluderande språk avgör om invånare känner sig välkomna.",
        organisation="sodermalm",
        perspective="[general-public]",
        body="Facktermer och byråkratiska brev skrämmer bort dem som behöver stöd mest.",
    ),
    "insights/stadsmissionen/ensamhet.md": record(
        title="Ofrivilligt ensamma vill träffa andra som också söker nya relationer.",
        organisation="stadsmissionen",
        perspective="[general-public]",
        subpopulation="[older-people]",
        body="De vill inte sorteras i åldersgrupper eller problemgrupper; ett pratcafé för alla.",
    ),
    "insights/grums/forskola.md": record(
        title="Familjers relation till förskolan avgör hur särskilt stöd minns.",
        organisation="grums",
        perspective="[risk-group]",
        subpopulation="[children-youth, families]",
        body="När pedagogerna var lyhörda blev stödet något positivt i efterhand.",
    ),
}


def _load(root: Path) -> Corpus:
    corpus, problems = load(open_project(root))
    assert problems == []
    return corpus


@pytest.fixture
def planted(corpus) -> Path:  # type: ignore[no-untyped-def]
    return corpus({**PLANTED, **UNRELATED})


def test_planted_near_duplicates_form_exactly_one_recurring_cluster(planted: Path) -> None:
    corpus = _load(planted)
    report = compute_clusters(corpus.insights, corpus)
    assert [list(c.insights) for c in report.recurring] == [PLANTED_IDS]
    cluster = report.recurring[0]
    assert cluster.organisations == ("karlskrona", "malmo", "umea")
    assert (cluster.date_from, cluster.date_to) == ("2023-04", "2025-01-15")
    assert cluster.label in {corpus.by_id()[i].title for i in PLANTED_IDS}
    assert "lunchen" in cluster.terms or "lunchrasten" in cluster.terms


def test_related_insights_come_from_other_organisations(planted: Path) -> None:
    corpus = _load(planted)
    report = compute_clusters(corpus.insights, corpus)
    for planted_id in PLANTED_IDS:
        assert sorted(report.related[planted_id][:2]) == [i for i in PLANTED_IDS if i != planted_id]
    for key, related in report.related.items():
        organisation = corpus.by_id()[key].organisation
        assert all(corpus.by_id()[r].organisation != organisation for r in related)
        assert len(related) <= 5
    clustered = {i for c in report.recurring for i in c.insights}
    assert clustered.isdisjoint(r.removeprefix("insights/").removesuffix(".md") for r in UNRELATED)


def test_a_cluster_within_one_organisation_is_not_recurring(corpus) -> None:  # type: ignore[no-untyped-def]
    files = {
        path.replace("umea/", "karlskrona/").replace("malmo/", "karlskrona/"): text.replace(
            "organisation: umea", "organisation: karlskrona"
        ).replace("organisation: malmo", "organisation: karlskrona")
        for path, text in PLANTED.items()
    }
    root = corpus({**files, **UNRELATED})
    corpus_ = _load(root)
    assert compute_clusters(corpus_.insights, corpus_).recurring == []


def test_second_run_gives_byte_identical_json(planted: Path, run) -> None:  # type: ignore[no-untyped-def]
    first = run("-C", planted, "clusters", "--format", "json")
    second = run("-C", planted, "clusters", "--format", "json")
    assert first.exit_code == 0, first.output
    assert first.output == second.output
    data = json.loads(first.output)
    assert list(data)[:5] == ["summary", "patterns", "recurring", "similar_organisations", "related"]
    assert set(data["patterns"]) == set(PERSPECTIVES)
    assert set(data["patterns"]["active-client"]) >= {"dominant", "spread", "count"}
    assert set(data["recurring"][0]) >= {"label", "insights", "organisations"}
    for pair in data["similar_organisations"]:
        assert set(pair) >= {"a", "b", "score", "shared"} and pair["a"] < pair["b"]
    assert set(data["related"]) == {
        r.removeprefix("insights/").removesuffix(".md") for r in [*PLANTED, *UNRELATED]
    }


def _expected_sentence(corpus: Corpus, perspective: str) -> str:
    """Write the sentence for a perspective from counts made here, independently of the module."""
    members = [r for r in corpus.insights if perspective in r.perspective]
    counts = Counter(s for r in members for s in r.subpopulation)
    label = corpus.vocabulary.label("perspective", perspective, "sv", long=True)
    label = label[0].lower() + label[1:]
    if not members:
        return f"Det finns inga insikter från {label}."
    if len(members) < MIN_PATTERN_COUNT:
        return f"Bara {len(members)} insikt" + ("" if len(members) == 1 else "er")
    top = max(counts.values())
    names = [
        corpus.vocabulary.label("subpopulation", k, "sv").lower()
        for k in corpus.vocabulary.keys("subpopulation")
        if counts.get(k) == top
    ]
    names_text = " och ".join([", ".join(names[:-1]), names[-1]]) if len(names) > 1 else names[0]
    if top / len(members) >= MAINLY_SHARE:
        return f"Insikter från {label} rör främst {names_text} ({top} av {len(members)})."
    import math

    k = len(corpus.vocabulary.keys("subpopulation"))
    total = sum(counts.values())
    spread = -sum(n / total * math.log(n / total) for n in counts.values()) / math.log(k)
    if round(spread, 3) >= SPREAD_ENTROPY:
        return (
            f"Insikter från {label} är spridda över många subpopulationer "
            f"({len(counts)} olika; störst är {names_text} med {top} av {len(members)})."
        )
    return (
        f"Insikter från {label} är fördelade på flera subpopulationer; flest rör "
        f"{names_text} ({top} av {len(members)})."
    )


def _assert_summary_true(corpus: Corpus, summary: list[str]) -> None:
    for perspective in PERSPECTIVES:
        expected = _expected_sentence(corpus, perspective)
        assert any(s.startswith(expected) for s in summary), (expected, summary)
    counts = {p: sum(p in r.perspective for r in corpus.insights) for p in PERSPECTIVES}
    fewest = min(counts, key=lambda p: counts[p])
    label = corpus.vocabulary.label("perspective", fewest, "sv", long=True).lower()
    assert any(
        f"färst från {label} ({counts[fewest]} av {len(corpus.insights)})" in s.lower() for s in summary
    ), summary


def test_summary_sentences_follow_the_numbers(planted: Path) -> None:
    corpus = _load(planted)
    report = compute_clusters(corpus.insights, corpus)
    # 4 of the 6 current-client insights concern adults: "mainly"; 1 of 10 is risk group: "few".
    assert report.summary[0] == (
        "Insikter från invånare som är aktuella inom socialtjänsten rör främst vuxna (4 av 6)."
    )
    assert report.summary[1] == (
        "Bara 1 insikt kommer från invånare som tillhör en identifierad "
        "riskgrupp – för få för att se ett mönster."
    )
    assert report.patterns["active-client"].dominant == ("adults",)
    assert report.patterns["active-client"].wording == "mainly"
    _assert_summary_true(corpus, report.summary)
    assert report.summary[-1] == (
        "3 insikter bildar 1 grupp av liknande insikter som återkommer i flera organisationer."
    )


def test_changing_the_corpus_changes_the_sentence(corpus) -> None:  # type: ignore[no-untyped-def]
    extra = {
        f"insights/nora/n{i}.md": record(
            title=f"Unga i riskzon nummer {i} vill ha en vuxen att prata med.",
            organisation="nora",
            perspective="[active-client]",
            subpopulation=f"[{sub}]",
        )
        for i, sub in enumerate(
            ["homeless", "older-people", "families", "young-adults", "violence-exposed", "newly-arrived"]
        )
    }
    root = corpus({**PLANTED, **UNRELATED, **extra})
    changed = _load(root)
    report = compute_clusters(changed.insights, changed)
    assert report.patterns["active-client"].wording == "spread"
    assert report.summary[0].startswith(
        "Insikter från invånare som är aktuella inom socialtjänsten är spridda över många subpopulationer"
    )
    _assert_summary_true(changed, report.summary)


def test_english_summary(corpus) -> None:  # type: ignore[no-untyped-def]
    root = corpus(
        {**PLANTED, **UNRELATED},
        config="language: en\norganisations:\n"
        "  sodermalm: {name: Södermalm, type: city-district, parent: stockholm}\n"
        "  stadsmissionen: {name: Stadsmissionen, type: civil-society}\n",
    )
    corpus_ = _load(root)
    report = compute_clusters(corpus_.insights, corpus_)
    assert report.summary[0] == (
        "Insights from residents who are current clients of social services mainly concern adults (4 of 6)."
    )
    assert "# Clusters" in to_markdown(report, corpus_)


def test_selection_limits_the_insights(planted: Path) -> None:
    from insightmap.select import Selection

    corpus = _load(planted)
    report = compute_clusters(corpus.insights, corpus, Selection(organisations=("grums",)))
    assert report.insight_count == 2 and report.recurring == []
    assert report.selection == {"organisation": ["grums"]}
    assert set(report.related) == {"grums/app", "grums/forskola"}


def test_empty_selection(corpus) -> None:  # type: ignore[no-untyped-def]
    corpus_ = _load(corpus({}))
    report = compute_clusters(corpus_.insights, corpus_)
    assert report.summary == ["Urvalet innehåller inga insikter."]
    assert report.to_dict()["recurring"] == [] and report.to_dict()["related"] == {}


def test_similar_organisations_name_shared_tags(corpus) -> None:  # type: ignore[no-untyped-def]
    files = {
        f"insights/{org}/{i}.md": record(
            title=f"Insikt {i} om {org}", organisation=org, subpopulation=sub, perspective=persp, area=area
        )
        for org, sub, persp, area in [
            ("umea", "[addiction]", "[active-client]", "[addiction]"),
            ("malmo", "[addiction]", "[active-client]", "[addiction]"),
            ("grums", "[children-youth]", "[general-public]", "[child-youth-care]"),
        ]
        for i in range(2)
    }
    corpus_ = _load(corpus(files))
    pairs = compute_clusters(corpus_.insights, corpus_).similar_organisations
    assert [(p.a, p.b) for p in pairs] == [("malmo", "umea")]
    assert pairs[0].score == 1.0
    assert set(pairs[0].shared) == {"subpopulation:addiction", "area:addiction", "perspective:active-client"}


def test_cli_table_and_markdown(planted: Path, run) -> None:  # type: ignore[no-untyped-def]
    table = run("-C", planted, "clusters")
    assert table.exit_code == 0, table.output
    # A Swedish corpus's tables speak Swedish throughout, with the Markdown report's words.
    assert "Återkommande insikter" in table.output and "Malmö" in table.output
    assert "Mönster per perspektiv" in table.output and "Spridning" in table.output
    assert "Recurring" not in table.output and "Patterns" not in table.output
    markdown = run("-C", planted, "clusters", "--format", "markdown")
    assert markdown.output.startswith("# Kluster\n")
    assert "## Återkommande insikter" in markdown.output
    assert "`umea/telefontid`" in markdown.output


def test_cli_filters_and_map(planted: Path, run) -> None:  # type: ignore[no-untyped-def]
    result = run("-C", planted, "clusters", "--organisation", "grums", "--format", "json")
    assert json.loads(result.output)["selection"] == {"organisation": ["grums"]}
    bad = run("-C", planted, "clusters", "--perspective", "riskgrup")
    assert bad.exit_code == 2 and "risk-group" in bad.output
    (planted / "maps").mkdir()
    (planted / "maps" / "unga.yml").write_text(
        "title: Unga\nfilter:\n  subpopulation: children-youth\n", encoding="utf-8"
    )
    mapped = json.loads(run("-C", planted, "clusters", "--map", "unga", "--format", "json").output)
    assert mapped["insight_count"] == 2 and mapped["selection"] == {"map": "unga"}
    missing = run("-C", planted, "clusters", "--map", "nope")
    assert missing.exit_code == 2 and "unga" in missing.output


DEMO = Path(__file__).resolve().parents[1]


@pytest.mark.skipif(
    not (DEMO / "insights").is_dir() or not (DEMO / "insightmap.yml").is_file(), reason="no demo corpus"
)
def test_demo_corpus_summary_is_true_to_the_counts() -> None:
    corpus, _ = load(open_project(DEMO))
    report = compute_clusters(corpus.insights, corpus)
    _assert_summary_true(corpus, report.summary)
    for cluster in report.recurring:
        assert len(cluster.organisations) >= 2
    sentence = report.summary[-1]
    if report.recurring:
        numbers = [int(n) for n in re.findall(r"\d+", sentence)]
        assert numbers == [sum(len(c.insights) for c in report.recurring), len(report.recurring)]


def test_planted_groups_in_a_synthetic_corpus_do_not_chain_into_topics() -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_clusters", DEMO / "benchmarks" / "bench_clusters.py")
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    result = bench.run(400, trace_memory=False)
    assert result["planted"] == 16 and result["planted_exact"] >= 0.9 * result["planted"]


def test_cli_table_speaks_english_with_language_en(corpus, run) -> None:  # type: ignore[no-untyped-def]
    files = {
        f"insights/{org}-{i}.md": record(title=f"Insight {i}", organisation=org)
        for org in ("karlskrona", "grums")
        for i in range(2)
    }
    table = run("-C", corpus(files, config="language: en\n"), "clusters").output
    assert "Patterns per perspective" in table and "Spread" in table
    assert "Mönster" not in table and "Spridning" not in table and "0,00" not in table
