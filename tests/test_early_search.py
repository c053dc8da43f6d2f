"""The search index made beside the engine, from pre-rendered pages, is the one made from the built site."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from conftest import record
from insightmap.site import build
from test_site import _files

FILES = _files(
    **{
        "insights/sodermalm/hemloshet.md": record(
            title="Kvinnor i hemlöshet undviker blandade härbärgen.",
            organisation="sodermalm",
            visibility="public",
        )
    }
)


def bundles(site: Path) -> dict[str, bytes]:
    return {
        p.relative_to(site).as_posix(): p.read_bytes()
        for p in sorted(site.rglob("*"))
        if p.is_file() and p.relative_to(site).parts[0].startswith("pagefind")
    }


@pytest.mark.parametrize("public", [False, True])
def test_index_beside_the_engine_equals_the_index_of_the_built_site(corpus, run, monkeypatch, public) -> None:
    root = corpus(FILES)
    flags = ["--public"] if public else []
    monkeypatch.setattr(build, "EARLY_SEARCH", False)
    assert run("-C", root, "build", "-o", root / "after", *flags).exit_code == 0
    monkeypatch.setattr(build, "EARLY_SEARCH", True)
    result = run("-C", root, "build", "-o", root / "beside", *flags)
    assert result.exit_code == 0, result.output
    after, beside = bundles(root / "after"), bundles(root / "beside")
    # Pages (text, meta, filters: the fragments) and the word index are the same bytes. Pagefind
    # writes the values of a filter in hash-map order, so filter files and the entry that names
    # them differ between any two runs, early or not: of those, the number must match.
    same = ("pagefind/fragment/", "pagefind/index/")
    assert any(name.startswith(same[0]) for name in after)
    assert {n: b for n, b in beside.items() if n.startswith(same)} == {
        n: b for n, b in after.items() if n.startswith(same)
    }
    filters = [len([n for n in files if n.startswith("pagefind/filter/")]) for files in (beside, after)]
    assert filters[0] == filters[1] > 0
    assert not (root / "build" / "search-site").exists()


def test_a_users_own_page_marked_for_the_index_is_indexed_from_the_built_site(corpus, run) -> None:
    root = corpus(
        {
            **FILES,
            "docs/om.md": (
                '# Om\n\n<div data-pagefind-body markdown="1">\nOm insiktskartan och metodstödet.\n</div>\n'
            ),
        }
    )
    result = run("-C", root, "build", "-o", root / "site")
    assert result.exit_code == 0, result.output
    fragments = b"".join(
        gzip.decompress(p.read_bytes()) for p in (root / "site" / "pagefind" / "fragment").iterdir()
    )
    assert "metodstödet".encode() in fragments
    assert not (root / "build" / "search-site").exists()
