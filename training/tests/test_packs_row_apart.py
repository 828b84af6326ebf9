"""row_apart: a scene row kept apart from the compound labels of its word."""

from __future__ import annotations

import numpy as np
import pytest

from anytag_training.packs.row_apart import compound_labels, keep_apart


def unit(v: list[float]) -> np.ndarray:
    a = np.asarray(v, dtype=np.float64)
    return a / np.linalg.norm(a)


def test_compound_labels_are_the_phrases_holding_the_word() -> None:
    names = ["water", "water bottle", "breakwater", "sea", "irish water spaniel", "waterfowl"]
    assert compound_labels("water", names) == [1, 4]


def test_keeps_the_vector_below_the_cap_and_near_its_target() -> None:
    target = unit([1, 0, 0])
    others = np.stack([unit([1, 1, 0]), unit([1, 0.5, 0.5])])  # 0.71 and 0.82 with the target
    v = keep_apart(target, others, 0.5)
    assert np.linalg.norm(v) == pytest.approx(1, abs=1e-5)
    assert (others @ v).max() <= 0.5 + 1e-3
    assert float(target @ v) > 0.3  # still about the word


def test_leaves_a_vector_already_apart_as_it_is() -> None:
    target = unit([1, 0, 0])
    v = keep_apart(target * 3, np.stack([unit([0, 1, 0])]), 0.5)
    np.testing.assert_allclose(v, target, atol=1e-6)


def test_refuses_a_cap_that_leaves_no_room() -> None:
    target = unit([1, 0])
    with pytest.raises(ValueError, match="keep_apart"):
        keep_apart(target, np.stack([unit([1, 0]), unit([-1, 0]), unit([0, 1]), unit([0, -1])]),
                   -0.5)
