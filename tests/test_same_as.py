"""same-as / not-same-as: people confirm (or decline) that two insights teach the same learning.

The record side: fields checked by `check` with located errors, kept in the JSON, round-tripped
through export/import, namespaced on regional sites, and honoured by the clustering.
"""

from __future__ import annotations

import json
from pathlib import Path

from conftest import cli, record, study, write_project
from insightmap.analyse.clusters import compute_clusters
from insightmap.load import load
from insightmap.load.project import open_project
from insightmap.records import Corpus

LUNCH = record(title="Invånare som arbetar kan bara ringa på lunchen när kontoret är stängt.")
EVENING = record(
    title="Öppettider på kvällen behövs för dem som arbetar dagtid.",
    organisation="sodermalm",
    date='"2024-10"',
)


def _load(root: Path) -> Corpus:
    loaded, problems = load(open_project(root))
    assert not problems
    return loaded


def _check(corpus, run, files: dict[str, str]) -> str:  # type: ignore[no-untyped-def]
    result = run("-C", corpus(files), "check")
    assert result.exit_code == 1, result.output
    return str(result.output)


def test_a_confirmed_link_is_kept_and_shown_in_the_json(corpus, run):
    root = corpus(
        {
            "insights/karlskrona/lunch.md": record(
                same_as="[sodermalm/kvall]", not_same_as="sodermalm/annat"
            ),
            "insights/sodermalm/kvall.md": EVENING,
            "insights/sodermalm/annat.md": record(title="Något annat.", organisation="sodermalm"),
        }
    )
    assert run("-C", root, "check").exit_code == 0
    data = json.loads(run("-C", root, "list", "--format", "json").output)
    lunch = next(r for r in data if r["id"] == "karlskrona/lunch")
    assert lunch["same_as"] == ["sodermalm/kvall"] and lunch["not_same_as"] == ["sodermalm/annat"]


def test_an_unknown_id_is_located_with_did_you_mean(corpus, run):
    output = _check(
        corpus,
        run,
        {
            "insights/karlskrona/lunch.md": record(same_as="\n  - sodermalm/kval"),
            "insights/sodermalm/kvall.md": EVENING,
        },
    )
    assert "insights/karlskrona/lunch.md:8: error[unknown-insight]: same-as names `sodermalm/kval`" in output
    assert "did you mean `sodermalm/kvall`?" in output


def test_a_link_to_itself_a_study_or_an_action_is_refused(corpus, run):
    action = (
        '---\nkind: action\ntitle: Kvällsöppet\norganisation: sodermalm\ndate: "2025-01"\n'
        "status: idea\nbuilds-on: [sodermalm/kvall]\n---\n\nText.\n"
    )
    output = _check(
        corpus,
        run,
        {
            "insights/karlskrona/lunch.md": record(same_as="[karlskrona/lunch]"),
            "insights/karlskrona/morgon.md": record(title="Tidigt.", not_same_as="[karlskrona/studier/tid]"),
            "insights/karlskrona/studier/tid.md": study(),
            "insights/sodermalm/kvall.md": EVENING.replace("title:", "same-as: [sodermalm/f]\ntitle:"),
            "insights/sodermalm/f.md": action,
        },
    )
    assert "lunch.md:7: error[same-as-self]: same-as names the insight itself" in output
    assert (
        "morgon.md:7: error[same-as-kind]: not-same-as names `karlskrona/studier/tid`, which is a study"
        in output
    )
    assert "kvall.md:2: error[same-as-kind]: same-as names `sodermalm/f`, which is an action" in output


def test_the_same_id_in_both_lists_is_refused(corpus, run):
    output = _check(
        corpus,
        run,
        {
            "insights/karlskrona/lunch.md": record(
                same_as="[sodermalm/kvall]", not_same_as="[sodermalm/kvall]"
            ),
            "insights/sodermalm/kvall.md": EVENING,
        },
    )
    assert (
        "lunch.md:8: error[same-as-conflict]: `sodermalm/kvall` is in both same-as and not-same-as" in output
    )


def test_records_that_disagree_are_both_refused(corpus, run):
    output = _check(
        corpus,
        run,
        {
            "insights/karlskrona/lunch.md": record(same_as="[sodermalm/kvall]"),
            "insights/sodermalm/kvall.md": EVENING.replace(
                "title:", "not-same-as: [karlskrona/lunch]\ntitle:"
            ),
        },
    )
    assert "lunch.md:7: error[same-as-conflict]: same-as names `sodermalm/kvall`, whose not-same-as" in output
    assert (
        "kvall.md:2: error[same-as-conflict]: not-same-as names `karlskrona/lunch`, whose same-as" in output
    )


