"""Regional sites (issue 19): records from other projects' git repositories, pinned in insightmap.lock."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from conftest import cli, record, write_project
from insightmap.sources.config import git_url_error, read_sources, ref_error

pytestmark = pytest.mark.skipif(
    subprocess.run(["git", "--version"], check=False).returncode != 0, reason="git"
)

UNREACHABLE = "https://127.0.0.1:9/x.git"
SECRET = "Hemlighetsfull internrapport om nattpatrullen"
#: Near-identical text in two municipalities: any sane clustering groups them.
LUNCH = "Äldre som äter lunch tillsammans på träffpunkten känner sig mindre ensamma"
LUNCH_BODY = (
    "Äldre som äter lunch tillsammans på träffpunkten berättar att de känner sig mindre ensamma "
    "och att måltiden är veckans höjdpunkt; gemensam lunch bryter ensamheten."
)
ALFA_CONFIG = "language: sv\norganisations:\n  stadsmissionen: {name: Stadsmissionen, type: civil-society}\n"
CHARLIE_CONFIG = (
    "language: sv\norganisations:\n  stadsmissionen: {name: Stadsmissionen Syd, type: civil-society}\n"
)


def git(repo: Path, *args: str) -> str:
    """Run git in repo (a fixed identity and date: the tests are deterministic)."""
    env = {
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
        "GIT_AUTHOR_DATE": "2025-03-01T12:00:00+01:00",
        "GIT_COMMITTER_DATE": "2025-03-01T12:00:00+01:00",
        "HOME": str(repo),
        "PATH": "/usr/bin:/bin:/usr/local/bin",
    }
    done = subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, env=env, check=True
    )
    return done.stdout.strip()


def commit_all(repo: Path, message: str) -> str:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "HEAD")


def municipality(root: Path, organisation: str, config: str, files: dict[str, str]) -> Path:
    """Write a municipality's project as a git repository with one commit; return it."""
    write_project(root, files, config)
    git(root, "init", "-q", "-b", "main")
    commit_all(root, "first")
    return root


