"""Rebuild `src/insightmap/data/synonyms_sv.tsv.gz` from the Swedish thesaurus of LibreOffice.

    python benchmarks/build_synonyms.py /usr/share/mythes/th_sv_SE_v2.dat

The thesaurus is Viggo Kann's (KTH) `th_sv_SE_v2.dat` in MyThes format, from Debian's
package `mythes-sv` (`apt-get download mythes-sv`, then `dpkg -x`). It is ISO-8859-1: an
entry is `word|n` followed by n lines `|synonym|synonym…`. Only single words are kept
(no spaces, hyphens or digits), each is lemmatised with simplemma like the insights' text
(`insightmap.analyse.swedish.lemma`), and every entry becomes undirected links between
its headword and each synonym: synonymy is symmetric, and the synonyms of one entry are
not linked to each other because an entry mixes senses (*entré*: *ingång*, *förrätt*).
The output has one line per lemma, `lemma<TAB>synonym synonym…`, sorted, gzipped with a
fixed timestamp so a rebuild from the same input gives the same bytes.
"""

from __future__ import annotations

import argparse
import gzip
import re
import sys
from pathlib import Path

from insightmap.analyse.swedish import lemma

OUTPUT = Path(__file__).resolve().parents[1] / "src" / "insightmap" / "data" / "synonyms_sv.tsv.gz"
_SINGLE_WORD = re.compile(r"[^\W\d_]{2,}")


def entries(lines: list[str]) -> list[tuple[str, list[str]]]:
    """Return each (headword, synonyms) of a MyThes file's lines (the first line names the encoding)."""
    found: list[tuple[str, list[str]]] = []
    at = 1
    while at < len(lines):
        head, _, count = lines[at].partition("|")
        meanings = int(count)
        synonyms = [s for line in lines[at + 1 : at + 1 + meanings] for s in line.split("|")[1:]]
        found.append((head, synonyms))
        at += 1 + meanings
    return found


def links(found: list[tuple[str, list[str]]]) -> dict[str, set[str]]:
    """Return each lemma's synonym lemmas, single words only, both directions."""
    graph: dict[str, set[str]] = {}
    for head, synonyms in found:
        word = head.strip().casefold()
        if not _SINGLE_WORD.fullmatch(word):
            continue
        root = lemma(word)
        for synonym in synonyms:
            other = synonym.strip().casefold()
            if not _SINGLE_WORD.fullmatch(other) or lemma(other) == root:
                continue
            graph.setdefault(root, set()).add(lemma(other))
            graph.setdefault(lemma(other), set()).add(root)
    return graph


def main(argv: list[str] | None = None) -> int:
    """Read the thesaurus and write the gzipped lemma table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("thesaurus", type=Path, help="th_sv_SE_v2.dat (ISO-8859-1, MyThes format)")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    lines = args.thesaurus.read_text(encoding="iso-8859-1").splitlines()
    graph = links(entries(lines))
    text = "".join(f"{word}\t{' '.join(sorted(graph[word]))}\n" for word in sorted(graph))
    with open(args.output, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as out:
        out.write(text.encode("utf-8"))
    print(f"{args.output}: {len(graph)} lemmas, {sum(map(len, graph.values())) // 2} links")
    return 0


if __name__ == "__main__":
    sys.exit(main())
