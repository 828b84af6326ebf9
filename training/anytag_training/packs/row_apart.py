"""A row vector kept apart from labels it must not tag (signals.SCENE_APART).

A scene row's word vector is near the phrase labels that start with the word (GloVe's "water" is
0.86 with "water bottle"), so a photo weighted on the row scores them nearly as high as the word.
keep_apart finds the unit vector nearest the word's whose cosine with each of those labels is at
most a cap: maximise <v, target> subject to |v| = 1 and <v, c_i> <= cap, by projected gradient
steps on the over-cap cosines (100-d vectors, a few labels: milliseconds).
"""

from __future__ import annotations

import numpy as np

STEP = 0.05
MAX_STEPS = 20000
TOLERANCE = 1e-4


def compound_labels(word: str, names: list[str]) -> list[int]:
    """Indices of the labels that hold `word` as one of several words ("water bottle")."""
    return [i for i, name in enumerate(names) if name != word and word in name.split()]


def keep_apart(target: np.ndarray, others: np.ndarray, cap: float) -> np.ndarray:
    """The unit vector near `target` [d] with cosine <= cap (+1e-4) to each unit row of `others`
    [n, d]; `target` itself (normalised) when it already is. ValueError if no such vector is
    found (a cap the rows leave no room for)."""
    v = (target / np.linalg.norm(target)).astype(np.float64)
    rows = np.asarray(others, dtype=np.float64).reshape(-1, v.shape[0])
    for _ in range(MAX_STEPS):
        over = np.maximum(rows @ v - cap, 0.0)
        if over.size == 0 or over.max() <= TOLERANCE:
            return v.astype(np.float32)
        v = v - STEP * (over[:, None] * rows).sum(axis=0)
        v /= np.linalg.norm(v)
    raise ValueError(f"keep_apart: no unit vector within cosine {cap} of all {len(rows)} rows")
