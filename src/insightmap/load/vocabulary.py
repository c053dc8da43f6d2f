"""The controlled vocabularies: keys, Swedish and English labels, normalisation with hints."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import yaml

from insightmap import hints

#: Record fields whose values come from a vocabulary of the same name.
VOCABULARY_FIELDS = ("perspective", "subpopulation", "shift", "theme", "area", "method")
#: The Venn circles, in the fixed order region keys use.
PERSPECTIVES = ("active-client", "risk-group", "general-public")
LANGUAGES = ("sv", "en")


@dataclass(frozen=True)
class Term:
    """One vocabulary term."""

    key: str
    sv: str
    en: str
    long_sv: str = ""
    long_en: str = ""
    aliases: tuple[str, ...] = ()

    def label(self, language: str = "sv", long: bool = False) -> str:
        """Return the term's label in the language (the long form where one exists)."""
        if long:
            text = self.long_sv if language == "sv" else self.long_en
            if text:
                return text
        return self.sv if language == "sv" else self.en


@dataclass
class Vocabulary:
    """All vocabularies by name; each keeps its terms in the order they were defined."""

    terms: dict[str, dict[str, Term]] = field(default_factory=dict)
    _lookup: dict[str, dict[str, str]] = field(default_factory=dict, repr=False)

    def add(self, name: str, term: Term) -> None:
        """Add or replace a term and index its key, labels and aliases."""
        self.terms.setdefault(name, {})[term.key] = term
        index = self._lookup.setdefault(name, {})
        for form in (term.key, term.sv, term.en, *term.aliases):
            index[_fold(form)] = term.key
        index[term.key] = term.key  # the exact key, found without folding

    def keys(self, name: str) -> list[str]:
        """Return the keys of a vocabulary in their defined order."""
        return list(self.terms.get(name, {}))

    def normalise(self, name: str, value: str) -> str | None:
        """Return the key for a key, label or alias (any case), or None when unknown."""
        index = self._lookup.get(name, {})
        # Most values are written as keys already: skip folding for them (large corpora).
        if value in index:
            return index[value]
        return index.get(_fold(value))

    def suggest(self, name: str, value: str) -> str | None:
        """Return the closest known key for an unknown value, for a 'did you mean' hint."""
        index = self._lookup.get(name, {})
        close = hints.suggest(_fold(value), index)
        return index[close] if close else None

    def hint(self, name: str, value: str) -> str:
        """Return the hint for an unknown value: `did you mean …?`, else the known keys."""
        close = self.suggest(name, value)
        return hints.phrase(close) if close else "known: " + ", ".join(self.keys(name))

    def label(self, name: str, key: str, language: str = "sv", long: bool = False) -> str:
        """Return the label of a key, or the key itself when it is not in the vocabulary."""
        term = self.terms.get(name, {}).get(key)
        return term.label(language, long) if term else key

    def term(self, name: str, key: str) -> Term | None:
        """Return the term for a key, if any."""
        return self.terms.get(name, {}).get(key)


def _fold(text: str) -> str:
    """Fold case, dashes and spacing so that `Risk group`, `risk-group` and `RISK_GROUP` match."""
    text = text.casefold().strip()
    for char in "-_–—":
        text = text.replace(char, " ")
    return " ".join(text.split())


def _term(key: str, spec: dict[str, Any]) -> Term:
    return Term(
        key=key,
        sv=str(spec.get("sv", key)),
        en=str(spec.get("en", key)),
        long_sv=str(spec.get("long_sv", "")),
        long_en=str(spec.get("long_en", "")),
        aliases=tuple(str(a) for a in spec.get("aliases", ())),
    )


@cache
def _builtin_spec() -> dict[str, dict[str, dict[str, Any]]]:
    text = resources.files("insightmap").joinpath("data/vocabulary.yml").read_text("utf-8")
    # Our own data: the C loader is as safe here and about ten times faster.
    data: dict[str, dict[str, dict[str, Any]]] = yaml.load(
        text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    )
    return data


def builtin() -> Vocabulary:
    """Return a fresh copy of the built-in vocabularies."""
    vocabulary = Vocabulary()
    for name, terms in _builtin_spec().items():
        for key, spec in terms.items():
            vocabulary.add(name, _term(key, spec))
    return vocabulary


def extended(extensions: dict[str, dict[str, dict[str, Any]]]) -> Vocabulary:
    """Return the built-in vocabularies plus validated extensions from insightmap.yml."""
    vocabulary = builtin()
    for name, terms in extensions.items():
        for key, spec in terms.items():
            vocabulary.add(name, _term(key, spec))
    return vocabulary
