"""Every word the site, maps, reports and sheets show, in Swedish and English, from one file.

`words("sv")["white_spots"]` is "vita fläckar"; a key with a capital first letter,
`words("sv")["White_spots"]`, gives "Vita fläckar". Templates use the same keys as
attributes (`{{ w.White_spots }}`). The data is `data/glossary.yml`; a test holds
that every entry has both languages and that no concept is defined twice.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import cache
from importlib import resources

import yaml

LANGUAGES = ("sv", "en")


@cache
def entries() -> dict[str, dict[str, str]]:
    """Return the glossary: key → {"sv": …, "en": …}."""
    text = resources.files("insightmap").joinpath("data/glossary.yml").read_text("utf-8")
    # Our own data: the C loader is as safe here and about ten times faster.
    data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return {str(key): {lang: str(value[lang]) for lang in value} for key, value in data.items()}


class Words(Mapping[str, str]):
    """The glossary in one language; a capitalised key gives the capitalised word."""

    def __init__(self, language: str) -> None:
        self.language = language if language in LANGUAGES else "sv"
        self._entries = entries()

    def __getitem__(self, key: str) -> str:
        entry = self._entries.get(key)
        if entry is not None:
            return entry[self.language]
        lower = key[:1].lower() + key[1:]
        entry = self._entries.get(lower)
        if entry is None or lower == key:
            raise KeyError(key)
        word = entry[self.language]
        return word[:1].upper() + word[1:]

    def __getattr__(self, key: str) -> str:
        if key.startswith("_"):
            raise AttributeError(key)
        try:
            return self[key]
        except KeyError as exc:
            raise AttributeError(key) from exc

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)


@cache
def words(language: str) -> Words:
    """Return the glossary in a language (sv or en; anything else is sv)."""
    return Words(language)


def join(items: list[str], language: str, limit: int | None = None) -> str:
    """Join items as prose: `a, b och c`; beyond limit, `a, b och 3 till` (`a, b and 3 more`)."""
    word = words(language)
    if limit is not None and len(items) > limit:
        return ", ".join(items[:limit]) + f" {word['and']} " + word["n_more"].format(n=len(items) - limit)
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {word['and']} " + items[-1]


def quoted(text: str, language: str) -> str:
    """Quote a title as the language does: ”…” in Swedish, “…” in English."""
    return words(language)["quoted"].format(text=text)


def in_sentence(label: str) -> str:
    """Write a vocabulary label as inside a sentence: `Äldre` → `äldre`, but `LSS` stays `LSS`."""
    if len(label) > 1 and label[1].isupper():
        return label  # an abbreviation, not a capitalised word
    return label[:1].lower() + label[1:]
