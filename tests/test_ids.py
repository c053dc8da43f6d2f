"""Record ids and map names follow one slug grammar (spec §2.2a); bad ones are located errors with
the slug to use, and no record or map may take the URL of another page."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from conftest import record, study
from insightmap.analyse.venn import REGIONS, region_slug
from insightmap.load.ids import is_slug, slug_error, suggest, suggest_path
from insightmap.site.urls import reserved_pages

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    "text", ["a", "karlskrona/morgon", "umeå/möte-2", "idé_3/kafé", "2024/x", "a-b/c_d/e"]
)
def test_valid_slugs(text):
    assert slug_error(text) is None


@pytest.mark.parametrize(
    ("text", "reason", "proposal"),
    [
        ("a/../../../../tmp/x", "`..` segment", "a/tmp/x"),
        ("x/../..", "`..` segment", "x"),
        ("/etc/passwd", "starts with `/`", "etc/passwd"),
        ("a/", "ends with `/`", "a"),
        ("a//b", "empty segment", "a/b"),
        ("Umeå/Möte #2", "upper-case letter `U`", "umeå/möte-2"),
        ("möte#2", "`#`", "möte-2"),
        ("a b", "' '", "a-b"),
        ("a.md/b", "`.`", "a-md/b"),
        ("müller", "`ü`", "muller"),
        ("_utkast", "must start with a letter or a digit", "utkast"),
        ("a?b", "`?`", "a-b"),
        ("", "is empty", "insikt"),
        ("x" * 201, "the limit is 200", "x" * 200),
    ],
)
def test_bad_slugs_say_why_and_propose_one(text, reason, proposal):
    error = slug_error(text)
    assert error is not None and reason in error
    assert suggest(text) == proposal
    assert is_slug(suggest(text))


def test_nfd_is_normalised_not_refused():
    decomposed = unicodedata.normalize("NFD", "umeå/möte")
    assert decomposed != "umeå/möte"
    assert slug_error(decomposed) is None


def test_path_proposal_fixes_every_folder():
    assert suggest_path("insights/Umeå kommun/Möte #2.md", ".md") == "insights/umeå-kommun/möte-2.md"


def check(run, root):
    result = run("-C", root, "check")
    return result.exit_code, result.output


@pytest.mark.parametrize(
    ("value", "proposal"),
    [
        ('"a/../../../../tmp/x"', "a/tmp/x"),
        ('"x/../.."', "x"),
        ('"Umeå/A b"', "umeå/a-b"),
        ('"möte#2"', "möte-2"),
        ("42", "42"),
    ],
)
def test_explicit_bad_id_is_located_with_the_slug_to_use(corpus, run, value, proposal):
    root = corpus({"insights/a.md": record(id=value)})
    code, out = check(run, root)
    assert code == 1
    assert "insights/a.md:7: error[id]: " in out, out
    assert f"hint: use `id: {proposal}`" in out


@pytest.mark.parametrize(
    ("path", "proposal"),
    [
        ("insights/umea/Möte #2.md", "insights/umea/möte-2.md"),
        ("insights/Umeå kommun/möte.md", "insights/umeå-kommun/möte.md"),
        ("insights/a b.md", "insights/a-b.md"),
        ("insights/x.y.md", "insights/x-y.md"),
    ],
)
def test_file_name_that_is_no_slug_proposes_a_new_name(corpus, run, path, proposal):
    root = corpus({path: record()})
    code, out = check(run, root)
    assert code == 1
    assert f"{path}:1: error[id]: the file name gives the id" in out, out
    assert f"rename the file to {proposal}" in out


def test_explicit_id_makes_any_file_name_fine(corpus, run):
    root = corpus({"insights/Möte #2.md": record(id="umea/mote-2")})
    code, out = check(run, root)
    assert code == 0, out


def test_decomposed_file_name_gives_the_composed_id(corpus, run):
    import json

    root = corpus({unicodedata.normalize("NFD", "insights/umeå/möte.md"): record()})
    code, out = check(run, root)
    assert code == 0, out
    rows = json.loads(run("-C", root, "list", "--format", "json").output)
    assert [r["id"] for r in rows] == ["umeå/möte"]


def test_study_reference_is_compared_composed(corpus, run):
    decomposed = unicodedata.normalize("NFD", "umeå/intervjuer")
    root = corpus({"insights/umeå/intervjuer.md": study(), "insights/a.md": record(study=decomposed)})
    code, out = check(run, root)
    assert code == 0, out


@pytest.mark.parametrize("key", REGIONS)
def test_record_cannot_take_a_region_list_url(corpus, run, key):
    path = f"insights/region/{region_slug(key)}.md"
    root = corpus({path: record(), "insights/region/annat.md": record()})
    code, out = check(run, root)
    assert code == 1
    url = f"insikter/region/{region_slug(key)}/"
    assert f"{path}:1: error[url-collision]: the id `region/{region_slug(key)}` gives the page {url}" in out
    assert f"{url}index.md" in out and "list of the region" in out
    assert out.count("error[") == 1, out


def test_explicit_id_cannot_take_a_region_list_url(corpus, run):
    root = corpus({"insights/a.md": record(id="region/risk-group")})
    code, out = check(run, root)
    assert code == 1
    assert "insights/a.md:7: error[url-collision]" in out


def test_reserved_pages_cover_every_generated_index():
    reserved = reserved_pages()
    for url in ("", "insikter/", "kartor/", "taggar/", "assets/", "search/", "organisationer/"):
        assert url in reserved
    assert all(f"insikter/region/{region_slug(k)}/" in reserved for k in REGIONS)


MAP = "title: Karta\n"


def test_map_file_name_that_is_no_slug_proposes_one(corpus, run):
    root = corpus({"insights/a.md": record(), "maps/Karta A.yml": MAP})
    code, out = check(run, root)
    assert code == 1
    assert "maps/Karta A.yml:1: error[name]: the map name `Karta A` holds the upper-case letter `K`" in out
    assert "hint: rename the file to maps/karta-a.yml" in out


@pytest.mark.parametrize(
    ("first", "second"),
    [("maps/karta-a.yaml", "maps/karta-a.yml"), ("maps/karta-a.yml", "maps/karta-å.yml")],
)
def test_two_maps_with_one_url_are_an_error_naming_both(corpus, run, first, second):
    root = corpus({"insights/a.md": record(), first: MAP, second: MAP})
    code, out = check(run, root)
    assert code == 1
    assert f"{second}:1: error[url-collision]: the map gets the page kartor/karta-a/, as {first} does" in out


def test_the_demo_project_passes():
    """The grammar must not break a real project: the repository's own corpus is clean."""
    from click.testing import CliRunner

    from insightmap.cli import cli

    result = CliRunner().invoke(cli, ["-C", str(REPO), "check"])
    assert result.exit_code == 0, result.output