def region_config(sources: dict[str, Path], browse: str = "") -> str:
    lines = ["language: sv", "title: Regionens insikter", "sources:"]
    for name, repo in sources.items():
        extra = f', browse: "{browse}"' if browse and name == "alfa" else ""
        lines.append(f'  {name}: {{git: "file://{repo}", ref: main{extra}}}')
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def repos(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("sources")
    public = "visibility: public"
    alfa = municipality(
        base / "alfa",
        "karlskrona",
        ALFA_CONFIG,
        {
            "insights/lunch.md": record(title=LUNCH, body=LUNCH_BODY, visibility="public", study="studie"),
            "insights/studie.md": "---\nkind: study\ntitle: Samtal på träffpunkter\nstatus: completed\n"
            'organisation: karlskrona\ndate: "2024-09"\n' + public + "\n---\n\nOm arbetet.\n",
            "insights/hemlig.md": record(title=SECRET, body="Intern text som aldrig får publiceras."),
        },
    )
    bravo = municipality(
        base / "bravo",
        "umea",
        "language: sv\n",
        {
            "insights/lunch.md": record(
                title=LUNCH, body=LUNCH_BODY, organisation="umea", visibility="public"
            ),
            "insights/natt.md": record(
                title="Unga vill ha öppet på kvällen", organisation="umea", subpopulation="[children-youth]"
            ),
        },
    )
    charlie = municipality(
        base / "charlie",
        "lund",
        CHARLIE_CONFIG,
        {"insights/a.md": record(title="Köerna är för långa", organisation="lund", visibility="public")},
    )
    return {"alfa": alfa, "bravo": bravo, "charlie": charlie}


@pytest.fixture(scope="module")
def region(repos: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """A region of alfa and bravo: update, break bravo, update again, then check and build."""
    root = tmp_path_factory.mktemp("region") / "region"
    browse = "https://git.example.se/alfa/-/blob/{commit}/{path}"
    action = (
        "---\nkind: action\ntitle: Gemensam lunch på alla träffpunkter\norganisation: stockholm\n"
        'date: "2025-02"\nstatus: decided\nbuilds-on: [alfa:lunch]\nvisibility: public\n---\n\nBeslut.\n'
    )
    write_project(
        root,
        {"insights/lunch-beslut.md": action},
        region_config({"alfa": repos["alfa"], "bravo": repos["bravo"]}, browse),
    )
    first = cli("-C", root, "sources", "update")
    good = git(repos["bravo"], "rev-parse", "HEAD")
    (repos["bravo"] / "insights" / "trasig.md").write_text(record(date='"2024-13"'), encoding="utf-8")
    broken = commit_all(repos["bravo"], "broken date")
    second = cli("-C", root, "sources", "update")
    return {"root": root, "first": first, "second": second, "good": good, "broken": broken}


def test_update_locks_each_source(region: dict[str, object]) -> None:
    first = region["first"]
    assert first.exit_code == 0, first.output
    lock = (Path(region["root"]) / "insightmap.lock").read_text(encoding="utf-8")
    assert "alfa:" in lock and "bravo:" in lock and "commit: " in lock
    # Only the public records came in: alfa's internal insight is not counted.
    assert "alfa: locked at" in first.output and "1 insight, 1 study" in first.output


def test_broken_commit_is_not_locked_and_the_message_names_it(region: dict[str, object]) -> None:
    second = region["second"]
    assert second.exit_code == 1
    good, broken = str(region["good"]), str(region["broken"])
    assert "bravo: insights/trasig.md:6: error[date]" in second.output
    assert f"{broken[:7]} not locked, kept at {good[:7]}" in second.output
    lock = (Path(region["root"]) / "insightmap.lock").read_text(encoding="utf-8")
    assert good in lock and broken not in lock


def test_check_sees_namespaced_public_records_only(region: dict[str, object]) -> None:
    root = region["root"]
    assert cli("-C", root, "check").exit_code == 0
    listed = cli("-C", root, "list", "--format", "json")
    assert listed.exit_code == 0, listed.output
    ids = {r["id"] for r in json.loads(listed.output)}
    assert {"alfa:lunch", "bravo:lunch", "alfa:studie"} <= ids
    assert not any("hemlig" in i or "natt" in i for i in ids)
    assert SECRET not in listed.output


def test_references_inside_a_source_are_namespaced(region: dict[str, object]) -> None:
    from insightmap import pipeline

    corpus = pipeline.check(Path(region["root"])).corpus
    lunch = corpus.by_id()["alfa:lunch"]
    assert lunch.study == "alfa:studie"
    assert (
        lunch.origin is not None
        and lunch.origin.source == "alfa"
        and lunch.origin.path == "insights/lunch.md"
    )
    assert lunch.origin.url == f"https://git.example.se/alfa/-/blob/{lunch.origin.commit}/insights/lunch.md"
    assert corpus.by_id()["lunch-beslut"].builds_on == ("alfa:lunch",)


def test_a_recurring_cluster_spans_two_sources(region: dict[str, object]) -> None:
    result = cli("-C", region["root"], "clusters", "--format", "json")
    assert result.exit_code == 0, result.output
    text = json.dumps(json.loads(result.output).get("recurring"))
    assert "alfa:lunch" in text and "bravo:lunch" in text


def test_build_publishes_no_internal_record_and_needs_no_network(region: dict[str, object]) -> None:
    root = Path(region["root"])
    # The URL of a source may be unreachable: build reads build/sources/ at the locked commit.
    config = region_config(
        {"alfa": Path("/x"), "bravo": Path("/y")}, "https://git.example.se/alfa/-/blob/{commit}/{path}"
    )
    (root / "insightmap.yml").write_text(
        config.replace("file:///x", UNREACHABLE).replace("file:///y", UNREACHABLE)
    )
    result = cli("-C", root, "build")
    assert result.exit_code == 0, result.output
    pages = [p for p in (root / "site").rglob("*") if p.is_file()]
    assert any("alfa:lunch" in p.as_posix() or "alfa%3Alunch" in p.as_posix() for p in pages), "no page"
    for path in [*pages, *(root / "build").rglob("*.json"), *(root / "build").rglob("*.md")]:
        data = path.read_bytes()
        assert SECRET.encode() not in data and b"hemlig" not in data, path
    lunch = next(
        p for p in pages if p.name == "index.html" and "alfa" in p.as_posix() and "lunch" in p.as_posix()
    )
    assert "git.example.se/alfa/-/blob/" in lunch.read_text(encoding="utf-8")


def test_conflicting_organisations_name_both_sources(repos: dict[str, Path], tmp_path: Path) -> None:
    root = write_project(
        tmp_path / "r", {}, region_config({"alfa": repos["alfa"], "charlie": repos["charlie"]})
    )
    assert cli("-C", root, "sources", "update").exit_code == 0
    result = cli("-C", root, "check")
    assert result.exit_code == 1
    assert "charlie:insightmap.yml:3: error[source-conflict]: organisation `stadsmissionen`" in result.output
    assert "source `charlie` and by source `alfa`" in result.output


def test_a_fresh_clone_without_build_sources_says_to_update(repos: dict[str, Path], tmp_path: Path) -> None:
    root = write_project(tmp_path / "r", {}, region_config({"alfa": repos["alfa"]}))
    result = cli("-C", root, "build")
    assert result.exit_code == 1
    assert "no locked commit" in result.output and "run `insightmap sources update`" in result.output


def test_status_shows_the_lock_and_what_an_update_would_change(
    repos: dict[str, Path], tmp_path: Path
) -> None:
    root = write_project(tmp_path / "r", {}, region_config({"charlie": repos["charlie"]}))
    assert "not locked yet" in cli("-C", root, "sources", "status", "--offline").output
    assert "an update would lock" in cli("-C", root, "sources", "status").output
    assert not (root / "insightmap.lock").exists()
    cli("-C", root, "sources", "update")
    offline = cli("-C", root, "sources", "status", "--offline")
    assert "locked at" in offline.output and "1 insight" in offline.output
    assert "up to date" in cli("-C", root, "sources", "status").output


@pytest.mark.parametrize(
    "url",
    [
        "-uhttps://x",
        "https://a b/x.git",
        "ext::sh -c touch% /tmp/x",
        "git@-oProxyCommand=x:y",
        "ftp://h/x",
        "../x",
    ],
)
def test_unsafe_git_urls_are_refused(url: str) -> None:
    assert git_url_error(url) is not None


@pytest.mark.parametrize(
    "url", ["https://git.example.se/a.git", "git@github.com:kommun/insikter.git", "file:///srv/a"]
)
def test_git_urls_in_use_are_accepted(url: str) -> None:
    assert git_url_error(url) is None


@pytest.mark.parametrize(
    "ref", ["main", "v1.2", "release/2025", "-x", "a..b", "a b", "x:y", "a.lock", "@", "+m", "a^"]
)
def test_refs_follow_git_check_ref_format(ref: str) -> None:
    # git's own rules, plus no leading `-` or `+` (an option, a forced refspec).
    done = subprocess.run(
        ["git", "check-ref-format", "--allow-onelevel", ref], capture_output=True, check=False
    )
    git_ok = done.returncode == 0 and ref[0] not in "-+"
    assert (ref_error(ref) is None) == git_ok


def test_bad_sources_settings_are_located() -> None:
    found, problems = read_sources(
        {
            "Bad Name": {"path": "x"},
            "a": {"git": "https://h/x", "path": "y"},
            "b": {"path": "z", "records": "x"},
        },
        7,
        "insightmap.yml",
    )
    assert found == {}
    assert [p.line for p in problems] == [7, 7, 7] and all(p.code == "source" for p in problems)


EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "region"


def test_the_regional_example_builds_with_its_municipalities_public_records_only(tmp_path: Path) -> None:
    import shutil

    root = shutil.copytree(EXAMPLE, tmp_path / "region")
    result = cli("-C", root, "build")
    assert result.exit_code == 0, result.output
    site = "\n".join(p.read_text(encoding="utf-8") for p in (root / "site").rglob("*.html"))
    assert "Anhöriga vill bli tillfrågade" in site and "Unga vill ha någon att prata med" in site
    assert "(internt)" not in site and "väntetider per handläggare" not in site
    # Record and organisation pages say which source their records came from.
    organisation = (root / "site" / "organisationer" / "karlskrona" / "index.html").read_text("utf-8")
    assert "hämtad från källan <strong>karlskrona</strong>" in organisation
    clusters = json.loads(cli("-C", root, "clusters", "--format", "json").output)["recurring"]
    assert any({"karlskrona", "ronneby"} <= set(c["organisations"]) for c in clusters)
    # An edit inside a folder source (same ids) is a change: the next build is not skipped.
    record_path = root / "kommuner" / "karlshamn" / "insights" / "anhoriga.md"
    record_path.write_text(
        record_path.read_text(encoding="utf-8").replace("Anhöriga vill", "Anhöriga önskar"), encoding="utf-8"
    )
    assert cli("-C", root, "build").exit_code == 0
    site = "\n".join(p.read_text(encoding="utf-8") for p in (root / "site").rglob("*.html"))
    assert "Anhöriga önskar" in site


def folder_region(tmp_path: Path, files: dict[str, str]) -> Path:
    """Return a region whose one source `kommun` is a folder beside it, written from files."""
    write_project(tmp_path / "kommun", files, "language: sv\n")
    return write_project(tmp_path / "region", {}, "language: sv\nsources:\n  kommun: {path: ../kommun}\n")


def test_a_folder_source_goes_through_the_privacy_scan(tmp_path: Path) -> None:
    body = "Kontakta personnummer 19811218-9876 för mer."
    root = folder_region(tmp_path, {"insights/a.md": record(body=body, visibility="public")})
    result = cli("-C", root, "check")
    assert result.exit_code == 1
    assert "kommun:insights/a.md" in result.output and "9876" not in result.output


def test_a_symlink_in_a_folder_source_never_leaves_it(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.md"
    outside.write_text(record(title="Utanför källan", visibility="public"), encoding="utf-8")
    root = folder_region(tmp_path, {"insights/a.md": record(visibility="public")})
    (tmp_path / "kommun" / "insights" / "b.md").symlink_to(outside)
    result = cli("-C", root, "check")
    assert result.exit_code == 1 and "kommun:insights/b.md:1: error[symlink]" in result.output
    assert "Utanför källan" not in cli("-C", root, "list").output


def test_a_reference_to_an_internal_record_of_a_source_is_unknown(tmp_path: Path) -> None:
    root = folder_region(tmp_path, {"insights/a.md": record()})  # internal: it stays home
    action = (
        '---\nkind: action\ntitle: En förändring\norganisation: stockholm\ndate: "2025-02"\n'
        "status: idea\nbuilds-on: [kommun:a]\n---\n\nText.\n"
    )
    (root / "insights" / "f.md").write_text(action, encoding="utf-8")
    result = cli("-C", root, "check")
    assert result.exit_code == 1
    assert "insights/f.md:2: error[unknown-insight]: builds-on names `kommun:a`" in result.output


def test_the_files_a_build_reads_through_sources_are_known(tmp_path: Path) -> None:
    from insightmap.load.project import open_project
    from insightmap.sources.read import input_files

    root = folder_region(tmp_path, {"insights/a.md": record(visibility="public")})
    names = [p.name for p in input_files(open_project(root))]
    assert names == ["insightmap.yml", "a.md"]


def test_update_stops_on_a_broken_sources_setting(tmp_path: Path) -> None:
    root = write_project(tmp_path / "r", {}, 'language: sv\nsources:\n  a: {git: "-uhttps://x", ref: main}\n')
    result = cli("-C", root, "sources", "update")
    assert result.exit_code == 1
    assert "insightmap.yml:2: error[source]: source `a`: the git URL starts with `-`" in result.output


def test_status_tells_how_the_counts_would_change(repos: dict[str, Path], tmp_path: Path) -> None:
    root = write_project(tmp_path / "r", {}, region_config({"charlie": repos["charlie"]}))
    assert cli("-C", root, "sources", "update").exit_code == 0
    extra = record(title="Ännu en offentlig insikt", organisation="lund", visibility="public")
    (repos["charlie"] / "insights" / "b.md").write_text(extra, encoding="utf-8")
    commit_all(repos["charlie"], "one more")
    assert "2 insights, 0 studies, 0 actions (+1 insight)" in cli("-C", root, "sources", "status").output


def test_diff_shows_what_an_update_of_the_lock_brings(tmp_path: Path) -> None:
    """A region commits its lock; after a municipality adds a public insight and the region
    updates, `diff` names the new record under the source's name."""
    alfa = municipality(
        tmp_path / "alfa",
        "karlskrona",
        ALFA_CONFIG,
        {"insights/lunch.md": record(title=LUNCH, body=LUNCH_BODY, visibility="public")},
    )
    root = tmp_path / "region"
    write_project(root, {}, region_config({"alfa": alfa}))
    (root / ".gitignore").write_text("build/\n", encoding="utf-8")
    git(root, "init", "-q", "-b", "main")
    assert cli("-C", root, "sources", "update").exit_code == 0
    commit_all(root, "lock alfa")
    (alfa / "insights" / "kvall.md").write_text(
        record(title="Unga vill kunna ringa på kvällen", organisation="karlskrona", visibility="public"),
        encoding="utf-8",
    )
    commit_all(alfa, "a new public insight")
    assert cli("-C", root, "sources", "update").exit_code == 0
    result = cli("-C", root, "diff", "HEAD", "--format", "json")
    assert result.exit_code == 0, result.output
    added = [r["id"] for r in json.loads(result.output)["insights"]["added"]]
    assert added == ["alfa:kvall"]
    text = cli("-C", root, "diff", "HEAD", "--format", "markdown").output
    assert "### Källor" in text and "- **alfa**: +1 insikter, −0 insikter" in text
