"""Similar organisations ("who to learn from"): cosine between organisations' tag profiles."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from insightmap.analyse.recurring import tag_features
from insightmap.records import Record

SIMILAR_MIN = 0.6
SIMILAR_PER_ORGANISATION = 3
SHARED_TAGS = 5


@dataclass(frozen=True)
class SimilarOrganisations:
    """Two organisations with similar insight profiles and the tags they share most."""

    a: str
    b: str
    score: float
    shared: tuple[str, ...]  # "field:key", strongest first

    def to_dict(self) -> dict[str, Any]:
        """Return the pair as JSON-ready data."""
        return {"a": self.a, "b": self.b, "score": self.score, "shared": list(self.shared)}


def similar_organisations(records: Sequence[Record]) -> list[SimilarOrganisations]:
    """Return pairs of organisations whose tag profiles are most alike, best first."""
    by_org: dict[str, list[Record]] = {}
    for r in records:
        by_org.setdefault(r.organisation, []).append(r)
    orgs = sorted(by_org)
    features = sorted({f for r in records for f in tag_features(r)})
    if len(orgs) < 2 or not features:
        return []
    column = {f: i for i, f in enumerate(features)}
    profile = np.zeros((len(orgs), len(features)))
    for o, key in enumerate(orgs):
        for r in by_org[key]:
            for f in set(tag_features(r)):
                profile[o, column[f]] += 1.0 / len(by_org[key])
    df = (profile > 0).sum(axis=0)
    profile *= np.log((1.0 + len(orgs)) / (1.0 + df)) + 1.0
    norms = np.linalg.norm(profile, axis=1)
    norms[norms == 0] = 1.0
    profile /= norms[:, np.newaxis]
    scores = profile @ profile.T
    np.fill_diagonal(scores, -1.0)
    pairs: set[tuple[int, int]] = set()
    for o in range(len(orgs)):
        best = sorted(range(len(orgs)), key=lambda p: (-scores[o, p], p))[:SIMILAR_PER_ORGANISATION]
        pairs.update((min(o, p), max(o, p)) for p in best if scores[o, p] >= SIMILAR_MIN)
    result = []
    for a, b in pairs:
        contribution = profile[a] * profile[b]
        shared = sorted((-c, features[i]) for i, c in enumerate(contribution) if c > 0)
        result.append(
            SimilarOrganisations(
                orgs[a], orgs[b], round(float(scores[a, b]), 3), tuple(f for _, f in shared[:SHARED_TAGS])
            )
        )
    result.sort(key=lambda s: (-s.score, s.a, s.b))
    return result