def test_same_as_is_an_insight_field_only(corpus, run):
    text = study().replace("kind: study", "kind: study\nsame-as: [karlskrona/lunch]")
    output = _check(corpus, run, {"insights/karlskrona/lunch.md": LUNCH, "insights/karlskrona/s.md": text})
    assert "error[unknown-key]: unknown field `same-as` in a study" in output


def test_confirmed_links_join_a_cluster_and_declined_ones_never_do(corpus):
    root = corpus(
        {
            "insights/karlskrona/lunch.md": LUNCH.replace("title:", "same-as: [sodermalm/kvall]\ntitle:"),
            "insights/sodermalm/kvall.md": EVENING,
        }
    )
    loaded = _load(root)
    assert loaded.confirmed_pairs() == [("karlskrona/lunch", "sodermalm/kvall")]
    report = compute_clusters(loaded.insights, loaded)
    assert [(c.insights, c.confirmed) for c in report.recurring] == [
        (("karlskrona/lunch", "sodermalm/kvall"), True)
    ]
    assert report.to_dict()["recurring"][0]["confirmed"] is True
    assert compute_clusters(loaded.insights, loaded, confirmed=()).recurring == []


def test_a_public_corpus_drops_links_to_internal_insights(corpus):
    root = corpus(
        {
            "insights/karlskrona/lunch.md": record(same_as="[sodermalm/kvall]", visibility="public"),
            "insights/sodermalm/kvall.md": EVENING,
        }
    )
    public = _load(root).public()
    assert public.insights[0].same_as == () and public.confirmed_pairs() == []


def test_export_and_import_keep_the_links(corpus, run, tmp_path: Path):
    root = corpus(
        {
            "insights/karlskrona/lunch.md": record(
                same_as="[sodermalm/kvall]", not_same_as="[sodermalm/annat]"
            ),
            "insights/sodermalm/kvall.md": EVENING,
            "insights/sodermalm/annat.md": record(title="Något annat.", organisation="sodermalm"),
        }
    )
    sheet = tmp_path / "ut.csv"
    assert run("-C", root, "export", "-o", sheet).exit_code == 0
    target = write_project(tmp_path / "ny", {})
    result = run("-C", target, "import", sheet)
    assert result.exit_code == 0, result.output
    text = (target / "insights" / "karlskrona" / "lunch.md").read_text(encoding="utf-8")
    assert "same-as: [sodermalm/kvall]" in text and "not-same-as: [sodermalm/annat]" in text


def test_a_source_record_links_inside_its_source(tmp_path: Path):
    write_project(
        tmp_path / "kommun",
        {
            "insights/a.md": record(same_as="[b]", visibility="public"),
            "insights/b.md": record(title="Samma sak.", visibility="public"),
        },
        "language: sv\n",
    )
    region = write_project(
        tmp_path / "region",
        {"insights/c.md": record(title="Vår egen.", same_as="[kommun:a]", not_same_as="[kommun:x]")},
        "language: sv\nsources:\n  kommun: {path: ../kommun}\n",
    )
    result = cli("-C", region, "check")
    assert result.exit_code == 1
    assert "insights/c.md:2: error[unknown-insight]: not-same-as names `kommun:x`" in result.output
    (region / "insights" / "c.md").write_text(
        record(title="Vår egen.", same_as="[kommun:a]"), encoding="utf-8"
    )
    assert cli("-C", region, "check").exit_code == 0
    records = json.loads(cli("-C", region, "list", "--format", "json").output)
    links = {r["id"]: r["same_as"] for r in records}
    assert links == {"c": ["kommun:a"], "kommun:a": ["kommun:b"], "kommun:b": []}


def test_the_json_schema_has_the_links_on_insights_only():
    import re

    from insightmap.load.vocabulary import builtin
    from insightmap.schema import build_schema

    schema = build_schema(builtin())
    insight = schema["$defs"]["insight"]["properties"]
    assert {"same-as", "not-same-as"} <= set(insight)
    assert "same-as" not in schema["$defs"]["study"]["properties"]
    reference = insight["same-as"]["anyOf"][0]["anyOf"]
    assert any(re.match(p["pattern"], "karlskrona:karlskrona/lunch") for p in reference)


