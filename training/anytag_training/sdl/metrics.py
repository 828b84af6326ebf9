"""Evaluation as in the paper's protocol (and the official helper code).

- mAP: average precision per label, ranking the images by the label's score, averaged over labels.
  Only images with at least one relevant label take part (official `get_only_relevant_gt`).
  Labels with no positive image are skipped (the official code counts them as AP 0).
- F1@k: per image, the top-k ranked labels; micro-averaged over images:
  P = TP / (n·k), R = TP / #positives, F1 = 2PR / (P + R).
- ZSL ranks only the unseen labels; GZSL ranks all labels (seen + unseen).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np


def average_precision(scores: np.ndarray, relevant: np.ndarray) -> float:
    """AP = mean over positives of precision at that positive's rank.  scores, relevant: [M]."""
    order = np.argsort(-scores, kind="stable")
    hits = relevant[order].astype(bool)  # [M] in ranked order
    n_pos = int(hits.sum())
    if n_pos == 0:
        return float("nan")
    precision_at_i = np.cumsum(hits) / np.arange(1, len(hits) + 1)  # [M]
    return float(precision_at_i[hits].sum() / n_pos)


def mean_average_precision(scores: np.ndarray, targets: np.ndarray) -> float:
    """scores, targets: [M images, L labels] → mean AP over labels that have ≥ 1 positive."""
    keep = targets.any(axis=1)  # images with ≥ 1 relevant label
    scores, targets = scores[keep], targets[keep]
    aps = [average_precision(scores[:, j], targets[:, j]) for j in range(targets.shape[1]) if targets[:, j].any()]
    return float(np.mean(aps)) if aps else float("nan")


def f1_at_k(scores: np.ndarray, targets: np.ndarray, k: int) -> tuple[float, float, float]:
    """Micro precision, recall, F1 of the top-k labels per image.  scores, targets: [M, L]."""
    keep = targets.any(axis=1)
    scores, targets = scores[keep], targets[keep].astype(bool)
    if len(scores) == 0:
        return float("nan"), float("nan"), float("nan")
    k = min(k, scores.shape[1])
    top = np.argsort(-scores, axis=1, kind="stable")[:, :k]  # [M, k]
    tp = float(np.take_along_axis(targets, top, axis=1).sum())
    precision = tp / (len(scores) * k)
    recall = tp / float(targets.sum())
    f1 = 0.0 if tp == 0 else 2 * precision * recall / (precision + recall)
    return precision, recall, f1


@dataclass(frozen=True)
class ZslGzslReport:
    zsl_map: float
    zsl_f1_3: float
    zsl_f1_5: float
    gzsl_map: float
    gzsl_f1_3: float
    gzsl_f1_5: float

    def as_dict(self) -> dict[str, float]:
        return asdict(self)


def evaluate_zsl_gzsl(scores: np.ndarray, targets: np.ndarray, unseen: np.ndarray) -> ZslGzslReport:
    """scores, targets: [M, L] over all labels; unseen: [L] bool mask of the unseen labels."""
    zs, zt = scores[:, unseen], targets[:, unseen]
    return ZslGzslReport(
        zsl_map=mean_average_precision(zs, zt),
        zsl_f1_3=f1_at_k(zs, zt, 3)[2],
        zsl_f1_5=f1_at_k(zs, zt, 5)[2],
        gzsl_map=mean_average_precision(scores, targets),
        gzsl_f1_3=f1_at_k(scores, targets, 3)[2],
        gzsl_f1_5=f1_at_k(scores, targets, 5)[2],
    )
