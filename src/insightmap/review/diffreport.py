"""The change summary of `insightmap diff` for people: Markdown for a merge-request comment, or text.

Every word comes from the glossary (templates/report/diff.j2 uses `t.<key>`),
in the corpus language.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from insightmap import glossary
from insightmap.records import Corpus, field_word

if TYPE_CHECKING:
    from insightmap.review.changes import CellMove, CorpusDiff

#: The glossary key naming each way a white-spot cell moved.
MOVEMENTS = {
    "filled": "Fills",
    "emptied": "New_white_spot",
    "strengthened": "Thin_to_covered",
    "weakened": "Covered_to_thin",
}


def render_diff(diff: CorpusDiff, corpus: Corpus, fmt: str = "markdown") -> str:
    """Render the diff as Markdown (for a merge-request comment) or plain text, in the corpus language."""
    from insightmap.analyse.venn import region_label
    from insightmap.templating import environment

    language = corpus.language
    words = glossary.words(language)
    titles = {r.id: r.title for r in corpus.insights}
    vocabulary = corpus.vocabulary

    def cell_label(move: CellMove) -> str:
        return (
            f"{vocabulary.label('perspective', move.row, language)} × "
            f"{vocabulary.label('subpopulation', move.col, language)}"
        )

    env = environment("report")
    template = env.get_template("diff.j2")
    return template.render(
        d=diff,
        md=fmt == "markdown",
        t=words,
        # One expression, not a {% for %}: trim_blocks would eat the newline after {% endfor %}
        # and glue the next change onto this bullet.
        field_labels=lambda names: ", ".join(words[field_word(name)] for name in names),
        movement=lambda move: words[MOVEMENTS[move.movement]],
        cell_label=cell_label,
        org_name=lambda key: corpus.organisation(key).name,
        perspective=lambda key: vocabulary.label("perspective", key, language),
        region=lambda key: region_label(key, corpus, language),
        # New actions are listed with what they build on (From insight to change), not twice.
        kinds=[
            ("Insights", diff.insights),
            ("Studies", diff.studies),
            ("Actions", replace(diff.actions, added=())),
        ],
        by_source=_by_source(diff),
        insight_titles=lambda ids: glossary.join(
            [words["quoted"].format(text=titles.get(i, i)) for i in ids], language, limit=3
        ),
    )


def _by_source(diff: CorpusDiff) -> list[tuple[str, int, int]]:
    """Return (source, insights added, insights removed) for a region's sources (`SOURCE:ID` ids)."""
    counts: dict[str, list[int]] = {}
    for index, records in enumerate((diff.insights.added, diff.insights.removed)):
        for record in records:
            source, colon, _ = record.id.partition(":")
            if colon:
                counts.setdefault(source, [0, 0])[index] += 1
    return [(source, added, removed) for source, (added, removed) in sorted(counts.items())]
