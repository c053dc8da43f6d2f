"""Score `insightmap clusters` on the labelled Swedish development set in `clusters_devset/`.

    python benchmarks/score_clusters.py            # the whole set: a table, overall and by difficulty
    python benchmarks/score_clusters.py --slice    # the half that the regression test runs
    python benchmarks/score_clusters.py --json

The set (`groups.yaml`, `negatives.yaml`, `singletons.yaml`) holds one learning written up
independently by 2-4 organisations (25 groups, each marked `words`, `synonyms` or `disjoint`
by how many key words the write-ups share), 25 sets of hard negatives (records that share
words and tags but teach different things; `against:` names a group whose members they must
not join either) and singletons. Record ids are neutral (`org/d042`), so nothing but the
text and the tags can tell the clusterer which records belong together.

Figures: *pair precision* is the share of pairs placed in one recurring cluster that are
truly the same learning; *pair recall* the share of true pairs placed together; a group is
*whole* when all its members land in one cluster; *hard negatives merged* is the share of
hard-negative pairs placed together. By difficulty, precision counts the predicted pairs
that touch a group of that difficulty; overall, every predicted pair.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import Any

import yaml

from insightmap.load.organisations import Register
from insightmap.load.vocabulary import builtin
from insightmap.records import Config, Corpus, Record

HERE = Path(__file__).resolve().parent / "clusters_devset"
FIELDS = ("perspective", "subpopulation", "shift", "theme", "area")
PERSPECTIVE = {"ac": "active-client", "rg": "risk-group", "gp": "general-public"}
DIFFICULTIES = ("words", "synonyms", "disjoint")
Pair = tuple[str, str]


@dataclass(frozen=True)
class DevSet:
    """The records of the set and what is known about them."""

    records: list[Record]
    groups: dict[str, tuple[str, ...]]  # group id -> record ids
    difficulty: dict[str, str]  # group id -> words | synonyms | disjoint
    negatives: set[Pair]  # hard-negative pairs (sorted ids)

    def corpus(self) -> Corpus:
        """Return an in-memory corpus of the records (organisations known without config)."""
        return Corpus(self.records, [], Register(), builtin(), Config())


def _pair(a: str, b: str) -> Pair:
    return (a, b) if a < b else (b, a)


def _record(raw: dict[str, Any], rid: str, source: str) -> Record:
    """Build one insight from its compact YAML form."""
    values = str(raw["t"]).split("|")
    tags = {
        name: tuple(PERSPECTIVE.get(v, v) for v in value.split(",") if v)
        for name, value in zip(FIELDS, values, strict=True)
    }
    return Record(
        id=rid,
        kind="insight",
        path=f"insights/{rid}.md",
        line=1,
        title=str(raw["title"]).strip(),
        organisation=str(raw["o"]),
        date=str(raw["d"]),
        body=str(raw["body"]).strip(),
        quotes=tuple(str(q) for q in raw.get("q", ())),
        source=source,
        **tags,
    )


def load(half: bool = False) -> DevSet:
    """Load the set; `half` keeps every other group, negative set and singleton (the CI slice)."""

    def read(name: str) -> list[dict[str, Any]]:
        data = yaml.safe_load((HERE / name).read_text(encoding="utf-8"))
        return [item for i, item in enumerate(data) if not half or i % 2 == 0]

    entries: list[tuple[str, dict[str, Any]]] = []  # (label, raw record)
    difficulty: dict[str, str] = {}
    for group in read("groups.yaml"):
        difficulty[group["id"]] = group["difficulty"]
        entries += [(f"group:{group['id']}", r) for r in group["records"]]
    negative_sets: list[tuple[str | None, list[int]]] = []
    for neg in read("negatives.yaml"):
        start = len(entries)
        entries += [(f"negative:{neg['id']}", r) for r in neg["records"]]
        negative_sets.append((neg.get("against"), list(range(start, len(entries)))))
    entries += [("singleton", r) for r in read("singletons.yaml")]
    # Neutral ids in a shuffled order: the id must not give the answer away.
    order = list(range(len(entries)))
    random.Random(17).shuffle(order)
    ids = {i: f"{entries[i][1]['o']}/d{rank:03d}" for rank, i in enumerate(order)}
    records = [_record(raw, ids[i], label) for i, (label, raw) in enumerate(entries)]
    records.sort(key=lambda r: r.id)
    groups: dict[str, list[str]] = {}
    for i, (label, _) in enumerate(entries):
        if label.startswith("group:"):
            groups.setdefault(label[6:], []).append(ids[i])
    negatives: set[Pair] = set()
    for against, members in negative_sets:
        negatives.update(_pair(ids[a], ids[b]) for a, b in combinations(members, 2))
        for other in groups.get(against or "", []):
            negatives.update(_pair(ids[m], other) for m in members)
    return DevSet(records, {g: tuple(sorted(m)) for g, m in groups.items()}, difficulty, negatives)


def pairs_of(clusters: Iterable[Sequence[str]]) -> set[Pair]:
    """Return every pair of records placed in one cluster."""
    return {_pair(a, b) for members in clusters for a, b in combinations(members, 2)}


def score(dev: DevSet, clusters: Sequence[Sequence[str]]) -> dict[str, dict[str, Any]]:
    """Return the figures, overall and by difficulty, for clusters given as lists of ids."""
    predicted = pairs_of(clusters)
    cluster_of = {i: n for n, members in enumerate(clusters) for i in members}
    group_of = {i: g for g, members in dev.groups.items() for i in members}
    result: dict[str, dict[str, Any]] = {}
    for level in ("all", *DIFFICULTIES):
        names = [g for g in dev.groups if level in ("all", dev.difficulty[g])]
        truth = pairs_of(dev.groups[g] for g in names)
        touching = (
            predicted
            if level == "all"
            else {p for p in predicted if group_of.get(p[0]) in names or group_of.get(p[1]) in names}
        )
        whole = sum(
            1
            for g in names
            if dev.groups[g][0] in cluster_of
            and all(cluster_of.get(i) == cluster_of[dev.groups[g][0]] for i in dev.groups[g])
        )
        row: dict[str, Any] = {
            "groups": len(names),
            "precision": round(len(touching & truth) / len(touching), 3) if touching else None,
            "recall": round(len(predicted & truth) / len(truth), 3) if truth else None,
            "whole": whole,
        }
        if level == "all":
            row["predicted_pairs"] = len(predicted)
            row["negatives_merged"] = round(len(predicted & dev.negatives) / len(dev.negatives), 3)
            row["clusters"] = len(clusters)
        result[level] = row
    return result


def run(half: bool = False, **options: Any) -> dict[str, dict[str, Any]]:
    """Cluster the set with `compute_clusters` and score the recurring clusters."""
    from insightmap.analyse.clusters import compute_clusters

    dev = load(half)
    report = compute_clusters(dev.records, dev.corpus(), **options)
    return score(dev, [c.insights for c in report.recurring])


def demo_figures(clusters: Sequence[Sequence[str]], known: Iterable[str] = ()) -> dict[str, Any]:
    """Score clusters of the demo corpus against the hand labels in `clusters_devset/demo.yaml`."""
    labels = yaml.safe_load((HERE / "demo.yaml").read_text(encoding="utf-8"))
    truth = pairs_of(labels["groups"].values())
    unsure = {_pair(a, b) for a, b in labels["unsure"]}
    missing = sorted({i for m in labels["groups"].values() for i in m} - set(known))
    if known and missing:
        raise SystemExit(f"demo.yaml names insights the demo does not have: {missing}")
    predicted = pairs_of(clusters) - unsure
    cluster_of = {i: n for n, members in enumerate(clusters) for i in members}
    whole = sum(
        1
        for m in labels["groups"].values()
        if m[0] in cluster_of and {cluster_of.get(i) for i in m} == {cluster_of[m[0]]}
    )
    return {
        "precision": round(len(predicted & truth) / len(predicted), 3) if predicted else None,
        "recall": round(len(predicted & truth) / len(truth), 3),
        "whole": whole,
        "groups": len(labels["groups"]),
        "predicted_pairs": len(predicted),
        "different_merged": len(predicted & {_pair(a, b) for a, b in labels["different"]}),
    }


def run_demo(root: Path = HERE.parents[1], **options: Any) -> dict[str, Any]:
    """Cluster the repository's demo corpus and score it against the hand labels."""
    from insightmap.analyse.clusters import compute_clusters
    from insightmap.load import load as load_corpus
    from insightmap.load.project import open_project

    corpus, _ = load_corpus(open_project(root))
    report = compute_clusters(corpus.insights, corpus, **options)
    return demo_figures([c.insights for c in report.recurring], [r.id for r in corpus.insights])


