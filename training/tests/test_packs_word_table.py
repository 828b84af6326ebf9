"""AWT1 word table: layout, round trip, refusals, and the wink JSON reader."""

from __future__ import annotations

import json
import struct
from pathlib import Path

import numpy as np
import pytest

from anytag_training.packs.word_table import (
    WordTableError,
    build_from_wink,
    read_word_table,
    write_word_table,
)


def test_layout_matches_the_contract(tmp_path: Path) -> None:
    path = tmp_path / "w.awt"
    write_word_table(path, ["ab", "c"], np.array([[3.0, 4.0], [0.0, 2.0]]))
    data = path.read_bytes()
    assert data[:4] == b"AWT1"
    assert struct.unpack_from("<III", data, 4) == (2, 2, 4)  # dim, count, wordsBytes
    assert data[16:20] == b"ab\nc"
    # 16 + 4 = 20 is already a multiple of 4: no padding, then 2 x 2 float16
    rows = np.frombuffer(data[20:], dtype="<f2").reshape(2, 2)
    np.testing.assert_allclose(rows, [[0.6, 0.8], [0.0, 1.0]], atol=1e-3)


def test_pads_words_to_a_multiple_of_four(tmp_path: Path) -> None:
    path = tmp_path / "w.awt"
    write_word_table(path, ["é", "xyz"], np.eye(2))  # "é\nxyz" = 6 bytes -> 2 bytes padding
    data = path.read_bytes()
    assert struct.unpack_from("<I", data, 12)[0] == 6
    assert data[22:24] == b"\0\0"
    assert len(data) == 24 + 2 * 2 * 2


def test_round_trip(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    words = ["cat", "dog", "hot-dog", "北京"]
    vectors = rng.normal(size=(4, 7))
    write_word_table(tmp_path / "w.awt", words, vectors)
    back_words, back = read_word_table(tmp_path / "w.awt")
    assert back_words == words
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    np.testing.assert_allclose(back.astype(np.float32), unit, atol=2e-3)


@pytest.mark.parametrize(
    ("words", "message"),
    [(["Cat"], "lowercase"), (["a\nb"], "newline"), (["a", "a"], "twice"), ([""], "empty")],
)
def test_refuses_bad_words(tmp_path: Path, words: list[str], message: str) -> None:
    with pytest.raises(WordTableError, match=message):
        write_word_table(tmp_path / "w.awt", words, np.ones((len(words), 3)))


def test_refuses_zero_rows_and_bad_shapes(tmp_path: Path) -> None:
    with pytest.raises(WordTableError, match="zero"):
        write_word_table(tmp_path / "w.awt", ["a"], np.zeros((1, 3)))
    with pytest.raises(WordTableError, match="shape"):
        write_word_table(tmp_path / "w.awt", ["a", "b"], np.ones((1, 3)))


def test_read_refuses_a_truncated_file(tmp_path: Path) -> None:
    path = tmp_path / "w.awt"
    write_word_table(path, ["a", "b"], np.eye(2))
    path.write_bytes(path.read_bytes()[:-1])
    with pytest.raises(WordTableError, match="bytes"):
        read_word_table(path)


def test_build_from_wink_filters_lowercases_dedupes_and_normalises(tmp_path: Path) -> None:
    def entry(values: list[float], i: int) -> list[float]:
        return [*values, float(np.linalg.norm(values)), i]

    wink = {
        "precision": 8, "l2NormIndex": 2, "wordIndex": 3, "size": 5, "dimensions": 2,
        "words": ["the", ",", "The", "ÉTÉ", "2nd"],
        "vectors": {
            "the": entry([3.0, 4.0], 0), ",": entry([1.0, 0.0], 1),
            "The": entry([0.0, 9.0], 2), "ÉTÉ": entry([0.0, 2.0], 3), "2nd": entry([5.0, 0.0], 4),
        },
        "unkVector": [0, 0, 0, 0],
    }
    path = tmp_path / "wink.json"
    path.write_text(json.dumps(wink), encoding="utf-8")
    words, vectors = build_from_wink(path)
    assert words == ["the", "été", "2nd"]  # "," has no letter or digit; "The" repeats "the"
    np.testing.assert_allclose(vectors, [[0.6, 0.8], [0.0, 1.0], [1.0, 0.0]], atol=1e-6)
