"""Metrics on hand-made cases: AP/mAP per label over images, micro F1@k per image, ZSL/GZSL."""

import numpy as np
import pytest

from anytag_training.sdl.metrics import average_precision, evaluate_zsl_gzsl, f1_at_k, mean_average_precision


def test_average_precision_by_hand() -> None:
    scores = np.array([0.9, 0.8, 0.7, 0.6])
    assert average_precision(scores, np.array([1, 0, 1, 0])) == pytest.approx((1 / 1 + 2 / 3) / 2)
    assert average_precision(scores, np.array([0, 0, 0, 1])) == pytest.approx(1 / 4)
    assert np.isnan(average_precision(scores, np.zeros(4)))


def test_map_skips_labels_without_positives_and_images_without_labels() -> None:
    scores = np.array([[0.9, 0.1, 0.5], [0.2, 0.8, 0.4], [0.7, 0.3, 0.9], [0.99, 0.99, 0.99]])
    targets = np.array([[1, 0, 0], [0, 1, 0], [0, 1, 0], [0, 0, 0]])  # image 3 has no label: dropped
    # label 0: ranking 0.9, 0.7, 0.2 → positive first → AP 1
    # label 1: 0.8 (pos), 0.3 (pos), 0.1 → AP 1
    # label 2: no positive → skipped
    assert mean_average_precision(scores, targets) == pytest.approx(1.0)
    targets2 = np.array([[0, 0, 1], [0, 1, 0], [1, 0, 0], [0, 0, 0]])
    # label 0: 0.9 (neg), 0.7 (pos) → 1/2; label 1: 0.8 (pos) first → 1; label 2: 0.9 (neg), 0.5 (pos) → 1/2
    assert mean_average_precision(scores, targets2) == pytest.approx(2 / 3)


def test_f1_at_k_micro_by_hand() -> None:
    scores = np.array([[0.9, 0.8, 0.1, 0.0], [0.1, 0.2, 0.9, 0.8]])
    targets = np.array([[1, 0, 1, 0], [0, 0, 1, 0]])
    # top-2: image 0 → {0, 1}: 1 TP; image 1 → {2, 3}: 1 TP. P = 2/4, R = 2/3
    p, r, f1 = f1_at_k(scores, targets, 2)
    assert (p, r) == (pytest.approx(0.5), pytest.approx(2 / 3))
    assert f1 == pytest.approx(2 * 0.5 * (2 / 3) / (0.5 + 2 / 3))
    assert f1_at_k(scores, targets, 1)[2] == pytest.approx(2 * 1.0 * (2 / 3) / (1.0 + 2 / 3))


def test_zsl_ranks_only_unseen_labels_gzsl_all() -> None:
    # label 0 seen, labels 1, 2 unseen; the seen label scores highest everywhere
    scores = np.array([[0.9, 0.5, 0.1], [0.8, 0.1, 0.5], [0.7, 0.2, 0.3]])
    targets = np.array([[0, 1, 0], [0, 0, 1], [1, 0, 0]])
    unseen = np.array([False, True, True])
    rep = evaluate_zsl_gzsl(scores, targets, unseen)
    # ZSL: images 0 and 1 only (image 2 has no unseen label); each unseen label ranks its image first
    assert rep.zsl_map == pytest.approx(1.0)
    # F1@3 with 2 unseen labels: k → 2, TP = 2, P = 2/4, R = 2/2
    assert rep.zsl_f1_3 == pytest.approx(2 / 3)
    # GZSL: label 0's positive (image 2) ranks 3rd → AP 1/3; labels 1, 2 → AP 1
    assert rep.gzsl_map == pytest.approx((1 / 3 + 1 + 1) / 3)
    # F1@3 over 3 labels: every label is in the top 3; P = 3/9, R = 1
    assert rep.gzsl_f1_3 == pytest.approx(0.5)
