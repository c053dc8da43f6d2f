"""Swedish words for comparing insights: lemmas (simplemma), compound parts, genre stop words.

`lemmas(text)` tokenises, drops stop words, lemmatises every word with
simplemma's Swedish dictionary (it ships its data: *jobbet*, *jobbar* → *jobb*,
*jobba*; *kvinnan*, *kvinnor* → *kvinna*; *pappor* → *pappa* but *papper* stays
*papper*, where the snowball stemmer made both *papp*) and drops the insight
genre's boilerplate (*insikten talar för*, *berättade*, *beskriver*). A compound
also yields its parts (`compound_parts`: *telefontid* → *telefon*, *tid*;
*arbetstid* → *arbete*, *tid*), split where both sides are words simplemma
knows, so *telefontid*, *arbetstid* and *kontorstid* share *tid*; a split whose
first part is a particle or preposition is not a compound but a derivation
(*mottagning*, *tillgång*, *underlag* would give *tagning*, *gång*, *lag*) and is
not made. Everything here depends on the word alone, never on the corpus:
adding a record changes no other record's terms.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from functools import cache, partial

import numpy as np
from scipy import sparse

from insightmap.analyse.text import STOP_WORDS as BASE_STOP_WORDS
from insightmap.analyse.text import raw_words, tokenise

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
            if modifier in STOP_WORDS or lemma(modifier) in STOP_WORDS:
                continue  # a particle or preposition: a derivation (*mottagning*), not a compound
            return lemma(modifier), lemma(head)
    return ()


def terms_of(word: str, compounds: bool = True) -> tuple[str, ...]:
    """Return the terms one lower-case word contributes: its lemma and compound parts, or none."""
    if len(word) < 2 or word in STOP_WORDS:
        return ()
    root = lemma(word)
    if root in GENRE_LEMMAS or root in STOP_WORDS:
        return ()
    if not compounds:
        return (root,)
    return (root, *(p for p in compound_parts(root) if p not in STOP_WORDS))


_terms_of = cache(terms_of)


def lemmas(text: str, compounds: bool = True) -> list[str]:
    """Return the lemmas of the text's content words in order, each compound followed by its parts."""
    return [term for word in tokenise(text) for term in _terms_of(word, compounds)]


#: From this many texts on, their words are read by forked workers, one per core (measured: ~8 of
#: ~11 CPU s of `term_counts` at 100,000 insights are the regular expression and the word codes).
PARALLEL_FROM = 20_000


def term_counts(texts: Sequence[str]) -> tuple[sparse.csr_matrix, tuple[str, ...]]:
    """Return how often each text holds each term of `lemmas` (one row per text), and the terms.

    The same counts as `Counter(lemmas(text))` per text, but every distinct word is
    analysed once and the counting is done by numpy: 100,000 insights hold about
    12 million words and only some 100,000 distinct ones.
    """
    distinct, codes, lengths = _words(texts)
    expansions = [_terms_of(w, True) for w in distinct]
    vocabulary = sorted({t for terms in expansions for t in terms})
    column = {t: i for i, t in enumerate(vocabulary)}
    sizes = np.fromiter((len(e) for e in expansions), dtype=np.int64, count=len(expansions))
    starts = np.concatenate([[0], np.cumsum(sizes)])[:-1]
    flat = np.fromiter((column[t] for e in expansions for t in e), dtype=np.int64, count=int(sizes.sum()))
    per_word = sizes[codes]
    rows = np.repeat(np.repeat(np.arange(len(texts), dtype=np.int64), lengths), per_word)
    offsets = np.repeat(starts[codes] - (np.cumsum(per_word) - per_word), per_word)
    cols = flat[offsets + np.arange(len(rows), dtype=np.int64)]
    counts = sparse.csr_matrix(
        (np.ones(len(rows)), (rows, cols)), shape=(len(texts), len(vocabulary)), dtype=np.float64
    )
    counts.sum_duplicates()
    return counts, tuple(vocabulary)


def _words(texts: Sequence[str]) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Return the distinct words in first-seen order, each word's code in order, and words per text.

    Many texts are split between forked workers (contiguous slices); their distinct words
    are merged in slice order, so the codes are the same as when one process reads all.
    """
    from insightmap.parallel import cores, in_parallel

    workers = cores() if len(texts) >= PARALLEL_FROM else 1
    size = -(-len(texts) // max(workers, 1))
    slices = [texts[i : i + size] for i in range(0, len(texts), size)] or [texts]
    parts = in_parallel([partial(_read_words, part) for part in slices], workers)
    distinct, codes, lengths = parts[0]
    code = {w: i for i, w in enumerate(distinct)}
    merged = [codes]
    for more, more_codes, _ in parts[1:]:
        # Each worker numbered its words from 0: renumber them into the first-seen order of all.
        remap = np.fromiter((code.setdefault(w, len(code)) for w in more), dtype=np.int64, count=len(more))
        merged.append(remap[more_codes])
    return list(code), np.concatenate(merged), np.concatenate([p[2] for p in parts])


def _read_words(texts: Sequence[str]) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Return the texts' distinct words in first-seen order, the code of every word, words per text."""
    code: dict[str, int] = {}
    codes = array("q")
    lengths = np.zeros(len(texts), dtype=np.int64)
    for i, text in enumerate(texts):
        found = raw_words(text)
        codes.extend([code.setdefault(w, len(code)) for w in found])
        lengths[i] = len(found)
    return list(code), np.frombuffer(codes, dtype=np.int64) if codes else np.zeros(0, np.int64), lengths
