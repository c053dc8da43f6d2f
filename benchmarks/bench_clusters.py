"""Benchmark `compute_clusters` on N deterministic synthetic insights.

Usage: `python benchmarks/bench_clusters.py 1000 10000` (prints one JSON line per N).
`run(n)` returns wall time, peak traced memory, the process's max RSS and how
many of the planted recurring groups came back as recurring clusters.

The insights are built in memory (no files), so only the clustering is timed:
Swedish-looking titles and bodies (~15 + ~110 words) on 24 topics, realistic
tags, 120 organisations, and every 25th finding planted in 3–4 organisations
with paraphrased wording (some words dropped, reordered, inflected).
"""

from __future__ import annotations

import json
import random
import resource
import sys
import time
import tracemalloc
from typing import Any

from insightmap.analyse.clusters import compute_clusters
from insightmap.load.organisations import Register, municipalities
from insightmap.load.vocabulary import builtin
from insightmap.records import Config, Corpus, Record

TOPICS = [
    "telefontid lunchen receptionen ringa kontorstid stängt arbetar öppettider kvällen",
    "förskolan pedagoger familjer föräldrar stöd tidigt samverkan barnhälsovården",
    "skolan elever kurator lärare frånvaro kompis hemma oro",
    "hemlöshet boende härbärge tak kvinnor tillfälligt bostad trygghet",
    "beroende missbruk behandling återfall drogfrihet vården psykiatri samsjuklighet",
    "ekonomiskt bistånd underlag kvitton månad arbete handläggare ansökan",
    "ensamhet träffa relationer pratcafé gemenskap äldre mötesplats",
    "språk tolk nyanlända information begripligt brev myndighet",
    "rädsla tillit anmälan utredning barn tas förtroende hot",
    "digitalt chatt app mobilen e-tjänst inloggning bankid",
    "anhöriga anhörigvårdare avlastning kunskap delaktighet stödgrupp",
    "unga vuxna placering arton eftervård kontakt övergång",
    "våld jouren skyddat boende partner polis skyddsbedömning",
    "funktionsnedsättning assistans daglig verksamhet tillgänglighet ramp",
    "fältteam fritidsgården kvällar helger trygga vuxna ungdomar",
    "föräldraskapsstöd grupper pappor mammor kurs hembesök",
    "återkoppling svar synpunkter klagomål förslag inflytande",
    "samordning planering regionen kommunen ansvar vårdplan",
    "arbetsmarknad praktik sysselsättning studier jobb",
    "äldreomsorg hemtjänst biståndshandläggare trygghetslarm",
    "skuld budget rådgivning ekonomi hyra vräkning",
    "drop-in rätt dörr vägledning besök väntan kö",
    "barnets röst samtal utredda barn beslut delaktighet",
    "idrott kultur föreningar fritid aktivitet avgift",
]
GENERAL = (
    "invånare upplever behöver vill beskriver berättar saknar önskar möter uppskattar "
    "tydligt ofta sällan svårt viktigt enkelt tidigt länge snabbt tillsammans socialtjänsten "
    "kommunen verksamheten personal kontakt hjälp stöd insats vardag möte fråga"
).split()
FILLER = "och att det som en är för på med inte de till av har om när men så".split()
SYLLABLES = (
    "bo ka ri ste lun mor ved sta gran holm vik berg strand dal sjö ljus fjäll "
    "skog äng myr sten tall björk gård bro torp hav"
).split()
SUFFIXES = "en et arna ande lig het ning skap or".split()
TAGS = {
    "perspective": [
        ("active-client",),
        ("general-public",),
        ("risk-group",),
        ("active-client", "risk-group"),
        ("general-public", "risk-group"),
    ],
    "subpopulation": [
        "adults",
        "children-youth",
        "families",
        "young-adults",
        "older-people",
        "addiction",
        "mental-ill-health",
        "homeless",
        "relatives-carers",
        "newly-arrived",
        "violence-exposed",
        "parents-expecting",
    ],
    "shift": [
        "acute-to-preventive",
        "organisation-to-individual",
        "silos-to-collaboration",
        "closed-to-accessible",
        "distrust-to-trust",
        "passive-to-co-creation",
        "investigation-to-open-services",
        "analogue-to-digital",
    ],
    "theme": [
        "accessibility-trust",
        "collaboration",
        "resident-influence",
        "open-services",
        "culture-change",
        "law",
    ],
    "area": [
        "homelessness",
        "financial-assistance",
        "addiction",
        "social-psychiatry",
        "domestic-violence",
        "child-youth-care",
        "disability",
        "elderly-care",
    ],
}
PLANT_EVERY = 25


def _lexicon(rng: random.Random, size: int = 4000) -> list[str]:
    """Return made-up Swedish-looking content words (drawn Zipf-like: a few common, most rare)."""
    words = {
        "".join(rng.choice(SYLLABLES) for _ in range(rng.choice((2, 2, 3)))) + rng.choice(SUFFIXES)
        for _ in range(size * 2)
    }
    return sorted(words)[:size]


