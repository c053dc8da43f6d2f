"""Owned outputs: -o never lands on records or foreign folders; the environment's errors in words."""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
from pathlib import Path

import pytest

from conftest import record
from insightmap import cli as cli_module
from insightmap import write
from insightmap.errors import Busy, environment_message
from insightmap.site import build as site_build
from insightmap.write import SITE_MARKER, check_output, folder_lock, owned_site

MAP = "title: Karta A\nfilter:\n  organisation: [karlskrona]\n"


def tree_hash(*folders: Path) -> str:
    """Return one digest of names and bytes of every file under the folders."""
    digest = hashlib.sha256()
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            digest.update(path.relative_to(folder).as_posix().encode())
            if path.is_file():
                digest.update(path.read_bytes())
    return digest.hexdigest()


@pytest.fixture
def project(corpus):
    return corpus({"insights/a.md": record(), "maps/karta-a.yml": MAP})


def _records(root: Path) -> str:
    return tree_hash(root / "insights", root / "maps")


@pytest.mark.parametrize(
    "args",
    [
        ("build", "-o", "insights"),
        ("build", "-o", "insights/sub"),
        ("build", "-o", "maps"),
        ("build", "-o", "."),
        ("build", "-o", ".."),
        ("build", "-o", "build"),
        ("build", "-o", "docs"),  # the site's own pages
        ("build", "-o", "docs/site"),
        ("build", "-o", "ours-not"),  # exists, holds Markdown: not ours
        ("build", "-o", "notes.txt"),  # an existing file
        ("build", "-o", "link-to-insights"),
        ("report", "-o", "insights/a.md"),
        ("report", "-o", "link-to-insights/b.html"),
        ("report", "-o", "insightmap.yml"),
        ("export", "-o", "insights/a.json"),
        ("export", "-o", "maps/karta-a.csv"),
        ("map", "-o", "insights/karta.svg"),
        ("gaps", "-o", "maps/luckor.md"),
        ("gaps", "-o", "docs/index.md"),  # Markdown with front-matter: a record or page
    ],
)
def test_output_on_what_is_not_ours_is_refused(project, run, monkeypatch, args):
    root = project
    (root / "docs").mkdir()
    (root / "docs/index.md").write_text("---\ntitle: Start\n---\n\nVälkommen.\n", encoding="utf-8")
    (root / "notes.txt").write_text("mina anteckningar", encoding="utf-8")
    (root / "ours-not").mkdir()
    (root / "ours-not/index.html").write_text("<html></html>", encoding="utf-8")
    (root / "ours-not/README.md").write_text("# Min sajt", encoding="utf-8")
    (root / "link-to-insights").symlink_to(root / "insights")
    before, docs = _records(root), tree_hash(root / "docs")
    listing = sorted(p.name for p in root.iterdir())
    monkeypatch.chdir(root)
    result = run(*args)
    assert result.exit_code == 1, result.output
    assert "refusing to write" in result.output and "hint:" in result.output
    assert "This is a bug" not in result.output
    assert _records(root) == before and tree_hash(root / "docs") == docs
    assert (root / "notes.txt").read_text(encoding="utf-8") == "mina anteckningar"
    assert sorted(p.name for p in (root / "ours-not").iterdir()) == ["README.md", "index.html"]
    assert sorted(p.name for p in root.iterdir()) == listing  # no site/, no build/, no staging


def test_site_folders_insightmap_may_replace(tmp_path):
    assert owned_site(tmp_path)  # empty
    (tmp_path / "index.html").write_text("<html></html>", encoding="utf-8")
    assert not owned_site(tmp_path)  # one html file is not yet a built site
    (tmp_path / "sitemap.xml").write_text("<urlset/>", encoding="utf-8")
    assert owned_site(tmp_path)  # a site built before the marker existed (the demo's site/)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub/page.md").write_text("# Sida", encoding="utf-8")
    assert not owned_site(tmp_path)  # Markdown: a docs folder, not a built site
    (tmp_path / SITE_MARKER).write_text("", encoding="utf-8")
    assert owned_site(tmp_path)


