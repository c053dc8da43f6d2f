"""Hostile and broken input: every kind gives a located message, exit 1, and changes nothing.

Each case builds a project with one valid record plus the bad file(s), runs the
commands with `catch_exceptions=False` (a crash fails the test, so "no traceback"
is enforced), and checks that insights/ and an earlier built site/ are untouched.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from conftest import DEFAULT_CONFIG, built_once, fresh_copy, record, study
from insightmap.cli import COMMANDS

GOOD = {"insights/karlskrona/ok.md": record()}


def _bomb(levels: int = 9) -> str:
    """Return front-matter that expands to 9**levels values through aliases."""
    lines = ["a0: &a0 [" + ", ".join(["lol"] * 9) + "]"]
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
    return "---\n" + "\n".join(lines) + "\n---\n"


@dataclass(frozen=True)
class Case:
    """One kind of bad input: the files to add and the located message expected."""

    kind: str
    files: dict[str, str | bytes]
    expect: str  # "path:line: error[code]"
    message: str = ""
    config: str = DEFAULT_CONFIG
    setup: Callable[[Path], None] | None = field(default=None, compare=False)


def _symlink_outside(root: Path) -> None:
    secret = root.parent / "secret.md"
    secret.write_text(record(title="Hemligt utanför projektet"), encoding="utf-8")
    os.symlink(secret, root / "insights" / "link.md")


def _symlinked_folder_outside(root: Path) -> None:
    outside = root.parent / "outside"
    outside.mkdir(exist_ok=True)
    (outside / "x.md").write_text(record(), encoding="utf-8")
    os.symlink(outside, root / "insights" / "elsewhere")


def _directory_named_md(root: Path) -> None:
    (root / "insights" / "mapp.md").mkdir()
    (root / "insights" / "mapp.md" / "b.md").write_text(record(), encoding="utf-8")


def _huge(root: Path) -> None:
    body = ("Lång text om ingenting. " * 40 + "\n") * 5200  # ~5 MB
    (root / "insights" / "a.md").write_text(record(body=body), encoding="utf-8")


A = "insights/a.md"
CASES = [
    # --- YAML syntax ---
    Case(
        "tab indentation",
        {A: "---\ntitle: x\nperspective:\n\t- risk-group\n---\n"},
        f"{A}:4: error[yaml]",
        "invalid YAML",
    ),
    Case("unclosed bracket", {A: record(subpopulation="[adults, families")}, f"{A}:4: error[yaml]"),
    Case("unclosed quote", {A: record(title='"Oavslutad mening')}, f"{A}:2: error[yaml]"),
    Case(
        "colon inside value",
        {A: record(title="Insikt: invånare vill ringa")},
        f"{A}:2: error[yaml]",
        "mapping values are not allowed",
    ),
    Case(
        "duplicate key",
        {A: record(title="a").replace("---\n\n", "title: b\n---\n\n")},
        f"{A}:7: error[duplicate-key]",
        "the key `title` appears twice",
    ),
    Case("undefined alias", {A: record(perspective="*nope")}, f"{A}:3: error[yaml]", "undefined alias"),
    Case("merge key", {A: "---\nbas: &b {title: x}\n<<: *b\n---\n"}, f"{A}:3: error[yaml]", "merge keys"),
    Case("boolean key (yes:)", {A: record(yes="x")}, f"{A}:7: error[key-type]"),
    Case("numeric key", {A: record().replace("date:", "2024: x\ndate:")}, f"{A}:6: error[key-type]"),
    Case(
        "control character (BEL)",
        {A: record(title="Ring\x07klockan")},
        f"{A}:2: error[yaml]",
        "control characters are not allowed",
    ),
    Case(
        "control character after non-ASCII lines",
        {A: "---\ntitle: Åsa åt ölet\nsource: ö\x1bö\n---\n"},
        f"{A}:3: error[yaml]",
    ),
    Case(
        "python object tag",
        {A: record(title='!!python/object/apply:os.system ["touch pwned"]')},
        f"{A}:2: error[type]",
        "title must be a sentence of text",
    ),
    # --- front-matter frame ---
    Case("no front-matter", {A: "Bara brödtext, inga fält.\n"}, f"{A}:1: error[no-front-matter]"),
    Case("front-matter never closed", {A: "---\ntitle: x\n"}, f"{A}:1: error[front-matter]"),
    Case("TOML front-matter", {A: "+++\ntitle = 'x'\n+++\n"}, f"{A}:1: error[front-matter]", "TOML"),
    Case(
        "front-matter is a list",
        {A: "---\n- en\n- två\n---\n"},
        f"{A}:2: error[front-matter]",
        "found a list",
    ),
    Case("front-matter is a scalar", {A: "---\nbara text\n---\n"}, f"{A}:2: error[front-matter]"),
    Case("empty front-matter", {A: "---\n---\nText.\n"}, f"{A}:1: error[missing]"),
    # --- bytes and encodings ---
    Case("empty file", {A: ""}, f"{A}:1: error[empty]"),
    Case("whitespace only", {A: "  \n\n\t\n"}, f"{A}:1: error[empty]"),
    Case("CRLF only", {A: b"\r\n\r\n\r\n"}, f"{A}:1: error[empty]"),
    Case("BOM only", {A: b"\xef\xbb\xbf"}, f"{A}:1: error[empty]"),
    Case(
        "non-UTF-8 (Latin-1)",
        {A: record(title="Caf\xe9").encode("latin-1")},
        f"{A}:2: error[encoding]",
        "not valid UTF-8 (byte 0xe9)",
    ),
    Case("UTF-16 file", {A: record().encode("utf-16")}, f"{A}:1: error[binary]"),
    Case("NUL byte", {A: record().replace("Brödtext", "Bröd\x00text").encode()}, f"{A}:9: error[binary]"),
    Case("lone surrogate escape", {A: record(title='"a\\ud800b"')}, f"{A}:2: error[yaml]"),
    # --- sizes and bombs ---
    Case("5 MB file", {}, f"{A}:1: error[too-large]", "the limit is 1,000,000 bytes", setup=_huge),
    Case(
        "over max_record_bytes",
        {A: record(body="x" * 3000)},
        f"{A}:1: error[too-large]",
        "the limit is 2,000 bytes",
        config=DEFAULT_CONFIG + "max_record_bytes: 2000\n",
    ),
    Case("very long title line", {A: record(title="lång " * 40_000)}, f"{A}:2: error[title-length]"),
    Case("nested 20 levels", {A: record(title="[" * 20 + "]" * 20)}, f"{A}:2: error[yaml-too-deep]"),
    Case(
        "nested 200,000 levels (C stack)",
        {A: record(title="[" * 200_000 + "]" * 200_000)},
        f"{A}:2: error[yaml-too-deep]",
    ),
    Case(
        "nested block mappings",
        {A: "---\n" + "".join(" " * i + f"k{i}:\n" for i in range(40)) + " " * 40 + "x\n---\n"},
        f"{A}:18: error[yaml-too-deep]",
    ),
    Case("billion laughs", {A: _bomb()}, f"{A}:", "alias bomb"),
    Case("recursive alias", {A: "---\ntitle: &a [*a]\n---\n"}, f"{A}:2: error[yaml-too-deep]"),
    # --- wrong types ---
    Case("title is a list", {A: record(title="[a, b]")}, f"{A}:2: error[type]"),
    Case("title is empty", {A: record(title="")}, f"{A}:2: error[type]"),
    Case("perspective is a mapping", {A: record(perspective="{a: b}")}, f"{A}:3: error[type]"),
    Case("subpopulation list of numbers", {A: record(subpopulation="[1, 2]")}, f"{A}:4: error[type]"),
    Case("organisation unquoted code", {A: record(organisation="0127")}, f"{A}:5: error[type]"),
    Case("organisation is a list", {A: record(organisation="[karlskrona, grums]")}, f"{A}:5: error[type]"),
    Case("date is a float", {A: record(date="2024.05")}, f"{A}:6: error[date]"),
    Case("date is a boolean", {A: record(date="yes")}, f"{A}:6: error[date]"),
    Case("date is huge number", {A: record(date="99999999999999999999")}, f"{A}:6: error[date]"),
    Case("quotes is a mapping", {A: record(quotes="{a: b}")}, f"{A}:7: error[type]"),
    Case("source is a list", {A: record(source="[a]")}, f"{A}:7: error[type]"),
    Case("visibility unknown", {A: record(visibility="hemlig")}, f"{A}:7: error[visibility]"),
    Case("kind unknown", {A: record(kind="artikel")}, f"{A}:7: error[kind]"),
    # --- dates ---
    Case("impossible date (unquoted)", {A: record(date="2024-13-45")}, f"{A}:6: error[date]"),
    Case("30 February", {A: record(date='"2023-02-30"')}, f"{A}:6: error[date]"),
    Case("29 February in a common year", {A: record(date="2023-02-29")}, f"{A}:6: error[date]"),
    Case("month 00", {A: record(date='"2024-00"')}, f"{A}:6: error[date]"),
    Case(
        "study ends before it starts",
        {A: study().replace("contact:", 'end: "2020-01"\ncontact:')},
        f"{A}:9: error[date]",
        "ends before it starts",
    ),
    # --- missing and unknown fields ---
    Case(
        "missing title",
        {A: record().replace("title: Invånare vill kunna ringa tidigt på morgonen.\n", "")},
        f"{A}:1: error[missing]",
        "`title`",
    ),
    Case("unknown field", {A: record(farg="blå")}, f"{A}:7: error[unknown-key]"),
    Case(
        "insight-only field in a study",
        {A: study().replace("contact:", "quotes: [x]\ncontact:")},
        f"{A}:9: error[unknown-key]",
    ),
    # --- ids and references ---
    Case("id is a path traversal", {A: record(id="../../etc/passwd")}, f"{A}:7: error[id]"),
    Case(
        "id collides with a study",
        {"insights/s.md": study(), A: record(id="s")},
        "error[duplicate-id]",
        "the id `s` is also used by",
    ),
    Case("unknown study reference", {A: record(study="finns-inte")}, f"{A}:7: error[unknown-study]"),
    Case("personal identity number", {A: record(body="Född 19811218-9876.")}, f"{A}:9: error[personal-data]"),
    # --- files and folders ---
    Case("symlink outside the project", {}, "insights/link.md:1: error[symlink]", setup=_symlink_outside),
    Case(
        "symlinked folder outside",
        {},
        "insights/elsewhere:1: error[symlink]",
        setup=_symlinked_folder_outside,
    ),
    # --- project files ---
    Case(
        "broken .meta.yml",
        {"insights/x/.meta.yml": "organisation: [grums\n", "insights/x/b.md": record()},
        "insights/x/.meta.yml:1: error[yaml]",
    ),
    Case(
        ".meta.yml is a list",
        {"insights/x/.meta.yml": "- grums\n"},
        "insights/x/.meta.yml:1: error[front-matter]",
    ),
    Case(".meta.yml sets id", {"insights/x/.meta.yml": "id: samma\n"}, "insights/x/.meta.yml:1: error[meta]"),
    Case(
        ".meta.yml not UTF-8",
        {"insights/x/.meta.yml": b"organisation: g\xf6teborg\n"},
        "insights/x/.meta.yml:1: error[encoding]",
    ),
    Case(
        "broken insightmap.yml",
        {},
        "insightmap.yml:2: error[yaml]",
        config="language: sv\norganisations: {a: [\n",
    ),
    Case("insightmap.yml is a list", {}, "insightmap.yml:1: error[front-matter]", config="- sv\n"),
    Case("insightmap.yml unknown setting", {}, "insightmap.yml:1: error[unknown-key]", config="sprak: sv\n"),
    Case(
        "insightmap.yml wrong types",
        {},
        "insightmap.yml:2: error[type]",
        config="language: sv\norganisations: [a, b]\n",
    ),
    Case(
        "insightmap.yml unquoted code",
        {},
        "insightmap.yml:2: error[organisation]",
        config="language: sv\norganisations:\n  x: {name: X, type: region, code: 0127}\n",
    ),
    Case(
        "insightmap.yml bad max_record_bytes",
        {},
        "insightmap.yml:1: error[type]",
        config="max_record_bytes: mycket\n",
    ),
    Case("broken maps/*.yml", {"maps/karta.yml": "title: [Karta\n"}, "maps/karta.yml:1: error[yaml]"),
    Case(
        "maps/*.yml unknown filter",
        {"maps/karta.yml": "title: K\nfilter:\n  farg: blå\n"},
        "maps/karta.yml:3: error[",
    ),
]


def _tree_hash(folder: Path) -> str:
    """Hash every file (path, bytes) and symlink below folder, without following links."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        digest.update(path.relative_to(folder).as_posix().encode())
        if path.is_symlink():
            digest.update(os.readlink(path).encode())
        elif path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _project(corpus, case: Case) -> Path:
    root = corpus({**GOOD, **case.files}, config=case.config)
    if case.setup:
        case.setup(root)
    return root