def table(figures: dict[str, dict[str, Any]]) -> str:
    """Return the figures as a Markdown table."""

    def cell(value: Any) -> str:
        return "–" if value is None else f"{value:.2f}" if isinstance(value, float) else str(value)

    overall = figures["all"]
    lines = [
        "| | pair precision | pair recall | groups whole | hard negatives merged |",
        "|---|---:|---:|---:|---:|",
        f"| all | {cell(overall['precision'])} | {cell(overall['recall'])} | "
        f"{overall['whole']} of {overall['groups']} | {overall['negatives_merged'] * 100:.0f} % |",
    ]
    for level in DIFFICULTIES:
        row = figures[level]
        whole = f"{row['whole']} of {row['groups']}"
        lines.append(f"| {level} | {cell(row['precision'])} | {cell(row['recall'])} | {whole} | |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Print the table (or JSON) for the whole set or the CI slice."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--slice", action="store_true", help="score the half that CI runs")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args(argv)
    figures = run(half=args.slice)
    demo = run_demo()
    if args.json:
        print(json.dumps({**figures, "demo": demo}, indent=2))
        return 0
    print(table(figures))
    print(
        f"| demo | {demo['precision']} | {demo['recall']} | {demo['whole']} of {demo['groups']} | "
        f"{demo['different_merged']} opposite pairs |"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
