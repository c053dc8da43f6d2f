"""The chain from insight to change for people: a terminal table, Markdown and CSV, in the corpus language.

Words come from the glossary and labels from the vocabulary; the data is an
ActionReport (analyse/actions.py), whose `to_dict()` is the JSON.
"""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING, Any

from insightmap import glossary

if TYPE_CHECKING:
    from insightmap.analyse.actions import ActionReport
    from insightmap.records import Corpus

#: The CSV columns: one row per link from an action to an insight, and one per waiting insight.
CSV_COLUMNS = (
    "action",
    "action_organisation",
    "status",
    "insight",
    "insight_organisation",
    "perspective",
    "subpopulation",
    "reuse",
    "waiting",
)


def render(report: ActionReport, corpus: Corpus, kind: str) -> str:
    """Return the chain as `json`, `csv`, `markdown` or `table` (plain text, 120 columns)."""
    if kind == "json":
        import json

        return json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n"
    if kind == "csv":
        return to_csv(report)
    if kind == "markdown":
        return to_markdown(report, corpus)
    from rich.console import Console

    buffer = io.StringIO()
    print_table(Console(file=buffer, width=120, color_system=None), report, corpus)
    return buffer.getvalue()


def to_csv(report: ActionReport) -> str:
    """Return the chain as CSV: each action's insights, then the waiting insights (keys, not labels)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for chain in report.actions:
        a = chain.action
        for link in chain.builds_on:
            reuse = link.organisation != a.organisation
            writer.writerow(
                [
                    a.id,
                    a.organisation,
                    a.status,
                    link.id,
                    link.organisation,
                    "; ".join(link.perspective),
                    "; ".join(link.subpopulation),
                    "yes" if reuse else "no",
                    "no",
                ]
            )
    for w in report.waiting:
        writer.writerow(["", "", "", w.id, w.organisation, "", "", "no", "yes"])
    return out.getvalue()


def to_markdown(report: ActionReport, corpus: Corpus) -> str:
    """Return the chain as Markdown: the actions with what they build on, reuse, waiting insights."""
    lang = corpus.language
    w = glossary.words(lang)
    lines = [f"## {w.From_insight_to_change}", ""]
    totals = report.totals()
    lines.append(w["insights_led_to_change"].format(n=totals["acted_on"]) + ".")
    lines.append("")
    lines.append(f"### {w.Actions} ({totals['actions']})")
    lines.append("")
    if report.actions:
        lines.append(f"| {w.Date} | {w.Organisation} | {w.Status} | {w.Action} | {w.Builds_on} |")
        lines.append("|---|---|---|---|---|")
        for row in _action_rows(report, corpus):
            lines.append("| " + " | ".join(_cell(v) for v in row) + " |")
    else:
        lines.append(w.No_actions)
    lines += ["", f"### {w.Reuse} ({totals['reused']})", ""]
    if report.reused:
        titles = _titles(corpus)
        for r in report.reused:
            action, insight = _cell(titles.get(r.action, r.action)), _cell(titles.get(r.insight, r.insight))
            lines.append(
                f"- {corpus.organisation(r.target).name}: {action} — "
                f"{w.reused_from} {corpus.organisation(r.source).name}: {insight}"
            )
    else:
        lines.append(w.No_reuse)
    lines += ["", f"### {w.Waiting_insights} ({totals['waiting']})", ""]
    since = w["waiting_since"].format(months=report.waiting_months)
    lines.append(since[:1].upper() + since[1:] + ".")
    lines.append("")
    if report.waiting:
        for org, items in report.waiting_by_organisation().items():
            lines.append(f"**{corpus.organisation(org).name}** ({len(items)})")
            lines.append("")
            lines += [f"- {_cell(item.title)} ({item.date}, `{item.id}`)" for item in items]
            lines.append("")
    else:
        lines += [w.No_waiting, ""]
    return "\n".join(lines).rstrip() + "\n"


def print_table(console: Any, report: ActionReport, corpus: Corpus) -> None:
    """Print the chain to a rich console: actions, reuse, waiting insights by organisation."""
    from rich.table import Table

    w = glossary.words(corpus.language)
    totals = report.totals()
    table = Table(title=f"{w.Actions} ({totals['actions']})", header_style="bold", title_justify="left")
    for name in (w.Date, w.Organisation, w.Status, w.Action, w.Builds_on):
        table.add_column(name, overflow="fold")
    for row in _action_rows(report, corpus):
        table.add_row(*row)
    console.print(table)
    console.print()
    console.print(f"{w.Reuse}: {totals['reused']}", style="bold", highlight=False, markup=False)
    for r in report.reused:
        console.print(f"  {r.action} ({r.target}) ← {r.insight} ({r.source})", highlight=False, markup=False)
    console.print()
    waiting = w["waiting_since"].format(months=report.waiting_months)
    console.print(
        f"{w.Waiting}: {totals['waiting']} ({waiting})", style="bold", highlight=False, markup=False
    )
    for org, items in report.waiting_by_organisation().items():
        console.print(f"  {corpus.organisation(org).name}: {len(items)}", highlight=False, markup=False)
        for item in items:
            console.print(f"    {item.date}  {item.id}", highlight=False, markup=False)
    console.print()
    console.print(w["insights_led_to_change"].format(n=totals["acted_on"]), highlight=False, markup=False)


def _action_rows(report: ActionReport, corpus: Corpus) -> list[tuple[str, str, str, str, str]]:
    lang = corpus.language
    rows = []
    for chain in report.actions:
        a = chain.action
        status = corpus.vocabulary.label("action-status", a.status or "", lang)
        built = ", ".join(
            link.id
            if link.organisation == a.organisation
            else f"{link.id} ({corpus.organisation(link.organisation).name})"
            for link in chain.builds_on
        )
        rows.append((a.date, corpus.organisation(a.organisation).name, status, a.title, built))
    return rows


def _titles(corpus: Corpus) -> dict[str, str]:
    return {r.id: r.title for r in [*corpus.insights, *corpus.actions]}


def _cell(text: str) -> str:
    """Return text safe inside a Markdown table cell or list item (no pipes or line breaks)."""
    return " ".join(text.replace("|", "\\|").split())
