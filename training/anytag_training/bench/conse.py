"""ConSE (Norouzi et al., ICLR 2014): the ImageNet classifier's top-T probabilities weight the
class names' word vectors — the starter pack's idea without its WordNet hypernym rows.

    f(x) = Σ_{t≤T} p(y_t | x) · v(y_t) / Σ_{t≤T} p(y_t | x),  score(w) = cos(f(x), w)

Returned as SDL-shaped matrices A [M, 1, d] (unit rows) so the same evaluation applies.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..sdl.word_vectors import WordVectors


def class_name_vectors(labels_txt: Path, words: WordVectors) -> tuple[np.ndarray, np.ndarray]:
    """(class indices with a vector, their unit vectors [C, d]): the first lemma of each line of
    imagenet_labels.txt that the word table knows (a phrase = mean of its tokens)."""
    idx, vecs = [], []
    for i, line in enumerate(Path(labels_txt).read_text("utf-8").splitlines()):
        for lemma in line.split(","):
            lemma = lemma.strip().replace("-", " ").replace("'", "")
            if lemma and lemma != "background" and words.has(lemma):
                idx.append(i)
                vecs.append(words.vector(lemma))
                break
    return np.asarray(idx), np.stack(vecs)


def conse_matrices(probs: np.ndarray, class_idx: np.ndarray, class_vectors: np.ndarray, top: int = 10) -> np.ndarray:
    """probs [M, C_all] → A [M, 1, d]."""
    p = probs[:, class_idx]  # [M, C]
    top_idx = np.argsort(-p, axis=1)[:, :top]  # [M, T]
    w = np.take_along_axis(p, top_idx, axis=1)  # [M, T]
    f = np.einsum("mt,mtd->md", w, class_vectors[top_idx]) / w.sum(axis=1, keepdims=True)  # [M, d]
    f /= np.linalg.norm(f, axis=1, keepdims=True)
    return f[:, None, :].astype(np.float32)  # [M, 1, d]
