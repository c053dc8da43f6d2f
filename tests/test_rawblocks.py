"""Setting generated pages' HTML blocks aside before Python-Markdown changes no byte of any page."""

from __future__ import annotations

from pathlib import Path

import markdown
import pytest

from insightmap import pipeline
from insightmap.site.prerender import FRONT_MATTER
from insightmap.site.rawblocks import RawBlocksExtension, balance

ROOT = Path(__file__).resolve().parents[1]
EXTENSIONS = ["attr_list", "md_in_html", "tables", "admonition", "toc", "fenced_code"]
CONFIGS = {"toc": {"permalink": True}}


def both_ways(body: str) -> tuple[tuple[str, object], tuple[str, object]]:
    """Return (html, toc) converted by Python-Markdown alone and with RawBlocks first."""
    results = []
    for extra in ([], [RawBlocksExtension()]):
        md = markdown.Markdown(extensions=[*EXTENSIONS, *extra], extension_configs=CONFIGS)
        html = md.convert(body)
        results.append((html, getattr(md, "toc_tokens", [])))
    return results[0], results[1]


def test_every_page_of_the_demo_site_converts_to_the_same_html(tmp_path: Path) -> None:
    checked = pipeline.check(ROOT)
    site = pipeline.site_pages(checked, pipeline.analyse(checked), tmp_path / "charts")
    pages = [text for name, text in site.files.items() if name.endswith(".md") and isinstance(text, str)]
    assert len(pages) > 100
    for text in pages:
        match = FRONT_MATTER.match(text)
        plain, quick = both_ways(text[match.end() :] if match else text)
        assert quick == plain


@pytest.mark.parametrize(
    "body",
    [
        '<div class="a">\n<p>x</p>\n</div>\n\n## Rubrik\n\nText *betonad*.\n',
        '<div markdown="1">\n*betonad* inuti\n</div>\n',  # Markdown inside HTML: the parser's job
        "<div>\n\n## Rubrik inuti en öppen div\n\n</div>\n",  # blank lines inside one block
        "<div>\n<p>aldrig stängd</p>\n\n## Rubrik\n",  # never balances
        "<!-- en kommentar -->\n<div>x</div>\n",
        "<span>inline i början</span> och *text*\n",  # not a block-level tag: a paragraph
        "<div>a</div> efter\n\ntext\n",  # text after the closing tag
        '<table class="t">\n<tr><td>1</td></tr>\n\n</table>\n<p>direkt efter</p>\n\n- lista\n',
        "<p>a</p>\n<p>b</p>\n\n<hr>\n\n<img src=x.png alt=y>\n",
        "<div><p>fel ordning</div></p>\n",
    ],
)
def test_hand_written_html_comes_out_as_python_markdown_makes_it(body: str) -> None:
    plain, quick = both_ways(body)
    assert quick == plain


def test_balance_counts_open_tags_and_refuses_crossed_ones() -> None:
    assert balance("<div><p>a</p><br><img src=x/></div>") == 0
    assert balance("<div><p>a</p>") == 1
    assert balance("<div></p>") is None
