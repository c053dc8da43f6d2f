"""The privacy table: personal data is refused at every door, and ordinary text passes.

One parametrised test reads tests/privacy_cases.yml (the places and the tricks are
described there). A positive case must give exit 1 with a located
`error[personal-data]` message that does not repeat the data, and leave every
file of the project as it was; a negative case must pass.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import DEFAULT_CONFIG, record

CASES = yaml.safe_load((Path(__file__).parent / "privacy_cases.yml").read_text(encoding="utf-8"))
HEADER = ["Rubrik", "Organisation", "Datum", "Perspektiv", "Delpopulation", "Text"]
ROW = ["Invånare vill ha svar snabbt.", "karlskrona", "2024-05", "Riskgrupp", "Vuxna", "Brödtext."]
RECORD = "insights/karlskrona/a.md"

#: Where each place's message must point: a path (or sheet row) prefix.
WHERE = {
    "body": re.escape(RECORD) + r":\d+",
    "title": re.escape(RECORD) + r":\d+",
    "front": re.escape(RECORD) + r":\d+",
    "key": re.escape(RECORD) + r":\d+",
    "comment": re.escape(RECORD) + r":\d+",
    "meta": r"insights/karlskrona/\.meta\.yml:\d+",
    "config": r"insightmap\.yml:\d+",
    "config-comment": r"insightmap\.yml:\d+",
    "map": r"maps/barn\.yml:\d+",
    "file": r"insights/karlskrona/[^:\s]+\.md:1",
    "folder": r"insights/[^:\s/]+:1",
    "map-file": r"maps/[^:\s/]+\.yml:1",
    "csv": r"ark\.csv:row 2",
    "csv-title": r"ark\.csv:row 2",
    "xlsx": r"ark\.xlsx:row 2",
    "xlsx-number": r"ark\.xlsx:row 2",
    "new-title": r"insights/karlskrona/[^:\s]+\.md:\d+",
    "new-body": r"insights/karlskrona/[^:\s]+\.md:\d+",
    "new-quote": r"insights/karlskrona/[^:\s]+\.md:\d+",
}


def _files(place: str, value: str) -> tuple[dict[str, str], str]:
    """Return the project files and insightmap.yml that put value in place."""
    files = {RECORD: record()}
    config = DEFAULT_CONFIG
    if place == "body":
        files[RECORD] = record(body=value)
    elif place == "title":
        files[RECORD] = record(title=value)
    elif place == "front":
        files[RECORD] = record(x_note=value)
    elif place == "key":
        files[RECORD] = record(**{value: "ja"})
    elif place == "comment":
        files[RECORD] = record().replace("---\n", f"---\n{value}\n", 1)
    elif place == "meta":
        files["insights/karlskrona/.meta.yml"] = f"x-note: {value}\n"
    elif place == "config":
        config += f"title: {value}\n"
    elif place == "config-comment":
        config += f"{value}\n"
    elif place == "map":
        files["maps/barn.yml"] = f"title: Barn\ndescription: {value}\n"
    elif place == "file":
        files = {f"insights/karlskrona/{value}.md": record()}
    elif place == "folder":
        files = {f"insights/{value}/a.md": record()}
    elif place == "map-file":
        files[f"maps/{value}.yml"] = "title: Barn\n"
    return files, config


def _sheet(place: str, value: str, folder: Path) -> Path:
    """Write a one-row csv or xlsx import file holding value."""
    row: list[Any] = list(ROW)
    if place == "csv-title":
        row[0] = value
    elif place == "xlsx-number":
        row[5] = int(value)
    else:
        row[5] = value
    if place.startswith("csv"):
        path = folder / "ark.csv"
        out = io.StringIO()
        csv.writer(out, delimiter=";").writerows([HEADER, row])
        path.write_text(out.getvalue(), encoding="utf-8")
        return path
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Poster"
    sheet.append(HEADER)
    sheet.append(row)
    path = folder / "ark.xlsx"
    book.save(path)
    return path


def _snapshot(root: Path) -> dict[str, bytes]:
    """Return every file of the project with its bytes."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _run(run: Any, corpus: Any, tmp_path: Path, place: str, value: str) -> tuple[Any, Path]:
    """Put value in place, run the command that reads that place; return the result and the root."""
    files, config = _files(place, value)
    root = corpus(files, config)
    if place.startswith(("csv", "xlsx")):
        return run("-C", root, "import", _sheet(place, value, tmp_path)), root
    if place.startswith("new-"):
        flag = {"new-title": "--title", "new-body": "--body", "new-quote": "--quote"}[place]
        args = ["--title", "Invånare vill ha svar snabbt.", flag, value]
        base = ["--organisation", "karlskrona", "--date", "2024-05"]
        base += ["--perspective", "risk-group", "--subpopulation", "adults", "--no-input"]
        return run("-C", root, "new", *args, *base), root
    return run("-C", root, "check"), root


def _secret(case: dict[str, str]) -> str:
    """Return what must never be printed: the given secret, else the value's digits."""
    return case.get("secret") or re.sub(r"\D", "", case["value"])


TABLE = [
    pytest.param(True, case, id=f"pos-{case['place']}-{case['trick']}-{i}")
    for i, case in enumerate(CASES["positives"])
] + [pytest.param(False, case, id=f"neg-{case['place']}-{i}") for i, case in enumerate(CASES["negatives"])]


@pytest.mark.parametrize(("personal", "case"), TABLE)
def test_privacy_table(run, corpus, tmp_path, personal: bool, case: dict[str, str]) -> None:
    place, value = case["place"], case["value"]
    files, config = _files(place, value)
    result, root = _run(run, corpus, tmp_path, place, value)
    if not personal:
        assert result.exit_code == 0, result.output
        assert "personal-data" not in result.output
        return
    before = {rel: text.encode("utf-8") for rel, text in files.items()}
    before["insightmap.yml"] = config.encode("utf-8")
    assert result.exit_code == 1, result.output
    located = rf"^(?:Error: )?{WHERE[place]}: error\[personal-data\]: "
    assert re.search(located, result.output, re.MULTILINE), result.output
    secret = _secret(case)
    assert len(secret) >= 4, "give the case a `secret`"
    if secret.isdigit():
        for line in result.output.splitlines():
            assert secret not in re.sub(r"\D", "", line), line
    else:
        assert secret not in result.output
    # Nothing written: the project holds exactly the files the case put there.
    assert _snapshot(root) == before
