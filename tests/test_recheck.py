"""`serve` checks an edited insight alone before serving its page, where that is as safe as checking all."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import record
from insightmap import pipeline

FILES = {
    "insights/karlskrona/ringa.md": record(),
    "insights/karlskrona/skolan.md": record(title="Unga vill mötas i skolan."),
    "insights/karlskrona/.meta.yml": "area: financial-assistance\n",
}
EDITED = "insights/karlskrona/ringa.md"


@pytest.fixture
def project(corpus) -> Path:
    return corpus(FILES)


def edit(root: Path, name: str, text: str) -> set[str]:
    (root / name).write_text(text, encoding="utf-8")
    return {name}


def test_an_edited_insight_is_checked_alone_and_matches_a_full_check(project: Path) -> None:
    before = pipeline.check(project)
    changed = edit(project, EDITED, record(title="Invånare vill kunna ringa på kvällen."))
    quick = pipeline.recheck(before, changed)
    assert quick is not None
    assert quick.corpus.records == pipeline.check(project).corpus.records
    assert "Invånare vill kunna ringa på kvällen." in [r.title for r in quick.corpus.insights]


@pytest.mark.parametrize(
    ("name", "text"),
    [
        # personal data in the edited record: refused, so the full check reports it
        (EDITED, record(body="Ring mig på 070-123 45 67.")),
        # an id another record has
        (EDITED, record(id="karlskrona/skolan")),
        # a study that does not exist
        (EDITED, record(study="karlskrona/finns-inte")),
        # a record file that was not there before
        ("insights/karlskrona/ny.md", record(title="En ny insikt.")),
        # folder defaults reach every record below them
        ("insights/karlskrona/.meta.yml", "area: addiction\n"),
        # not a record at all
        ("insightmap.yml", "language: en\n"),
    ],
)
def test_anything_but_a_clean_edit_of_known_records_needs_the_full_check(
    project: Path, name: str, text: str
) -> None:
    before = pipeline.check(project)
    assert pipeline.recheck(before, edit(project, name, text)) is None


def test_no_quick_check_after_a_check_with_errors(project: Path) -> None:
    edit(project, "insights/karlskrona/skolan.md", record(body="Mejla anna.svensson@example.se"))
    before = pipeline.check(project)
    assert before.errors
    assert pipeline.recheck(before, edit(project, EDITED, record(title="Ny rubrik."))) is None