def test_previous_outputs_are_overwritten(project, tmp_path):
    report = tmp_path / "rapport.html"
    report.write_text("<html>förra veckans rapport</html>", encoding="utf-8")
    assert check_output(report, project) == report
    notes = tmp_path / "anteckningar.md"
    notes.write_text("# Inte en post\n", encoding="utf-8")  # Markdown without front-matter
    assert check_output(notes, project) == notes
    site = tmp_path / "webb"
    site.mkdir()
    (site / SITE_MARKER).write_text("", encoding="utf-8")
    (site / "index.html").write_text("<html></html>", encoding="utf-8")
    assert check_output(site, project, site=True) == site.resolve()


def test_export_twice_overwrites_its_own_file(project, run, tmp_path):
    out = tmp_path / "rader.json"
    assert run("-C", project, "export", "-o", out).exit_code == 0
    first = out.read_bytes()
    assert run("-C", project, "export", "-o", out).exit_code == 0
    assert out.read_bytes() == first


def test_site_on_a_mount_point_is_refused_before_building(project, run, monkeypatch):
    (project / "site").mkdir()
    monkeypatch.setattr(write.os.path, "ismount", lambda p: Path(p) == project / "site")
    result = run("-C", project, "build")
    assert result.exit_code == 1
    assert "mount point" in result.output and "-o" in result.output
    assert not (project / "build").exists()


# --- one run at a time -------------------------------------------------------------------------


def test_lock_stops_a_second_holder_and_is_removed(tmp_path):
    lock = tmp_path / ".lock"
    with folder_lock(lock, "build"):
        with pytest.raises(Busy, match=r"another insightmap build \(pid \d+\)"):
            with folder_lock(lock, "build", wait=0.3):
                pass
    assert not lock.exists()
    with folder_lock(lock, "build"):
        assert lock.exists()


def test_second_build_stops_with_a_clear_message(project, run, monkeypatch):
    monkeypatch.setattr(write, "LOCK_WAIT", 0.3)
    with folder_lock(project / "build/.lock", "build"):
        result = run("-C", project, "build")
    assert result.exit_code == 1
    assert "another insightmap build" in result.output and "waiting" in result.output
    assert not (project / "site").exists()
    assert not (project / "build/docs").exists()


def test_second_serve_stops_with_a_clear_message(project, run):
    from insightmap.site.serve import _free_port_near

    with folder_lock(project / "build/serve/.lock", "serve"):
        result = run("-C", project, "serve", "--port", _free_port_near(20000))
    assert result.exit_code == 1 and "another insightmap serve" in result.output


# --- swap and recovery -------------------------------------------------------------------------


def _site(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True)
    (folder / "index.html").write_text(text, encoding="utf-8")
    return folder


@pytest.mark.parametrize("exchange", [True, False], ids=["renameat2", "two-renames"])
def test_swap_renames_only_and_leaves_nothing_beside(tmp_path, monkeypatch, exchange):
    out = _site(tmp_path / "site", "gammal")
    new = _site(tmp_path / ".site.building", "ny")
    if not exchange:
        monkeypatch.setattr(site_build, "_exchange", lambda a, b: False)
    monkeypatch.setattr(shutil, "copy2", None)  # a copy would fail: renames only
    monkeypatch.setattr(shutil, "move", None)
    site_build.swap(new, out)
    assert (out / "index.html").read_text(encoding="utf-8") == "ny"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_recover_after_a_kill_between_two_renames(tmp_path):
    _site(tmp_path / ".site.old", "gammal")  # the old site, moved aside
    _site(tmp_path / ".site.building", "halv")  # the new one, never swapped in
    site_build.recover(tmp_path / "site")
    assert (tmp_path / "site/index.html").read_text(encoding="utf-8") == "gammal"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_recover_removes_stale_staging_beside_a_whole_site(tmp_path):
    _site(tmp_path / "site", "hel")
    _site(tmp_path / ".site.old", "gammal")
    _site(tmp_path / ".site.building", "halv")
    site_build.recover(tmp_path / "site")
    assert (tmp_path / "site/index.html").read_text(encoding="utf-8") == "hel"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_staging_across_file_systems_copies_before_the_swap(tmp_path, monkeypatch):
    """build/ on another file system: the copy goes into the staging folder, never the live site."""
    source = _site(tmp_path / "build/site.building", "ny")
    real_rename = Path.rename

    def rename(self, target):
        if self == source:
            raise OSError(errno.EXDEV, "Invalid cross-device link", str(self), None, str(target))
        return real_rename(self, target)

    monkeypatch.setattr(Path, "rename", rename)
    site_build._move(source, tmp_path / ".site.building")
    assert (tmp_path / ".site.building/index.html").read_text(encoding="utf-8") == "ny"
    assert not source.exists()


