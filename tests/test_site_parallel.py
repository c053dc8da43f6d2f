"""Pages written on several cores are the pages one process writes, in the same order."""

from __future__ import annotations

from pathlib import Path

import pytest

from insightmap import parallel, pipeline
from insightmap.site import pagewriter

ROOT = Path(__file__).resolve().parents[1]


def test_insight_pages_written_by_forked_workers_are_the_pages_of_one_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pagewriter, "PARALLEL_PAGES_FROM", 2)  # the demo has 72 insights, not 500
    forked: list[int] = []
    real = parallel.in_parallel

    def spy(jobs, workers):  # type: ignore[no-untyped-def]
        forked.append(len(jobs))
        return real(jobs, workers)

    monkeypatch.setattr(parallel, "in_parallel", spy)
    checked = pipeline.check(ROOT)
    results = pipeline.analyse(checked)
    one = pipeline.site_pages(checked, results, tmp_path / "one", workers=1)
    two = pipeline.site_pages(checked, results, tmp_path / "two", workers=2)
    assert len(checked.corpus.insights) > 50
    assert forked, "the pages were not written by forked workers"
    assert list(two.files) == list(one.files)
    assert two.files == one.files
    assert two.broken_links == one.broken_links
