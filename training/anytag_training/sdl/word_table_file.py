"""The word table a pack ships: the starter pack's words.awt (GloVe 6B 100d) when it has been
built, otherwise the same table written from the GloVe cache."""

from __future__ import annotations

from pathlib import Path

from .word_vectors import default_cache_dir, load_glove100

STARTER_WORDS = Path(__file__).resolve().parents[3] / "resources" / "packs" / "starter" / "words.awt"


def glove_word_table(preferred: Path | None = None, cache_dir: Path | None = None) -> Path:
    for path in (preferred, STARTER_WORDS):
        if path is not None and path.exists():
            return path
    from ..packs.word_table import write_word_table

    out = (cache_dir or default_cache_dir()) / "glove100.awt"
    if not out.exists():
        words = load_glove100(cache_dir=cache_dir)
        write_word_table(out, words.words, words.vectors)
    return out
