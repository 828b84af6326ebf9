"""Benchmark helpers on hand-made inputs: emoji key matching, ConSE, splits, paired summaries."""

import numpy as np
import pytest

from anytag_training.bench.conse import conse_matrices
from anytag_training.bench.emoji import BenchConfig, make_split, paired_vs
from anytag_training.bench.emoji_data import _char_key, _key
from anytag_training.sdl.data import MultiLabelSet


def test_emoji_keys_ignore_the_variation_selector() -> None:
    assert _key("0023-FE0F-20E3") == "23-20E3"
    assert _char_key("#\ufe0f\u20e3") == _key("0023-20e3")  # emoji.json pads to 4 digits, CLDR keys are characters
    assert _char_key("\U0001F355") == "1F355"


def test_conse_is_the_probability_weighted_mean_of_the_top_classes() -> None:
    probs = np.array([[0.0, 0.6, 0.3, 0.1]])  # class 0 = background (no vector)
    class_idx = np.array([1, 2, 3])
    vecs = np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0]])
    a = conse_matrices(probs, class_idx, vecs, top=2)  # top-2: classes 1 (0.6) and 2 (0.3)
    want = np.array([0.6, 0.3]) / np.linalg.norm([0.6, 0.3])
    assert a.shape == (1, 1, 2) and np.allclose(a[0, 0], want)


def test_random_split_shares_and_determinism() -> None:
    data = MultiLabelSet(images=[], labels=[f"l{i}" for i in range(40)], targets=np.zeros((100, 40), np.uint8))
    data.images = [None] * 100  # only the count matters here
    a, b = make_split(data, "random15", 3, BenchConfig()), make_split(data, "random15", 3, BenchConfig())
    assert len(a.test) == 30 and len(a.train) == 70 and not set(a.test) & set(a.train)
    assert a.unseen.sum() == 6 and np.array_equal(a.unseen, b.unseen)
    assert not np.array_equal(a.unseen, make_split(data, "random15", 4, BenchConfig()).unseen)


def test_paired_differences_use_the_same_seed() -> None:
    def run(method: str, seed: int, v: float) -> dict:
        return {"setting": "s", "seed": seed, "method": method, "metrics": {k: v for k in ("zsl_map", "zsl_f1_3", "zsl_f1_5", "gzsl_map", "gzsl_f1_3", "gzsl_f1_5")}}

    runs = [run("sdl-k7", 0, 0.5), run("sdl-k7", 1, 0.1), run("x", 0, 0.4), run("x", 1, 0.2)]
    p = paired_vs(runs)["s"]["x"]["zsl_map"]
    assert p["mean"] == pytest.approx(0.0) and p["sd"] == pytest.approx(np.std([-0.1, 0.1], ddof=1)) and p["n"] == 2
