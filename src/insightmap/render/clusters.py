"""Show a ClusterReport: its labelled view (for templates and the terminal) and Markdown."""

from __future__ import annotations

from typing import Any

from insightmap import glossary
from insightmap.analyse.clusters import ClusterReport
from insightmap.records import Corpus


def tag_label(tag: str, corpus: Corpus, language: str | None = None) -> str:
    """Return the label of a `field:key` tag, e.g. `subpopulation:adults` → `Vuxna`."""
    name, _, key = tag.partition(":")
    return corpus.vocabulary.label(name, key, language or corpus.language)


def period(date_from: str, date_to: str) -> str:
    """Return a date span as `2023-05–2025-01`, or one date when both ends are equal."""
    return date_from if date_from == date_to else f"{date_from}–{date_to}"


def view(report: ClusterReport, corpus: Corpus) -> dict[str, Any]:
    """Return the report with labels and names filled in, for templates and tables."""
    language = "en" if report.language == "en" else "sv"
    vocab = corpus.vocabulary
    by_id = corpus.by_id()
    return {
        "h": glossary.words(language),
        "summary": report.summary,
        "patterns": [
            {
                "label": vocab.label("perspective", p.perspective, language),
                "count": p.count,
                "spread": _decimal(p.spread, language),
                "dominant": ", ".join(vocab.label("subpopulation", s, language) for s in p.dominant),
                "share": f"{round(100 * p.top_share)} %",
            }
            for p in report.patterns.values()
        ],
        "recurring": [
            {
                "label": c.label,
                "terms": ", ".join(c.terms),
                "period": period(c.date_from, c.date_to),
                "organisations": ", ".join(corpus.organisation(o).name for o in c.organisations),
                "insights": [
                    {
                        "id": i,
                        "title": by_id[i].title if i in by_id else i,
                        "organisation": corpus.organisation(by_id[i].organisation).name if i in by_id else "",
                    }
                    for i in c.insights
                ],
            }
            for c in report.recurring
        ],
        "similar": [
            {
                "a": corpus.organisation(s.a).name,
                "b": corpus.organisation(s.b).name,
                "score": _decimal(s.score, language),
                "shared": ", ".join(tag_label(t, corpus, language) for t in s.shared),
            }
            for s in report.similar_organisations
        ],
    }


def to_markdown(report: ClusterReport, corpus: Corpus) -> str:
    """Return the report as a Markdown document (headings in the corpus language)."""
    from insightmap.templating import environment

    env = environment("clusters")  # Markdown, not HTML: the site's Markdown step escapes
    env.filters["cell"] = lambda text: str(text).replace("|", "\\|").replace("\n", " ")
    return env.get_template("report.md.j2").render(**view(report, corpus))


def _decimal(number: float, language: str) -> str:
    """Write a number with two decimals as the language does: 0,76 in Swedish, 0.76 in English."""
    text = f"{number:.2f}"
    return text.replace(".", ",") if language == "sv" else text
