"""Jobs on several cores give what one core gives: the same results, in the jobs' order.

The suite pins each xdist worker to a core of its own (conftest), so builds in the tests draw
charts in-process; these tests ask for two forked workers explicitly.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from conftest import record, study
from insightmap import pipeline
from insightmap.site.parallel import in_parallel
from insightmap.site.prerender import Prerenderer


def _square(n: int) -> int:
    return n * n


def test_results_come_back_in_the_jobs_order():
    jobs = [partial(_square, n) for n in range(40)]
    assert in_parallel(jobs, 2) == [n * n for n in range(40)] == in_parallel(jobs, 1)


def test_pages_and_charts_are_the_same_on_one_core_and_on_two(corpus, tmp_path: Path):
    root = corpus(
        {
            "insights/karlskrona/a.md": record(theme="[accessibility-trust]"),
            "insights/karlskrona/b.md": record(title="Unga vill mötas i skolan.", perspective="[risk-group]"),
            "insights/sodermalm/c.md": record(title="Drop-in sänker tröskeln.", organisation="sodermalm"),
            "insights/karlskrona/studier/unga.md": study(),
        }
    )
    checked = pipeline.check(root)
    results = pipeline.analyse(checked)
    one = pipeline.site_pages(checked, results, tmp_path / "one", workers=1)
    two = pipeline.site_pages(checked, results, tmp_path / "two", workers=2)
    assert one.files == two.files
    assert sorted(p.name for p in (tmp_path / "one").iterdir()) == sorted(
        p.name for p in (tmp_path / "two").iterdir()
    )
    # The pages' bodies converted to HTML: the same cache files either way.
    extensions = ["attr_list", "md_in_html", "tables", {"toc": {"permalink": True}}]
    html = {n: Prerenderer(tmp_path / f"html{n}", extensions) for n in (1, 2)}
    assert html[1].pages(one.files, 1) == html[2].pages(one.files, 2)
    cached = {n: {p.name: p.read_bytes() for p in (tmp_path / f"html{n}").iterdir()} for n in (1, 2)}
    assert cached[1] == cached[2] and len(cached[1]) > 10
