"""Show a ClusterReport: rich tables for the terminal, Markdown for documents and the site."""

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


def _view(report: ClusterReport, corpus: Corpus) -> dict[str, Any]:
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
                "spread": f"{p.spread:.2f}",
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
                "score": f"{s.score:.2f}",
                "shared": ", ".join(tag_label(t, corpus, language) for t in s.shared),
            }
            for s in report.similar_organisations
        ],
    }


def to_markdown(report: ClusterReport, corpus: Corpus) -> str:
    """Return the report as a Markdown document (headings in the corpus language)."""
    from jinja2 import Environment, PackageLoader

    env = Environment(
        loader=PackageLoader("insightmap", "templates/clusters"),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )  # Markdown, not HTML: the site's Markdown step escapes
    env.filters["cell"] = lambda text: str(text).replace("|", "\\|").replace("\n", " ")
    return env.get_template("report.md.j2").render(**_view(report, corpus))


def print_report(report: ClusterReport, corpus: Corpus, console: Any = None) -> None:
    """Print the report as rich tables to the terminal."""
    from rich.console import Console
    from rich.table import Table

    console = console or Console()
    view = _view(report, corpus)
    for sentence in view["summary"]:
        console.print(f"• {sentence}", highlight=False)
    patterns = Table(title="Patterns per perspective", header_style="bold", title_justify="left")
    for name in ("Perspective", "Insights", "Largest sub-population", "Share", "Spread"):
        patterns.add_column(name, overflow="fold")
    for p in view["patterns"]:
        patterns.add_row(p["label"], str(p["count"]), p["dominant"], p["share"], p["spread"])
    console.print(patterns)
    console.print()
    if view["recurring"]:
        console.print("[bold]Recurring insights (found in two or more organisations)[/bold]")
        for n, c in enumerate(view["recurring"], start=1):
            console.print(f"\n{n}. [bold]{_escape(c['label'])}[/bold]", highlight=False)
            about = f"{c['organisations']} · {c['period']} · {c['terms']}"
            console.print(f"   {_escape(about)}", style="dim", highlight=False)
            for i in c["insights"]:
                console.print(f"   - {_escape(i['title'])} ({_escape(i['organisation'])})", highlight=False)
    else:
        console.print("No recurring insights across organisations.")
    console.print()
    if view["similar"]:
        similar = Table(
            title="Similar organisations (who to learn from)", header_style="bold", title_justify="left"
        )
        for name in ("Organisation", "Similar to", "Score", "Shared tags"):
            similar.add_column(name, overflow="fold")
        for s in view["similar"]:
            similar.add_row(_escape(s["a"]), _escape(s["b"]), s["score"], _escape(s["shared"]))
        console.print(similar)


def _escape(text: str) -> str:
    """Escape rich markup in record text (titles may contain `[`)."""
    from rich.markup import escape

    return escape(text)
