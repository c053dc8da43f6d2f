"""`insightmap report`: one self-contained, offline HTML file for the committee."""

from __future__ import annotations

import re

from conftest import record, study

HOSTS = re.compile(r'\b(?:src|href)\s*=\s*["\']?\s*(?:https?:)?//', re.I)


def _project(corpus):
    return corpus(
        {
            "insights/karlskrona/ny.md": record(
                title="Invånare vill kunna ringa tidigt på morgonen.",
                date='"2025-03"',
                quotes='["Jag ringer klockan sju."]',
                body="Läs [rapporten](https://example.com/rapport) och se "
                "![bild](https://example.com/x.png).\n\n<script>alert(1)</script>",
            ),
            "insights/karlskrona/gammal.md": record(title="Kontoret är stängt på lunchen.", date='"2023-01"'),
            "insights/grums/unga.md": record(
                title="Unga vill ha låga trösklar.",
                organisation="grums",
                perspective="[risk-group]",
                subpopulation="[children-youth]",
                date='"2025-02"',
            ),
            "insights/karlskrona/tider.md": study(
                title="Intervjuer med äldre",
                status="ongoing",
                perspective="[risk-group]",
                subpopulation="[older-people]",
            ),
        }
    )


def test_report_is_one_offline_html_file_in_swedish(run, corpus, tmp_path):
    root = _project(corpus)
    out = tmp_path / "rapport.html"
    result = run("-C", root, "report", "--since", "2025-01", "-o", out)
    assert result.exit_code == 0, result.output
    assert "2 new insight(s), 3 on the map" in result.output
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and '<html lang="sv">' in html
    assert not HOSTS.search(html), HOSTS.search(html)
    assert "<script" not in html.lower() and "@import" not in html and "url(http" not in html
    assert "<link" not in html  # no external stylesheet
    assert html.count("<svg") >= 2  # the map and the white-spot chart, inline
    assert "Nya insikter sedan 2025-01" in html
    assert "Invånare vill kunna ringa tidigt på morgonen." in html
    assert "Kontoret är stängt på lunchen." not in html.split("Insiktskartan")[0]
    assert "rapporten (https://example.com/rapport)" in html  # a link becomes text
    assert "Intervjuer med äldre" in html and "Pågående" in html  # the study under way
    assert "Riskgrupp × Äldre" in html  # a white spot, filled by the study
    assert "@page { size: A4" in html


def test_report_filters_organisations_and_public(run, corpus, tmp_path):
    root = _project(corpus)
    out = tmp_path / "grums.html"
    assert run("-C", root, "report", "--organisation", "grums", "-o", out).exit_code == 0
    html = out.read_text(encoding="utf-8")
    assert "Urval: Grums kommun" in html and "ringa tidigt" not in html
    result = run("-C", root, "report", "--public", "-o", tmp_path / "open.html")
    assert result.exit_code == 0 and "0 on the map" in result.output
    result = run("-C", root, "report", "--organisation", "nowhere", "-o", out)
    assert result.exit_code == 2 and "unknown organisation" in result.output


def test_report_in_english(run, corpus, tmp_path):
    root = corpus({"insights/karlskrona/a.md": record()}, config="language: en\n")
    out = tmp_path / "report.html"
    assert run("-C", root, "report", "-o", out).exit_code == 0
    html = out.read_text(encoding="utf-8")
    assert '<html lang="en">' in html and "Insight report" in html and "White spots" in html


def test_report_says_why_cells_add_up_to_more_than_the_insights(corpus, run, tmp_path):
    root = corpus(
        {
            "insights/karlskrona/tva.md": record(
                perspective="[active-client, risk-group]", subpopulation="[adults, families]"
            ),
            "insights/karlskrona/en.md": record(title="Kontoret är stängt på lunchen."),
        }
    )
    out = tmp_path / "rapport.html"
    assert run("-C", root, "report", "-o", out).exit_code == 0
    html = out.read_text("utf-8")
    # 1 + 4 cells for 2 insights: the report says so where the numbers stand.
    assert "Cellerna summerar till 5 men insikterna är 2" in html


def test_report_shows_the_chain_from_insight_to_change(corpus, run, tmp_path, monkeypatch):
    from test_actions import CHAIN

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795132800")  # 2026-11-20
    out = tmp_path / "rapport.html"
    result = run("-C", corpus(CHAIN), "report", "--since", "2023-01", "-o", out)
    assert result.exit_code == 0, result.output
    html = out.read_text("utf-8")
    assert "Från insikt till förändring" in html
    assert "Nya förändringar sedan 2023-01" in html
    # Södermalm acting on Karlskrona's insight is reuse across organisations.
    assert "Karlskrona kommun → Södermalms stadsdelsförvaltning" in html
    assert "Insikter som väntar på beslut" in html and "Grums kommun" in html
