"""The board report: one self-contained HTML file for a committee meeting.

New insights since a date, the insight map, the largest white spots and what is
filling them, recurring insights and the studies under way. Pictures are inline
SVG, CSS is inline, and links to other hosts are turned into plain text, so the
file makes no request when opened or printed.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Any

from insightmap import clock, glossary
from insightmap.records import Corpus, Record
from insightmap.select import Selection

MAX_SPOTS = 10
MAX_RECURRING = 8


@dataclass
class BoardReport:
    """What the committee sees, as data."""

    since: str
    today: datetime.date
    selection: Selection
    public: bool
    new: list[Record]
    studies: list[Record]
    vmap: Any  # insightmap.analyse.venn.VennMap
    gaps: Any  # insightmap.analyse.gaps.GapReport
    clusters: Any  # insightmap.analyse.clusters.ClusterReport
    spots: list[Any] = field(default_factory=list)  # gap cells, the largest white spots first
    actions: Any = None  # insightmap.analyse.actions.ActionReport
    new_actions: list[Any] = field(default_factory=list)  # ActionChains dated since `since`
    history: Any = None  # insightmap.review.history.History, when the project is in git

    def to_dict(self) -> dict[str, Any]:
        """Return the report's content as JSON-ready data."""
        return {
            "since": self.since,
            "today": self.today.isoformat(),
            "public": self.public,
            "selection": self.selection.to_dict(),
            "new": [r.id for r in self.new],
            "studies": [s.id for s in self.studies],
            "map": self.vmap.to_dict(),
            "spots": [c.to_dict() for c in self.spots],
            "recurring": [c.to_dict() for c in self.clusters.recurring[:MAX_RECURRING]],
            "new_actions": [c.action.id for c in self.new_actions],
            "waiting": [w.id for w in self.actions.waiting] if self.actions else [],
            "reused": [r.to_dict() for r in self.actions.reused] if self.actions else [],
            "history": self.history.to_dict() if self.history else None,
        }


def default_since(today: datetime.date) -> str:
    """Return the default start of "new": three months before today."""
    year, month = today.year, today.month - 3
    if month <= 0:
        year, month = year - 1, month + 12
    return f"{year:04d}-{month:02d}-01"


def build_report(
    corpus: Corpus,
    since: str | None = None,
    organisations: tuple[str, ...] = (),
    public: bool = False,
    today: datetime.date | None = None,
    history: Any = None,
) -> BoardReport:
    """Gather the report's content for the selected organisations (default: all).

    history (insightmap.review.history.History), when given, is shown as a chart over time.
    """
    from insightmap.analyse.actions import compute_actions
    from insightmap.analyse.clusters import compute_clusters
    from insightmap.analyse.gaps import compute_gaps
    from insightmap.analyse.venn import compute_map

    today = today or clock.today(corpus.config)
    if public:
        corpus = corpus.public()
    since = since or default_since(today)
    selection = Selection(organisations=organisations)
    insights = selection.apply(corpus.insights, corpus)
    new = Selection(date_from=since).apply(insights, corpus)
    new.sort(key=lambda r: (r.date, r.id), reverse=True)
    studies = [s for s in selection.apply(corpus.studies, corpus) if s.status in ("planned", "ongoing")]
    studies.sort(key=lambda s: (s.status != "ongoing", s.date, s.id))
    gaps = compute_gaps(insights, corpus, today=today, selection=selection)
    vmap = compute_map(insights, corpus, selection=None)
    clusters = compute_clusters(insights, corpus)
    # Largest white spots: empty before thin; among them the sub-populations other
    # perspectives hear most from, where the silence is the most telling.
    ranked = sorted(
        gaps.with_status("empty", "thin"),
        key=lambda c: (
            c.status != "empty",
            -gaps.col_total(c.col),
            c.count,
            gaps.rows.index(c.row),
            gaps.cols.index(c.col),
        ),
    )
    # Always show the spots that studies are filling, even beyond the largest few.
    spots = ranked[:MAX_SPOTS] + [c for c in ranked[MAX_SPOTS:] if c.filled_by]
    actions = compute_actions(corpus, today=today, organisations=organisations)
    recent = Selection(date_from=since)
    new_actions = [c for c in actions.actions if recent.matches(c.action, corpus)]
    return BoardReport(
        since=since,
        today=today,
        selection=selection,
        public=public,
        new=new,
        studies=studies,
        vmap=vmap,
        gaps=gaps,
        clusters=clusters,
        spots=spots,
        actions=actions,
        new_actions=sorted(new_actions, key=lambda c: (c.action.date, c.action.id), reverse=True),
        history=history,
    )


def read_history_if_any(project: Any) -> Any:
    """Return the project's history in git for the report, or None outside a repository."""
    from insightmap.review.gittree import GitError
    from insightmap.review.history import read_history

    try:
        return read_history(project, max_months=24)
    except GitError:
        return None


def render_html(report: BoardReport, corpus: Corpus) -> str:
    """Render the report as one self-contained HTML document."""
    from markupsafe import Markup

    from insightmap.analyse.venn import region_label
    from insightmap.render.body import body_html
    from insightmap.render.gaps import counted_note, draw_gap_chart
    from insightmap.render.gaps import summarise as gap_summary
    from insightmap.render.venn import draw_map
    from insightmap.templating import environment

    language = corpus.language
    words = glossary.words(language)
    vocabulary = corpus.vocabulary
    title = corpus.config.title or words["Insight_report"]
    svg = draw_map(
        report.vmap, corpus, fmt="svg", link=None, title=words["The_insight_map"], id_prefix="rapport-karta-"
    )
    chart = draw_gap_chart(report.gaps, corpus, fmt="svg")
    by_id = corpus.by_id()
    env = environment("report", html=True, trailing_newline=False)
    env.filters["label"] = lambda key, name: vocabulary.label(name, key, language)
    env.filters["labels"] = lambda keys, name: ", ".join(vocabulary.label(name, k, language) for k in keys)
    env.filters["org"] = lambda key: corpus.organisation(key).name
    env.filters["body"] = lambda text: Markup(body_html(text, corpus.config.allow_raw_html, links=False))
    selection = (
        ", ".join(corpus.organisation(k).name for k in report.selection.organisations)
        or words["all_insights"]
    )
    return env.get_template("board.html.j2").render(
        r=report,
        t=words,
        lang=language,
        title=title,
        selection=selection,
        map_svg=Markup(_strip_xml_header(str(svg))),
        gap_svg=Markup(_strip_xml_header(str(chart))),
        history_svg=Markup(_strip_xml_header(str(_history_chart(report, language)))),
        gap_summary=gap_summary(report.gaps, corpus),
        counted_note=counted_note(report.gaps.cells, report.gaps.total, language),
        cluster_summary=report.clusters.summary,
        recurring=report.clusters.recurring[:MAX_RECURRING],
        by_id=by_id,
        region=lambda key: region_label(key, corpus, language),
    )


def _history_chart(report: BoardReport, language: str) -> str:
    """Draw the history chart when there are two months or more to compare, else nothing."""
    if report.history is None or len(report.history.months) < 2:
        return ""
    from insightmap.render.history import draw_history_chart

    return str(draw_history_chart(report.history, "svg", language))


def _strip_xml_header(svg: str) -> str:
    svg = re.sub(r"^\s*<\?xml[^>]*\?>\s*", "", svg)
    return re.sub(r"<!DOCTYPE[^>]*>\s*", "", svg)