def test_enough_kinds():
    assert len({c.kind for c in CASES}) == len(CASES) >= 30


@pytest.mark.parametrize("case", CASES, ids=[c.kind for c in CASES])
def test_check_reports_bad_input(corpus, run, case, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # a `touch pwned` that ran would land here
    root = _project(corpus, case)
    before = _tree_hash(root / "insights")
    result = run("-C", root, "check")
    assert result.exit_code == 1, result.output
    assert case.expect in result.output, result.output
    assert case.message in result.output
    assert "Traceback" not in result.output
    assert _tree_hash(root / "insights") == before
    assert not (tmp_path / "pwned").exists()


def test_check_json_reports_every_bad_file_at_once(corpus, run):
    files = {
        f"insights/bad{i}.md": t
        for i, t in enumerate(["", "---\ntitle: [x\n---\n", record(date="2024-13-45"), b"\xff\xfe", _bomb()])
    }
    root = corpus({**GOOD, **files})
    result = run("-C", root, "check", "--format", "json")
    assert result.exit_code == 1
    paths = {p["path"] for p in json.loads(result.output)}
    assert paths == set(files)


# Tolerated input: odd but harmless files load cleanly.
TOLERATED = {
    "BOM and CRLF": b"\xef\xbb\xbf" + record().replace("\n", "\r\n").encode(),
    "lone CR line endings": record().replace("\n", "\r").encode(),
    "very long body line": record(body="ord " * 100_000),
    "... closes front-matter": record().replace("---\n\n", "...\n\n"),
    "escape sequence in body": record(body="Röd \x1b[31mtext\x1b[0m."),
    "python tag in body only": record(body="!!python/object/apply:os.system"),
    "many quotes (depth scan)": record(
        quotes="\n" + "".join(f'  - "Citat-{i}: a-b-c"\n' for i in range(400))
    ),
}


@pytest.mark.parametrize("kind", list(TOLERATED))
def test_tolerated_input_loads(corpus, run, kind):
    root = corpus({**GOOD, "insights/b.md": TOLERATED[kind]})
    result = run("-C", root, "check")
    assert result.exit_code == 0, result.output


def test_directory_named_like_a_record_is_a_folder(corpus, run):
    root = corpus(GOOD)
    _directory_named_md(root)
    # The folder is walked into; its name is no slug (ids have no `.`), so check proposes one.
    result = run("-C", root, "check")
    assert "insights/mapp.md/b.md:1: error[id]" in result.output, result.output
    assert "rename the file to insights/mapp-md/b.md" in result.output


@pytest.mark.skipif(os.geteuid() == 0, reason="not applicable: root reads every file")
def test_unreadable_file(corpus, run):
    root = corpus({**GOOD, A: record()})
    (root / A).chmod(0)
    try:
        result = run("-C", root, "check")
    finally:
        (root / A).chmod(0o644)
    assert result.exit_code == 1
    assert f"{A}:1: error[unreadable]" in result.output


# --- build: bad input never destroys a good site ---------------------------------------------

needs_build = pytest.mark.skipif("build" not in COMMANDS, reason="`insightmap build` not yet available")
BUILD_CASES = [
    c
    for c in CASES
    if c.kind
    in {
        "tab indentation",
        "duplicate key",
        "non-UTF-8 (Latin-1)",
        "NUL byte",
        "empty file",
        "5 MB file",
        "billion laughs",
        "nested 200,000 levels (C stack)",
        "symlink outside the project",
        "id collides with a study",
        "broken .meta.yml",
        "broken insightmap.yml",
        "broken maps/*.yml",
        "impossible date (unquoted)",
        "python object tag",
    }
]


@pytest.fixture(scope="module")
def good_site(tmp_path_factory):
    """The good project, built once; each case breaks a copy of it."""
    return built_once(tmp_path_factory, GOOD)


@needs_build
@pytest.mark.parametrize("case", BUILD_CASES, ids=[c.kind for c in BUILD_CASES])
def test_build_refuses_bad_input_and_keeps_site(good_site, run, case):
    root = fresh_copy(good_site)
    site = _tree_hash(root / "site")
    (root / "insightmap.yml").write_text(case.config, encoding="utf-8")
    for rel, content in case.files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    if case.setup:
        case.setup(root)
    before = _tree_hash(root / "insights")
    result = run("-C", root, "build", "--strict")
    assert result.exit_code == 1, result.output
    assert case.expect in result.output
    assert "Traceback" not in result.output
    assert _tree_hash(root / "insights") == before
    assert _tree_hash(root / "site") == site
