"""Swedish words for comparing insights: lemmas (simplemma), compound parts, genre stop words.

`lemmas(text)` tokenises, drops stop words, lemmatises every word with
simplemma's Swedish dictionary (it ships its data: *jobbet*, *jobbar* → *jobb*,
*jobba*; *kvinnan*, *kvinnor* → *kvinna*; *pappor* → *pappa* but *papper* stays
*papper*, where the snowball stemmer made both *papp*) and drops the insight
genre's boilerplate (*insikten talar för*, *berättade*, *beskriver*). A compound
also yields its parts (`compound_parts`: *telefontid* → *telefon*, *tid*;
*arbetstid* → *arbete*, *tid*), split where both sides are words simplemma
knows, so *telefontid*, *arbetstid* and *kontorstid* share *tid*. Everything
here depends on the word alone, never on the corpus: adding a record changes
no other record's terms.
"""

from __future__ import annotations

from functools import cache

from insightmap.analyse.text import STOP_WORDS as BASE_STOP_WORDS
from insightmap.analyse.text import tokenise

#: Function words missing from the base list (`på` above all) and words of the insight genre
#: that every record uses whatever it teaches ("Insikten talar för…", "Flera berättade att…").
STOP_WORDS: frozenset[str] = BASE_STOP_WORDS | frozenset(
    """
på åt sen samt dock utifrån kring bland samma olika
insikt insikten insikter insikterna talar tala berättade berätta berättar beskriver beskrev
beskrivit beskriva uppger uppgav framkom framkommer visar visade intervjuade intervjuerna
deltagare deltagarna flera många fler ofta några vissa
""".split()
)
#: Lemmas of the genre words above, for inflected forms the list does not spell out.
GENRE_LEMMAS: frozenset[str] = frozenset(
    "insikt tala berätta beskriva uppge framkomma visa intervjua intervju deltagare".split()
)
#: Shortest word that is tried as a compound, and shortest part it may split into.
COMPOUND_MIN = 7
PART_MIN = 3


@cache
def _lemmatizer():  # type: ignore[no-untyped-def]
    import simplemma

    return simplemma


@cache
def lemma(word: str) -> str:
    """Return simplemma's Swedish lemma of a lower-case word (the word itself when unknown)."""
    found: str = _lemmatizer().lemmatize(word, lang="sv")
    return found.casefold()


@cache
def known(word: str) -> bool:
    """Return whether simplemma's Swedish dictionary knows the word."""
    return bool(_lemmatizer().is_known(word, lang="sv"))


@cache
def compound_parts(word: str) -> tuple[str, ...]:
    """Return the lemmas of a compound's modifier and head, or () when it does not split.

    The head is the longest known final part (Swedish compounds inflect at the end);
    a linking `s` (*arbetstid*) is dropped from the modifier when that makes it known.
    """
    if len(word) < COMPOUND_MIN:
        return ()
    for cut in range(PART_MIN, len(word) - PART_MIN + 1):
        head = word[cut:]
        if not known(head):
            continue
        modifier = word[:cut]
        if not known(modifier) and modifier.endswith("s") and len(modifier) > PART_MIN:
            modifier = modifier[:-1]
        if known(modifier):
            return lemma(modifier), lemma(head)
    return ()


def lemmas(text: str, compounds: bool = True) -> list[str]:
    """Return the lemmas of the text's content words in order, each compound followed by its parts."""
    out: list[str] = []
    for word in tokenise(text):
        if word in STOP_WORDS:
            continue
        root = lemma(word)
        if root in GENRE_LEMMAS or root in STOP_WORDS:
            continue
        out.append(root)
        if compounds:
            out.extend(p for p in compound_parts(root) if p not in STOP_WORDS)
    return out