# --- the world's errors, in words --------------------------------------------------------------


@pytest.mark.parametrize(
    "code, words",
    [
        (errno.ENOSPC, "disk is full"),
        (errno.EACCES, "permission denied"),
        (errno.EROFS, "read-only"),
        (errno.EBUSY, "mount point"),
        (errno.ELOOP, "symlink loop"),
        (errno.EDQUOT, "quota"),
    ],
)
def test_environment_errors_name_path_and_remedy(code, words):
    text = environment_message(OSError(code, os.strerror(code), "/srv/projekt/site"))
    assert words in text and "/srv/projekt/site" in text and "hint:" in text
    assert "bug" not in text


def test_undecodable_file_name_is_printable():
    text = environment_message(OSError(errno.EACCES, "Permission denied", b"insights/\xe5.md"))
    assert "insights/" in text
    text.encode("utf-8")  # no lone surrogates: printing cannot fail


@pytest.mark.parametrize(
    "code, words", [(errno.ENOSPC, "disk is full"), (errno.EROFS, "read-only"), (errno.EACCES, "permission")]
)
def test_write_failure_is_exit_1_in_words(project, run, monkeypatch, tmp_path, code, words):
    out = tmp_path / "rader.json"

    def refuse(*args, **kwargs):
        raise OSError(code, os.strerror(code), str(out))

    monkeypatch.setattr(write.tempfile, "mkstemp", refuse)
    result = run("-C", project, "export", "-o", out)
    assert result.exit_code == 1
    assert words in result.output and str(out) in result.output
    assert "This is a bug" not in result.output
    assert not out.exists()


def test_busy_site_folder_on_swap_is_exit_1_in_words(project, run, monkeypatch):
    def busy(*args, **kwargs):
        raise OSError(errno.EBUSY, "Device or resource busy", str(project / "site"))

    monkeypatch.setattr(site_build, "build_site", busy)
    result = run("-C", project, "build")
    assert result.exit_code == 1
    assert "busy" in result.output and str(project / "site") in result.output
    assert "This is a bug" not in result.output


def test_symlink_loop_in_output_path(project, run, tmp_path):
    (tmp_path / "loop").symlink_to(tmp_path / "loop")
    result = run("-C", project, "report", "-o", tmp_path / "loop/rapport.html")
    assert result.exit_code == 1
    assert "symlink loop" in result.output and "This is a bug" not in result.output


def test_main_turns_os_errors_into_words(monkeypatch, capsys):
    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", "/srv/site")

    monkeypatch.setattr(cli_module.cli, "main", full)
    with pytest.raises(SystemExit) as stop:
        cli_module.main([])
    assert stop.value.code == 1
    err = capsys.readouterr().err
    assert "disk is full" in err and "/srv/site" in err and "bug" not in err


def test_full_disk_during_a_cross_file_system_copy_is_one_error(tmp_path, monkeypatch):
    """A full disk gives one error naming the file (shutil.copytree would list every file)."""
    source = _site(tmp_path / "build/site.building", "ny")
    (source / "b.html").write_text("b", encoding="utf-8")
    real_rename = Path.rename

    def rename(self, target):
        if self == source:
            raise OSError(errno.EXDEV, "Invalid cross-device link", str(self), None, str(target))
        return real_rename(self, target)

    def full(src, dst):
        raise OSError(errno.ENOSPC, "No space left on device", str(src), None, str(dst))

    monkeypatch.setattr(Path, "rename", rename)
    monkeypatch.setattr(shutil, "copy2", full)
    with pytest.raises(OSError) as failed:
        site_build._move(source, tmp_path / ".site.building")
    assert failed.value.errno == errno.ENOSPC
    assert "disk is full" in environment_message(failed.value)
