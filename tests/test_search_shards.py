"""How a large site's Pagefind index is split into shards (site/search.py), without running Pagefind."""

from __future__ import annotations

import json
from pathlib import Path

from insightmap.site import search


def _page(site: Path, url: str, record: bool) -> None:
    path = site / url / "index.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    body = "<article data-pagefind-body><h1>x</h1></article>" if record else "<ul><li>list</li></ul>"
    path.write_text(f"<html><body>{body}</body></html>", encoding="utf-8")


def test_record_folders_counts_record_pages_and_leaves_list_folders_out(tmp_path):
    for n in range(3):
        _page(tmp_path, f"insikter/aneby/insikt-{n}", record=True)
    _page(tmp_path, "insikter/boxholm/insikt-0", record=True)
    _page(tmp_path, "insiktsarbeten/aneby/studie-0", record=True)
    _page(tmp_path, "insikter/region/active-client", record=False)  # a list page, not a record
    _page(tmp_path, "organisationer/aneby", record=False)
    assert search.record_folders(tmp_path) == {
        "insikter/aneby": 3,
        "insikter/boxholm": 1,
        "insiktsarbeten/aneby": 1,
    }


def test_a_small_site_is_one_shard():
    folders = {"insikter/a": 400, "insikter/b": 500}
    assert search.shards(folders, size=1000) == [["insikter/a", "insikter/b"]]


def test_shards_are_balanced_whole_folders_and_deterministic():
    folders = {f"insikter/org{n:02}": 167 for n in range(60)}
    folders |= {f"insiktsarbeten/org{n:02}": 5 for n in range(40)}
    parts = search.shards(folders, size=1000)
    assert len(parts) == 11  # 10,220 records
    assert sorted(f for part in parts for f in part) == sorted(folders)  # every folder once
    sizes = [sum(folders[f] for f in part) for part in parts]
    assert max(sizes) - min(sizes) <= 167
    assert search.shards(dict(reversed(list(folders.items()))), size=1000) == parts


def test_one_big_folder_cannot_be_split():
    assert search.shards({"insikter/a": 5000}, size=1000) == [["insikter/a"]]


def test_index_site_runs_one_pagefind_per_shard_and_names_the_others(tmp_path, monkeypatch):
    for org in ("aneby", "boxholm", "ekero"):
        for n in range(2):
            _page(tmp_path, f"insikter/{org}/insikt-{n}", record=True)
    (tmp_path / "pagefind").mkdir()
    monkeypatch.setattr(search, "require_pagefind", lambda: None)
    monkeypatch.setattr(search, "SHARD_RECORDS", 2)
    commands: list[list[str]] = []
    shards = search.index_site(tmp_path, "sv", lambda name, command, cwd: commands.append(command), workers=2)
    assert shards == 3
    subdirs = sorted(c[c.index("--output-subdir") + 1] for c in commands)
    assert subdirs == ["pagefind", "pagefind-2", "pagefind-3"]
    globs = sorted(c[c.index("--glob") + 1] for c in commands)
    assert globs == [f"{{insikter/{org}}}/**/index.html" for org in ("aneby", "boxholm", "ekero")]
    manifest = json.loads((tmp_path / "pagefind" / "insightmap.json").read_text(encoding="utf-8"))
    assert manifest == {"shards": ["pagefind-2/", "pagefind-3/"]}
