"""The shared options behave the same in every command: --map, -o, --public, dates, --organisation."""

from __future__ import annotations

import json

import pytest

from conftest import record

RECORDS = {
    "insights/a.md": record(perspective="[risk-group]", subpopulation="[children-youth]"),
    "insights/b.md": record(
        perspective="[general-public]", subpopulation="[families]", organisation="sodermalm", date='"2023-02"'
    ),
    "insights/c.md": record(perspective="[active-client]", subpopulation="[adults]", organisation="malmo"),
}
BARN = "title: Barn\nfilter:\n  subpopulation: children-youth\n"
MAP_COMMANDS = ["map", "gaps", "clusters"]


@pytest.fixture
def mapped(corpus):
    """A project with one valid map definition (barn) and one broken one (trasig)."""
    return corpus({**RECORDS, "maps/barn.yml": BARN, "maps/trasig.yml": "title: X\nfilter: {theme: lagg}\n"})


@pytest.mark.parametrize("command", MAP_COMMANDS)
def test_map_by_name_or_file_name_gives_the_same_json(mapped, run, command):
    by_name = run("-C", mapped, command, "--map", "barn", "--format", "json")
    by_file = run("-C", mapped, command, "--map", "barn.yml", "--format", "json")
    assert by_name.exit_code == 0, by_name.output
    assert json.loads(by_name.stdout) == json.loads(by_file.stdout)


@pytest.mark.parametrize("command", MAP_COMMANDS)
@pytest.mark.parametrize(
    "args, exit_code, message",
    [
        # An unknown name is wrong usage; the closest name is offered.
        (["--map", "bran"], 2, "no map definition `bran` in maps/; available: barn. Did you mean `barn`?"),
        # A path is refused, wherever it points.
        (["--map", "maps/barn.yml"], 2, "is a path; give the name of a map definition in maps/"),
        (["--map", "/tmp/barn.yml"], 2, "is a path; give the name of a map definition in maps/"),
        (["--map", "../barn"], 2, "is a path; give the name of a map definition in maps/"),
        # A broken definition is bad input, reported where it is.
        (["--map", "trasig"], 1, "maps/trasig.yml:2: error[vocabulary]: unknown theme `lagg`"),
        # The definition is the filter: no other filter beside it.
        (["--map", "barn", "--organisation", "karlskrona"], 2, "--map takes its filter from the map"),
    ],
)
def test_map_option_behaves_the_same_everywhere(mapped, run, command, args, exit_code, message):
    result = run("-C", mapped, command, *args)
    assert result.exit_code == exit_code
    assert message in result.output


@pytest.mark.parametrize(
    "args",
    [
        ["map", "-o", "insights/x.svg"],
        ["gaps", "-o", "insights/x.csv"],
        ["report", "-o", "insights/x.html"],
        ["export", "-o", "insights/x.csv"],
        ["build", "-o", "insights"],
    ],
)
def test_every_output_refuses_the_records_folder(corpus, run, args):
    root = corpus(RECORDS)
    before = sorted(p.name for p in (root / "insights").iterdir())
    result = run("-C", root, *[str(root / a) if a.startswith("insights") else a for a in args])
    assert result.exit_code == 1
    assert "refusing to write" in result.output and "inside insights/" in result.output
    assert sorted(p.name for p in (root / "insights").iterdir()) == before


@pytest.mark.parametrize("args", [["map", "-o", "x.pdf"], ["gaps", "-o", "x.doc"]])
def test_output_of_an_unknown_kind_is_wrong_usage(corpus, run, tmp_path, args):
    root = corpus(RECORDS)
    result = run("-C", root, *args[:-1], tmp_path / args[-1])
    assert result.exit_code == 2 and "cannot tell the format of" in result.output
    assert not (tmp_path / args[-1]).exists()


def test_public_reads_public_records_only_in_export(corpus, run, tmp_path):
    root = corpus({**RECORDS, "insights/p.md": record(title="Offentlig insikt.", visibility="public")})
    out = tmp_path / "ut.json"
    assert run("-C", root, "export", "--public", "-o", out).exit_code == 0
    assert "1 insight(s)" in run("-C", root, "export", "--public", "-o", out).output


@pytest.mark.parametrize(
    "args",
    [["list", "--until", "2025-02-30"], ["map", "--since", "2024-13"], ["report", "--since", "2024-00"]],
)
def test_dates_are_parsed_once_for_every_option(corpus, run, tmp_path, args):
    root = corpus(RECORDS)
    result = run("-C", root, *args, *(["-o", tmp_path / "r.html"] if args[0] == "report" else []))
    assert result.exit_code == 2
    assert "YYYY, YYYY-MM or YYYY-MM-DD" in result.output


@pytest.mark.parametrize("command", ["list", "map", "gaps", "clusters"])
def test_unknown_organisation_offers_the_closest(corpus, run, command):
    result = run("-C", corpus(RECORDS), command, "--organisation", "karlskorna")
    assert result.exit_code == 2
    assert "unknown organisation `karlskorna` (did you mean `karlskrona`?)" in result.output
