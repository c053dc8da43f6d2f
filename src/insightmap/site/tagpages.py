"""The tag pages: one per vocabulary value in use, an index per field and the list of tags."""

from __future__ import annotations

from typing import TYPE_CHECKING

from insightmap.load.vocabulary import VOCABULARY_FIELDS
from insightmap.site.urls import tag_url

if TYPE_CHECKING:
    from insightmap.site.pagewriter import PageWriter


def tag_pages(writer: PageWriter) -> None:
    """Write a page per tag value, an index per tagged field, and the list of tags."""
    vocab = writer.corpus.vocabulary
    fields = []
    for name in VOCABULARY_FIELDS:
        tagged: dict[str, list[str]] = {}
        for record in writer.corpus.insights:
            for key in record.values(name):
                tagged.setdefault(key, []).append(record.id)
        order = {k: i for i, k in enumerate(vocab.keys(name))}
        keys = sorted(tagged, key=lambda k: (order.get(k, len(order)), k))
        values = []
        for key in keys:
            label = vocab.label(name, key, writer.lang)
            writer.page(
                tag_url(name, key),
                "tag.md.j2",
                f"{writer.words[name.capitalize()]}: {label}",
                field=name,
                label=label,
                long=vocab.label(name, key, writer.lang, long=True),
                insights=writer.records(tagged[key]),
            )
            values.append((label, len(tagged[key]), tag_url(name, key)))
        writer.page(tag_url(name), "tag_field.md.j2", writer.words[name.capitalize()], values=values)
        fields.append((writer.words[name.capitalize()], tag_url(name), values))
    writer.page("taggar/", "tags.md.j2", writer.words["Tags"], fields=fields)
