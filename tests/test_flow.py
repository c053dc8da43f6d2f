"""The flow from insight to change: what the picture and its table count."""

from __future__ import annotations

from insightmap import pipeline
from insightmap.analyse.actions import compute_actions
from insightmap.render.flow import compute_flow, draw_flow
from test_actions import CHAIN


def test_flow_counts_perspectives_fates_and_statuses(corpus, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795132800")  # 2026-11-20
    checked = pipeline.check(corpus(CHAIN))
    report = compute_actions(checked.corpus)
    flow = compute_flow(report, checked.corpus)
    acted = sum(1 for actions in report.acted_on.values() if actions)
    assert flow.counts["acted"] == acted
    assert flow.counts.get("waiting", 0) == len(report.waiting)
    # Every insight is counted once in the middle, whatever its number of perspectives.
    assert sum(flow.counts.get(k, 0) for k in ("acted", "waiting", "recent")) == len(checked.corpus.insights)
    # Each link from an acted-on insight to an action flows to that action's status.
    links = sum(len(a) for a in report.acted_on.values())
    assert sum(n for (a, _), n in flow.bands.items() if a == "acted") == links
    svg = str(draw_flow(flow, checked.corpus, "svg"))
    assert "Har lett till förändring" in svg and "Perspektiv" in svg
