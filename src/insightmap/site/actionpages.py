"""The site's pages about change: a page per action and "Från insikt till förändring".

The section page shows the chain as a flow picture (perspectives → insights →
actions) with its numbers in a table, the actions, the reuse across organisations
and the insights waiting for a decision, by organisation.
"""

from __future__ import annotations

import re
from functools import partial
from typing import TYPE_CHECKING, Any

from insightmap.analyse.venn import region_slug
from insightmap.site.urls import action_url

if TYPE_CHECKING:
    from insightmap.analyse.results import Results
    from insightmap.site.pagewriter import PageWriter

#: The section's page (its index is also the navigation entry).
SECTION = "forandringar/"


def action_pages(writer: PageWriter, results: Results, body: Any, tags_of: Any) -> None:
    """Write one page per action: what it builds on (with their map), its indicators."""
    allow = writer.corpus.config.allow_raw_html
    for chain in results.actions.actions:
        action = chain.action
        url = action_url(action.id)
        vmap = results.action_maps.get(action.id)
        shown = None
        if vmap is not None and vmap.total:
            shown = writer.map_pages(
                vmap,
                url,
                partial(_region_under, url),
                writer.words.insights_it_builds_on,
                "action-" + re.sub(r"[^a-z0-9]+", "-", action.id) + "-",
                action.title,
            )
        writer.page(
            url,
            "action.md.j2",
            action.title,
            search=True,
            record=action,
            body=body(action.body, allow),
            tags=tags_of(action),
            builds_on=writer.records(link.id for link in chain.builds_on),
            map=shown,
        )


def change_page(writer: PageWriter, results: Results) -> None:
    """Write "Från insikt till förändring": the flow, the actions, reuse and waiting insights."""
    from markupsafe import Markup

    from insightmap.render.flow import compute_flow, draw_flow
    from insightmap.render.svg import svg_for_inline

    report, w, lang = results.actions, writer.words, writer.lang
    flow = compute_flow(report, writer.corpus)
    chart = writer.timed(
        "actions",
        lambda: writer.charts.get(
            "flow", flow.to_dict(), partial(lambda: str(draw_flow(flow, writer.corpus, "svg", lang)))
        ),
    )
    labels = {
        **{p: writer.corpus.vocabulary.label("perspective", p, lang) for p in flow.left},
        "acted": w.Acted_on,
        "waiting": w.Waiting_insights,
        "recent": w.Too_recent_to_wait,
        **{s: writer.corpus.vocabulary.label("action-status", s, lang) for s in flow.right},
    }
    rows = [(labels[k], flow.counts.get(k, 0)) for k in (*flow.left, *flow.middle, *flow.right)]
    writer.page(
        SECTION,
        "actions.md.j2",
        w.From_insight_to_change,
        totals=report.totals(),
        reusing=len({r.action for r in report.reused}),
        flow_svg=Markup(svg_for_inline(str(chart))),
        flow_rows=rows,
        actions=sorted(report.actions, key=lambda c: (c.action.date, c.action.id), reverse=True),
        reused=report.reused,
        waiting=report.waiting_by_organisation(),
        months=report.waiting_months,
    )


def _region_under(page: str, key: str) -> str:
    """Return the URL of a region's list under a page (an action's map links there)."""
    return f"{page}{region_slug(key)}/"