# --- the tool suggests: diff and check --suggest ------------------------------------------------

WORKING = dict(perspective="[active-client]", subpopulation="[adults]")
OFFICE_HOURS = {
    "insights/karlskrona/lunch.md": record(
        title="Invånare som arbetar kan bara ringa på lunchen, när socialtjänstens kontor är stängt.",
        body="De som arbetar hinner inte ringa socialtjänsten under kontorstid. Lunchen är den enda "
        "tiden, och då är kontoret stängt. Öppettiderna krockar med arbetstiderna.",
        **WORKING,
    ),
    "insights/karlskrona/unga.md": record(
        title="Unga vill träffa fältteamet på sina egna platser.",
        perspective="[risk-group]",
        subpopulation="[children-youth]",
        body="Fältteamet möter unga i skateparken och på fritidsgården, inte på kontoret.",
    ),
}
EVENING_HOURS = record(
    title="Den som arbetar dagtid kan inte ringa socialtjänsten när kontoret har öppet.",
    organisation="sodermalm",
    date='"2024-10"',
    body="Invånare som arbetar beskrev att socialtjänstens öppettider krockar med arbetstiderna. "
    "Att ringa på lunchen går inte när kontoret är stängt.",
    **WORKING,
)


def test_diff_tells_the_reviewer_what_a_new_insight_resembles(run, corpus):
    import subprocess

    root = corpus(OFFICE_HOURS)
    git = ["git", "-c", "user.name=T", "-c", "user.email=t@example.invalid", "-c", "commit.gpgsign=false"]
    subprocess.run([*git, "-C", str(root), "init", "-q", "-b", "main"], check=True)
    subprocess.run([*git, "-C", str(root), "add", "-A"], check=True)
    subprocess.run([*git, "-C", str(root), "commit", "-q", "-m", "start"], check=True)
    (root / "insights" / "sodermalm").mkdir()
    (root / "insights" / "sodermalm" / "kvall.md").write_text(EVENING_HOURS, encoding="utf-8")
    data = json.loads(run("-C", root, "diff", "--format", "json").output)
    assert data["resembles"][0] == {
        "insight": "sodermalm/kvall",
        "resembles": "karlskrona/lunch",
        "title": OFFICE_HOURS["insights/karlskrona/lunch.md"].split("title: ")[1].split("\n")[0],
        "organisation": "karlskrona",
        "date": "2024-05",
    }
    text = run("-C", root, "diff", "--format", "markdown").output
    assert "### Liknar insikter från andra organisationer" in text
    assert "- `sodermalm/kvall` liknar **Invånare som arbetar kan bara ringa" in text
    assert "Karlskrona kommun (2024-05, `karlskrona/lunch`)" in text
    assert "Lägg till `same-as: [id]`" in text
    # Declined in review: not suggested again.
    declined = EVENING_HOURS.replace("title:", "not-same-as: [karlskrona/lunch]\ntitle:")
    (root / "insights" / "sodermalm" / "kvall.md").write_text(declined, encoding="utf-8")
    data = json.loads(run("-C", root, "diff", "--format", "json").output)
    assert "karlskrona/lunch" not in [r["resembles"] for r in data["resembles"]]


def test_check_suggest_names_an_unlinked_insight_and_stops_once_linked(run, corpus):
    root = corpus({**OFFICE_HOURS, "insights/sodermalm/kvall.md": EVENING_HOURS})
    result = run("-C", root, "check", "--suggest")
    assert result.exit_code == 0, result.output
    assert (
        "insights/sodermalm/kvall.md: resembles Invånare som arbetar kan bara ringa på lunchen, när "
        "socialtjänstens kontor är stängt. (Karlskrona kommun, 2024-05) — add "
        "`same-as: [karlskrona/lunch]` if it is the same learning"
    ) in result.output
    assert "unga.md" not in result.output
    assert "resembles" not in run("-C", root, "check").output  # only when asked
    linked = EVENING_HOURS.replace("title:", "same-as: [karlskrona/lunch]\ntitle:")
    (root / "insights" / "sodermalm" / "kvall.md").write_text(linked, encoding="utf-8")
    assert "resembles" not in run("-C", root, "check", "--suggest").output
