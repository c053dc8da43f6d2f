"""`insightmap diff` treats git trees as data: an entry that could step out of its folder (made
with `git hash-object --literally`, accepted by `git fetch`) is a located error, and nothing is
written anywhere — not beside the project, not in the temporary folder's parents."""

from __future__ import annotations

import json
import subprocess
import tempfile
import unicodedata
from pathlib import Path

import pytest

from conftest import record
from test_diff import GIT, commit_all, git

EVIL = "pwned-by-tree.md"


def hash_object(root: Path, kind: str, data: bytes) -> str:
    done = subprocess.run(
        [*GIT, "-C", str(root), "hash-object", "-t", kind, "--literally", "-w", "--stdin"],
        input=data,
        capture_output=True,
        check=True,
    )
    return done.stdout.decode().strip()


def tree(root: Path, entries: list[tuple[str, bytes, str]]) -> str:
    """Write a tree object with exactly these (mode, name, id) entries, names unchecked."""
    raw = b"".join(mode.encode() + b" " + name + b"\0" + bytes.fromhex(sha) for mode, name, sha in entries)
    return hash_object(root, "tree", raw)


def commit_tree(root: Path, insights: list[tuple[str, bytes, str]], top: tuple = ()) -> None:
    """Commit a tree whose insights/ holds the given entries (plus the good config); branch `evil`."""
    config = git(root, "rev-parse", "HEAD:insightmap.yml")
    entries = [("100644", b"insightmap.yml", config), ("40000", b"insights", tree(root, insights)), *top]
    root_tree = tree(root, sorted(entries, key=lambda e: e[1]))
    commit = git(root, "commit-tree", root_tree, "-p", "HEAD", "-m", "evil")
    git(root, "update-ref", "refs/heads/evil", commit)


@pytest.fixture
def repo(corpus, tmp_path, monkeypatch):
    """A committed project; the diff's temporary folders go to tmp_path/tmp, so escapes land in view."""
    root = corpus({"insights/a.md": record()})
    git(root, "init", "-q")
    commit_all(root, "start")
    private = tmp_path / "tmp"
    private.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(private))
    return root


def snapshot(tmp_path: Path) -> set[str]:
    """Every path under tmp_path and in its parent folders (outside .git, which git itself owns)."""
    inside = {p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if ".git" not in p.parts}
    around = {str(p) for folder in list(tmp_path.parents)[:2] for p in folder.iterdir() if EVIL in p.name}
    return inside | around


def blob(root: Path, text: str) -> str:
    return hash_object(root, "blob", text.encode())


def diff(run, root: Path):
    return run("-C", root, "diff", "main", "evil")


def assert_refused(run, repo, tmp_path, path: str, reason: str):
    before = snapshot(tmp_path)
    result = diff(run, repo)
    assert result.exit_code == 1, result.output
    assert f"evil:{path}: error[unsafe-path]: " in result.output, result.output
    assert reason in result.output
    assert "This is a bug" not in result.output and "Traceback" not in result.output
    assert snapshot(tmp_path) == before
    assert not list((tmp_path / "tmp").iterdir())  # the private folder is gone too
    assert not Path(tempfile.gettempdir(), EVIL).exists()


def test_dot_dot_entries_are_refused(run, repo, tmp_path):
    evil = blob(repo, record())
    inner = tree(repo, [("100644", EVIL.encode(), evil)])
    up = tree(repo, [("40000", b"..", inner)])
    commit_tree(repo, [("40000", b"..", up), ("100644", b"a.md", blob(repo, record()))])
    assert_refused(run, repo, tmp_path, "insights/..", "it is named `..`")


def test_slash_inside_an_entry_name_is_refused(run, repo, tmp_path):
    name = f"../../../../{EVIL}".encode()
    commit_tree(repo, [("100644", name, blob(repo, record()))])
    assert_refused(run, repo, tmp_path, f"insights/../../../../{EVIL}", "holds a `/`")


def test_slash_above_the_project_is_refused(run, repo, tmp_path):
    name = f"insights/../../{EVIL}".encode()
    commit_tree(repo, [("100644", b"a.md", blob(repo, record()))], [("100644", name, blob(repo, record()))])
    assert_refused(run, repo, tmp_path, f"insights/../../{EVIL}", "holds a `/`")


@pytest.mark.parametrize(
    ("name", "shown", "reason"),
    [
        (b"", "insights/", "empty name"),
        (b".", "insights/.", "named `.`"),
        (b"a\\..\\..\\x.md", "insights/a\\..\\..\\x.md", "a folder separator on Windows"),
        (b"\xff.md", "insights/\\xff.md", "not valid UTF-8"),
    ],
)
def test_other_unsafe_names_are_refused(run, repo, tmp_path, name, shown, reason):
    commit_tree(repo, [("100644", name, blob(repo, record()))])
    assert_refused(run, repo, tmp_path, shown, reason)


def test_names_equal_once_composed_are_refused(run, repo, tmp_path):
    composed, decomposed = "möte.md", unicodedata.normalize("NFD", "möte.md")
    entries = [("100644", n.encode(), blob(repo, record())) for n in (composed, decomposed)]
    commit_tree(repo, sorted(entries, key=lambda e: e[1]))
    assert_refused(run, repo, tmp_path, "insights/möte.md", "composed (NFC)")


def test_symbolic_links_in_a_revision_are_not_followed(run, repo, tmp_path):
    secret = tmp_path / "secret.md"
    secret.write_text(record(title="Hemlig."), encoding="utf-8")
    link = blob(repo, str(secret))
    commit_tree(repo, [("100644", b"a.md", blob(repo, record())), ("120000", b"b.md", link)])
    result = run("-C", repo, "diff", "main", "evil", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["insights"]["added"] == []


def test_good_names_with_swedish_letters_diff_fine(run, repo, tmp_path):
    (repo / "insights" / "umeå").mkdir()
    (repo / "insights" / "umeå" / "möte.md").write_text(record(), encoding="utf-8")
    commit_all(repo, "more")
    git(repo, "branch", "evil")
    result = run("-C", repo, "diff", "HEAD~1", "evil", "--format", "json")
    assert result.exit_code == 0, result.output
    assert [r["id"] for r in json.loads(result.output)["insights"]["added"]] == ["umeå/möte"]
    assert not list((tmp_path / "tmp").iterdir())


def test_oversized_file_in_a_revision_is_reported_not_read(run, repo, tmp_path):
    big = "---\ntitle: x\n---\n" + "a" * 1_100_000
    commit_tree(repo, [("100644", b"a.md", blob(repo, record())), ("100644", b"big.md", blob(repo, big))])
    result = run("-C", repo, "diff", "main", "evil", "--format", "json")
    assert result.exit_code == 0, result.output
    problems = json.loads(result.output)["problems"]
    assert [(p["path"], p["code"]) for p in problems] == [("insights/big.md", "too-large")]