def _text(rng: random.Random, pools: list[tuple[list[str], float]], length: int) -> str:
    """Return sentences drawing each word from one of the weighted pools."""
    words, weights = zip(*pools, strict=True)
    out = [rng.choice(rng.choices(words, weights)[0]) for _ in range(length)]
    return " ".join(" ".join(out[i : i + 12]).capitalize() + "." for i in range(0, len(out), 12))


def _tags(rng: random.Random) -> dict[str, tuple[str, ...]]:
    return {
        "perspective": rng.choice(TAGS["perspective"]),
        "subpopulation": tuple(sorted(set(rng.sample(TAGS["subpopulation"], rng.choice((1, 1, 2)))))),
        "shift": tuple(sorted(rng.sample(TAGS["shift"], rng.choice((0, 1, 2))))),
        "theme": tuple(sorted(rng.sample(TAGS["theme"], rng.choice((0, 1))))),
        "area": tuple(sorted(rng.sample(TAGS["area"], rng.choice((0, 1))))),
    }


def synthetic_insights(n: int, seed: int = 2026) -> tuple[list[Record], list[list[str]]]:
    """Return n synthetic insights and the ids of the planted recurring groups."""
    rng = random.Random(seed)
    orgs = [m.slug for m in municipalities()[:120]]
    lexicon = _lexicon(rng)
    zipf = [1.0 / (rank + 1) for rank in range(len(lexicon))]
    records: list[Record] = []
    planted: list[list[str]] = []

    def add(org: str, title: str, body: str, tags: dict[str, tuple[str, ...]]) -> str:
        rid = f"{org}/i{len(records):05d}"
        records.append(
            Record(
                id=rid,
                kind="insight",
                path=f"insights/{rid}.md",
                line=1,
                title=title,
                organisation=org,
                date=f"{rng.randint(2020, 2025)}-{rng.randint(1, 12):02d}",
                body=body,
                **tags,
            )
        )
        return rid

    while len(records) < n:
        topic = rng.choice(TOPICS).split()
        tags = _tags(rng)
        if len(records) % PLANT_EVERY == 0 and n - len(records) >= 4:
            # One finding, written up by 3-4 organisations in their own words.
            finding = rng.choices(lexicon, zipf, k=6) + rng.sample(topic, 3)
            group = []
            for org in rng.sample(orgs, rng.choice((3, 4))):
                own = rng.choices(lexicon, zipf, k=40)
                title = _text(rng, [(finding, 3), (GENERAL, 1), (FILLER, 2)], 14)
                body = _text(rng, [(finding, 2), (own, 3), (topic, 1), (GENERAL, 2), (FILLER, 4)], 110)
                group.append(add(org, title, body, tags))
            planted.append(sorted(group))
            continue
        own = rng.choices(lexicon, zipf, k=40)
        title = _text(rng, [(own, 3), (topic, 1), (GENERAL, 1), (FILLER, 2)], 14)
        body = _text(rng, [(own, 5), (topic, 1), (GENERAL, 2), (FILLER, 4)], 110)
        add(rng.choice(orgs), title, body, tags)
    return records, planted


def run(n: int, trace_memory: bool = True, compare_exact: bool = False) -> dict[str, Any]:
    """Cluster n synthetic insights; return timings, memory and planted-group recovery.

    compare_exact also clusters them with exact neighbours and says whether the recurring
    clusters are the same (they are found approximately from `recurring.ANN_FROM` insights on).
    """
    records, planted = synthetic_insights(n)
    corpus = Corpus(records, [], Register(), builtin(), Config())
    start = time.perf_counter()
    report = compute_clusters(records, corpus)
    seconds = time.perf_counter() - start
    peak = None
    if trace_memory:
        tracemalloc.start()
        compute_clusters(records, corpus)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    found = {c.insights for c in report.recurring}
    exact = sum(tuple(g) in found for g in planted)
    same = None
    if compare_exact:
        from insightmap.analyse import recurring

        approximate_from, recurring.ANN_FROM = recurring.ANN_FROM, n + 1
        try:
            same = [c.insights for c in compute_clusters(records, corpus).recurring] == [
                c.insights for c in report.recurring
            ]
        finally:
            recurring.ANN_FROM = approximate_from
    return {
        "n": n,
        "seconds": round(seconds, 2),
        "peak_traced_mb": round(peak / 2**20, 1) if peak is not None else None,
        "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "recurring": len(report.recurring),
        "planted": len(planted),
        "planted_exact": exact,
        "organisations": len(report.organisations),
        "same_clusters_as_exact": same,
    }


if __name__ == "__main__":
    # --no-trace: time one run only (tracemalloc doubles the time; max RSS is still reported).
    # --compare-exact: also cluster with exact neighbours and say whether the clusters are the same.
    trace = "--no-trace" not in sys.argv
    compare = "--compare-exact" in sys.argv
    for arg in [a for a in sys.argv[1:] if not a.startswith("--")] or ["1000", "10000"]:
        start_cpu = time.process_time()
        result = run(int(arg), trace_memory=trace, compare_exact=compare)
        result["cpu_seconds_total"] = round(time.process_time() - start_cpu, 1)
        print(json.dumps(result), flush=True)
