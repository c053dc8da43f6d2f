"""Atomic, safe writes: a failure mid-way leaves the old file whole, and `new` never overwrites."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import record
from insightmap import write
from insightmap.cli import COMMANDS
from insightmap.write import FileExists, write_atomic, write_new
from test_outputs import tree_hash


def _boom(*args, **kwargs):
    raise OSError(28, "No space left on device")


def _siblings(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_write_atomic_replaces_whole_file(tmp_path):
    target = tmp_path / "a.txt"
    write_atomic(target, "gammal")
    write_atomic(target, b"ny")
    assert target.read_bytes() == b"ny"
    assert _siblings(tmp_path) == ["a.txt"]


def test_write_atomic_failing_rename_keeps_old_file_and_no_temp(tmp_path, monkeypatch):
    target = tmp_path / "a.txt"
    target.write_text("gammal", encoding="utf-8")
    monkeypatch.setattr(write.os, "replace", _boom)
    with pytest.raises(OSError):
        write_atomic(target, "ny text som aldrig kommer fram")
    assert target.read_text(encoding="utf-8") == "gammal"
    assert _siblings(tmp_path) == ["a.txt"]


def test_write_atomic_failing_write_leaves_no_temp(tmp_path, monkeypatch):
    target = tmp_path / "a.txt"
    target.write_text("gammal", encoding="utf-8")

    class Full:
        def __init__(self, fd, mode):
            os.close(fd)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def write(self, data):
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(write.os, "fdopen", Full)
    with pytest.raises(OSError):
        write_atomic(target, "ny")
    assert target.read_text(encoding="utf-8") == "gammal"
    assert _siblings(tmp_path) == ["a.txt"]


def test_write_new_refuses_existing_file(tmp_path):
    target = tmp_path / "a.md"
    target.write_text("första", encoding="utf-8")
    with pytest.raises(FileExists):
        write_new(target, "andra")
    assert target.read_text(encoding="utf-8") == "första"
    assert _siblings(tmp_path) == ["a.md"]


def _another_writer_comes_first(monkeypatch):
    """Make another process create the target just before write_new links its temporary file."""
    real = write._temp_beside

    def racing(path, data):
        path.write_text("den andra hann först", encoding="utf-8")
        return real(path, data)

    monkeypatch.setattr(write, "_temp_beside", racing)


def test_write_new_loses_no_update_in_a_race(tmp_path, monkeypatch):
    """A file created between the existence check and the write is never overwritten."""
    target = tmp_path / "a.md"
    _another_writer_comes_first(monkeypatch)
    with pytest.raises(FileExists):
        write_new(target, "min text")
    assert target.read_text(encoding="utf-8") == "den andra hann först"
    assert _siblings(tmp_path) == ["a.md"]


def test_write_new_race_without_hard_links(tmp_path, monkeypatch):
    target = tmp_path / "a.md"
    _another_writer_comes_first(monkeypatch)
    monkeypatch.setattr(write.os, "link", lambda *a: (_ for _ in ()).throw(OSError(1, "no links")))
    with pytest.raises(FileExists):
        write_new(target, "min text")
    assert target.read_text(encoding="utf-8") == "den andra hann först"
    assert _siblings(tmp_path) == ["a.md"]


NEW = (
    "new",
    "--no-input",
    "--title",
    "Unga vill ses på fritidsgården",
    "--organisation",
    "karlskrona",
    "--date",
    "2024-05",
    "--perspective",
    "risk-group",
    "--subpopulation",
    "children-youth",
)


def test_new_never_overwrites(corpus, run):
    root = corpus({})
    assert run("-C", root, *NEW).exit_code == 0
    path = root / "insights/karlskrona/unga-vill-ses-pa-fritidsgarden.md"
    path.write_text("handskriven", encoding="utf-8")
    result = run("-C", root, *NEW)
    assert result.exit_code == 1
    assert "never overwrites" in result.output
    assert path.read_text(encoding="utf-8") == "handskriven"


def test_new_under_a_race_keeps_the_other_file(corpus, run, monkeypatch):
    root = corpus({})
    path = root / "insights/karlskrona/unga-vill-ses-pa-fritidsgarden.md"
    real = write._temp_beside

    def racing(p, data):
        if p == path:
            p.write_text("någon annans", encoding="utf-8")
        return real(p, data)

    monkeypatch.setattr(write, "_temp_beside", racing)
    result = run("-C", root, *NEW)
    assert result.exit_code == 1
    assert path.read_text(encoding="utf-8") == "någon annans"
    assert _siblings(path.parent) == [path.name]


def test_export_failure_keeps_previous_export(corpus, run, monkeypatch, tmp_path):
    root = corpus({"insights/a.md": record()})
    out = tmp_path / "ut.json"
    assert run("-C", root, "export", "-o", out).exit_code == 0
    before = out.read_bytes()
    (root / "insights/b.md").write_text(record(title="En till"), encoding="utf-8")
    monkeypatch.setattr(write.os, "replace", _boom)
    result = run("-C", root, "export", "-o", out)
    assert result.exit_code == 1 and "disk is full" in result.output
    assert out.read_bytes() == before
    assert _siblings(tmp_path) == sorted(["project", "ut.json"])


def test_import_never_overwrites(corpus, run, tmp_path):
    root = corpus({"insights/a.md": record()})
    sheet = tmp_path / "rader.csv"
    assert run("-C", root, "export", "-o", sheet).exit_code == 0
    files = {p: p.read_bytes() for p in (root / "insights").rglob("*.md")}
    result = run("-C", root, "import", sheet)
    assert result.exit_code != 0 or all(p.read_bytes() == b for p, b in files.items())
    assert {p: p.read_bytes() for p in files} == files


@pytest.mark.skipif("build" not in COMMANDS, reason="`insightmap build` not yet available")
def test_failed_build_keeps_previous_site(corpus, run, monkeypatch):
    root = corpus({"insights/a.md": record()})
    assert run("-C", root, "build").exit_code == 0
    before = tree_hash(root / "site")
    (root / "insights/b.md").write_text(record(title="En till insikt"), encoding="utf-8")

    import sys

    import insightmap.site.build as site_build

    # The engine runs in a child process; make it die half-way, as a full disk would.
    failing = [sys.executable, "-c", "import sys; sys.exit('disk full')"]
    monkeypatch.setattr(site_build, "engine_command", lambda *args: failing)
    result = run("-C", root, "build")
    assert result.exit_code == 1 and "the site was left as it was" in result.output
    assert tree_hash(root / "site") == before
    assert not [p for p in root.iterdir() if p.name.startswith((".site", "site.")) or p.suffix == ".tmp"]
