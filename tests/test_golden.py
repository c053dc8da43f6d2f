"""Golden files: the demo corpus's analyses and a handful of generated pages, pinned.

A refactor must keep these byte-identical. When an output changes on purpose,
regenerate with `UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py` and commit
the new files in a commit of their own that says why.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from insightmap.cli import cli

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).with_name("golden")
#: The day the goldens are computed for (2026-11-20): stale marks and default periods depend on it.
EPOCH = "1795132800"

COMMANDS = {
    "map.json": ["map", "--format", "json"],
    "map-karlskrona.json": ["map", "--organisation", "karlskrona", "--format", "json"],
    "gaps.json": ["gaps", "--format", "json"],
    "gaps-region-area.json": ["gaps", "--rows", "region", "--cols", "area", "--format", "json"],
    "clusters.json": ["clusters", "--format", "json"],
    "list.json": ["list", "--format", "json"],
}

PAGES = {
    "page-start.md": "index.md",
    "page-insight.md": "insikter/karlskrona/lunchstangt-kontor/index.md",
    "page-organisation.md": "organisationer/karlskrona/index.md",
    "page-white-spots.md": "vita-flackar/index.md",
}


def _check(name: str, actual: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.write_text(actual, encoding="utf-8")
    assert path.is_file(), f"no golden file {name}; run with UPDATE_GOLDEN=1 to create it"
    assert actual == path.read_text(encoding="utf-8"), f"{name} differs from its golden file"


@pytest.fixture(autouse=True)
def _pinned_day(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_command_output_matches_golden(name: str) -> None:
    result = CliRunner().invoke(cli, ["-C", str(ROOT), *COMMANDS[name]], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    _check(name, result.output)


@pytest.fixture(scope="module")
def site_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str | bytes]:
    from insightmap import pipeline

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        checked = pipeline.check(ROOT)
        # Charts are drawn into a cache of the test's own, not into the repository's build/.
        charts = tmp_path_factory.mktemp("charts")
        return dict(pipeline.site_pages(checked, pipeline.analyse(checked), charts).files)


@pytest.mark.parametrize("name", sorted(PAGES))
def test_generated_page_matches_golden(name: str, site_files: dict[str, str | bytes]) -> None:
    page = site_files.get(PAGES[name])
    assert isinstance(page, str), f"the site has no page {PAGES[name]}"
    _check(name, page)
