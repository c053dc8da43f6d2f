"""Privacy through the CLI: personal data is located and masked; public outputs hide internal records."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from conftest import record
from insightmap.cli import COMMANDS


def _luhn(nine: str) -> str:
    """Return the ten-digit number whose last digit is the Luhn check digit of nine digits."""
    total = 0
    for i, char in enumerate(nine):
        d = int(char) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return nine + str((10 - total % 10) % 10)


PNR = _luhn("811218987")  # 8112189876
SAMO = _luhn("811278987")  # day 18 + 60: a co-ordination number


@pytest.mark.parametrize(
    "written",
    [
        f"{PNR[:6]}-{PNR[6:]}",
        f"{PNR[:6]}+{PNR[6:]}",
        PNR,
        f"19{PNR[:6]}-{PNR[6:]}",
        f"19{PNR}",
        f"19{PNR[:6]} {PNR[6:]}",
        f"{PNR[:6]} - {PNR[6:]}",
        f"{SAMO[:6]}-{SAMO[6:]}",
    ],
)
def test_identity_numbers_are_located_and_masked(corpus, run, written):
    body = "Första raden.\n\nAndra stycket nämner " + written + " mitt i texten."
    root = corpus({"insights/a.md": record(body=body)})
    result = run("-C", root, "check")
    assert result.exit_code == 1, result.output
    assert "insights/a.md:11: error[personal-data]" in result.output
    digits = "".join(c for c in written if c.isdigit())
    assert digits[-4:] not in result.output.replace("insights/a.md:11", "")
    assert written not in result.output


@pytest.mark.parametrize(
    "text",
    [
        f"{PNR[:6]}-{PNR[6:9]}{(int(PNR[9]) + 1) % 10}",  # Luhn-invalid
        "Mötet 2024-05-12 kl 07:00",
        "Faktura 2024-1234 och 20240512-0001",
        "OCR 1234567890123",
        "Ärende 811218-0000",
        "Mellan 1990 och 2024 ökade andelen från 12 till 47 procent.",
    ],
)
def test_no_false_alarms(corpus, run, text):
    root = corpus({"insights/a.md": record(body=text)})
    result = run("-C", root, "check")
    assert "personal-data" not in result.output, result.output


def test_personal_data_in_front_matter_quote_is_located(corpus, run):
    root = corpus({"insights/a.md": record(quotes=json.dumps([f"Mitt nummer är {PNR}"]))})
    result = run("-C", root, "check", "--format", "json")
    problems = [p for p in json.loads(result.output) if p["code"] == "personal-data"]
    assert [p["line"] for p in problems] == [7]
    assert PNR not in result.output


# --- public outputs -------------------------------------------------------------------------------

SECRET_WORD = "Hemlighetsfullkrokodil"
SECRET_QUOTE = "Ingen får veta om zebrorna i källaren"
SECRET_STUDY = "Dolda studien om flamingos"


def _mixed_corpus(corpus) -> Path:
    study_text = (
        f"---\nkind: study\ntitle: {SECRET_STUDY}\nstatus: ongoing\norganisation: grums\n"
        "perspective: [risk-group]\nsubpopulation: [families]\ndate: '2025-01'\n---\n\nIntern.\n"
    )
    return corpus(
        {
            "insights/pub.md": record(
                title="Öppen insikt om lunchtider",
                visibility="public",
                quotes=json.dumps(["Ett öppet citat"]),
            ),
            "insights/int.md": record(
                title=f"{SECRET_WORD} insikt",
                organisation="grums",
                subpopulation="[older-people]",
                quotes=json.dumps([SECRET_QUOTE]),
                body=f"Intern brödtext om {SECRET_WORD}.",
            ),
            "insights/studie.md": study_text,
        }
    )


def _leaks(data: bytes, organisation: bool = True) -> list[str]:
    """Return the internal-only strings in data; the organisation only with internal records."""
    text = data.decode("utf-8", errors="ignore")
    secrets = (SECRET_WORD, SECRET_QUOTE, SECRET_STUDY, *(("Grums",) if organisation else ()))
    return [s for s in secrets if s in text]


@pytest.mark.parametrize("fmt", ["json", "csv", "xlsx"])
def test_public_export_reveals_no_internal_record(corpus, run, tmp_path, fmt):
    root = _mixed_corpus(corpus)
    out = tmp_path / f"ut.{fmt}"
    result = run("-C", root, "export", "--public", "-o", out)
    assert result.exit_code == 0, result.output
    assert "1 insight(s) and 0 study(ies)" in result.output
    if fmt == "xlsx":
        with zipfile.ZipFile(out) as archive:
            data = b"".join(archive.read(name) for name in archive.namelist())
    else:
        data = out.read_bytes()
    assert "Öppen insikt" in data.decode("utf-8", errors="ignore") or fmt == "xlsx"
    # The xlsx offers every known organisation as a drop-down: the name alone is no leak there.
    assert _leaks(data, organisation=fmt != "xlsx") == []
    full = tmp_path / f"alla.{fmt}"
    assert run("-C", root, "export", "-o", full).exit_code == 0
    if fmt != "xlsx":
        assert SECRET_WORD in full.read_text(encoding="utf-8-sig")  # the test can see a leak


@pytest.mark.skipif("build" not in COMMANDS, reason="`insightmap build` not yet available")
def test_public_site_reveals_no_internal_record(corpus, run):
    root = _mixed_corpus(corpus)
    result = run("-C", root, "build", "--public")
    assert result.exit_code == 0, result.output
    site = root / "site"
    leaks = {
        path.relative_to(site).as_posix(): found
        for path in sorted(site.rglob("*"))
        if path.is_file() and (found := _leaks(_readable(path)))
    }
    assert leaks == {}
    # The search index (Pagefind's gzipped fragments) holds the public record and nothing internal.
    fragments = [_readable(p).decode("utf-8", "ignore") for p in (site / "pagefind").rglob("*.pf_fragment")]
    assert not [f for f in fragments if SECRET_WORD.lower() in f.lower()]
    assert any("Öppen insikt" in f for f in fragments)


def _readable(path: Path) -> bytes:
    """Return a file's bytes, decompressed when it is one of Pagefind's gzipped index files."""
    import gzip

    data = path.read_bytes()
    if path.suffix.startswith(".pf_"):
        try:
            return gzip.decompress(data)
        except OSError:
            return data
    return data


@pytest.mark.skipif("build" not in COMMANDS, reason="`insightmap build` not yet available")
def test_demo_public_site_hides_internal_titles_and_quotes(run, tmp_path):
    import shutil

    from insightmap.load import load
    from insightmap.load.project import open_project

    demo = Path(__file__).resolve().parents[1]
    corpus, _ = load(open_project(demo))
    internal = [r for r in corpus.insights if r.visibility != "public"]
    if not internal or len(internal) == len(corpus.insights):
        pytest.skip("the demo corpus needs both public and internal insights")
    root = tmp_path / "demo"
    for name in ("insightmap.yml", "insights", "maps", "mkdocs.yml"):
        source = demo / name
        if source.is_dir():
            shutil.copytree(source, root / name)
        elif source.exists():
            root.mkdir(exist_ok=True)
            shutil.copy(source, root / name)
    assert run("-C", root, "build", "--public").exit_code == 0
    texts = "\n".join(
        p.read_text(encoding="utf-8", errors="ignore")
        for p in (root / "site").rglob("*")
        if p.is_file() and p.suffix in (".html", ".json", ".svg", ".xml", ".txt", ".csv")
    )
    public_text = " ".join(r.title + " " + " ".join(r.quotes) for r in corpus.public().insights)
    for r in internal:
        assert r.title not in texts, r.id
        for quote in r.quotes:
            if quote not in public_text:
                assert quote not in texts, (r.id, quote)
