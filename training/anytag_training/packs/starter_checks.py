"""Behaviour checks of the starter pack on the shared reference photos.

Run by the builder before it writes pack.json (a pack that fails them is not written) and by
the tests. Expectations (measured once by hand on ../shared/reference/photos):
- the query "bird" scores parrot, bird and owl above hot_dog and cat;
- "cat" ranks the cat photos first, "food" ranks hot_dog first, "insect" ranks dragonfly first;
- parrot.jpg's heaviest rows include bird, parrot and macaw.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .photos import sdl_scores

QUERIES = ("bird", "cat", "food", "insect")


@dataclass
class CheckReport:
    """Rankings per query (photo stems, best first), parrot's heaviest rows, and failures."""

    rankings: dict[str, list[tuple[str, float]]] = field(default_factory=dict)
    parrot_rows: list[tuple[str, float]] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


def _expect(report: CheckReport, ok: bool, message: str) -> None:
    if not ok:
        report.failures.append(message)


def check_starter(photos: list[Path], embeddings: np.ndarray, top_names: list[list[str]],
                  top_weights: np.ndarray, query_vectors: dict[str, np.ndarray]) -> CheckReport:
    """Check embeddings [n, K, d] of `photos` (same order) against the expectations above.

    top_names[i] / top_weights[i] are photo i's K rows' label names and weights, heaviest first.
    query_vectors maps each of QUERIES to its unit vector.
    """
    stems = [p.stem for p in photos]
    report = CheckReport()
    for query in QUERIES:
        scores = sdl_scores(embeddings, query_vectors[query])  # [n]
        order = np.argsort(-scores)
        report.rankings[query] = [(stems[i], float(scores[i])) for i in order]
    rank = {q: [s for s, _ in r] for q, r in report.rankings.items()}
    score = {q: dict(r) for q, r in report.rankings.items()}
    if "parrot" in stems:
        i = stems.index("parrot")
        report.parrot_rows = list(zip(top_names[i], map(float, top_weights[i])))
        heavy = set(top_names[i][:8])
        _expect(report, {"bird", "parrot", "macaw"} <= heavy,
                f"parrot.jpg heaviest rows {top_names[i][:8]} lack bird/parrot/macaw")
    birds = [s for s in ("parrot", "bird", "owl") if s in stems]
    others = [s for s in ("hot_dog", "cat") if s in stems]
    for b in birds:
        for o in others:
            _expect(report, score["bird"][b] > score["bird"][o],
                    f"'bird' scores {b} ({score['bird'][b]:.3f}) <= {o} ({score['bird'][o]:.3f})")
    cats = [s for s in stems if s.startswith("cat")]
    _expect(report, set(rank["cat"][: len(cats)]) == set(cats),
            f"'cat' ranks {rank['cat'][:len(cats)]} first, expected {cats}")
    for query, photo in (("food", "hot_dog"), ("insect", "dragonfly")):
        if photo in stems:
            _expect(report, rank[query][0] == photo,
                    f"'{query}' ranks {rank[query][0]} first, expected {photo}")
    return report
