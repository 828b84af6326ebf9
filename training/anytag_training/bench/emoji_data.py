"""The emoji multi-label data set, built from npm packages at run time (nothing is copied):

- images: emoji-datasource-google (Noto Color Emoji, Apache-2.0), 64 px PNG under img/google/64/;
- labels: English keywords from cldr-annotations-full (annotations/en) and emojibase-data tags
  (en/data.json), lowercased; a label is a single alphabetic word with a GloVe vector, used by
  at least `min_images` emoji.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import numpy as np

from ..sdl.data import MultiLabelSet
from ..sdl.word_vectors import WordVectors


def _key(codepoints: str) -> str:
    """Hex code points ('0023-FE0F-20E3') → canonical '23-20E3': no leading zeros, no FE0F."""
    return "-".join(f"{int(p, 16):X}" for p in codepoints.split("-") if p and int(p, 16) != 0xFE0F)


def _char_key(text: str) -> str:
    return _key("-".join(f"{ord(c):X}" for c in text))


def emoji_keywords(node_modules: Path) -> list[tuple[Path, set[str]]]:
    """(image path, keyword set) for every base emoji with a Google 64 px image."""
    emoji = json.loads((node_modules / "emoji-datasource-google" / "emoji.json").read_text("utf-8"))
    cldr = json.loads((node_modules / "cldr-annotations-full" / "annotations" / "en" / "annotations.json").read_text("utf-8"))
    cldr_by_key = {_char_key(ch): v.get("default", []) for ch, v in cldr["annotations"]["annotations"].items()}
    emojibase = json.loads((node_modules / "emojibase-data" / "en" / "data.json").read_text("utf-8"))
    tags_by_key = {_key(e["hexcode"]): e.get("tags", []) for e in emojibase}
    image_dir = node_modules / "emoji-datasource-google" / "img" / "google" / "64"
    out: list[tuple[Path, set[str]]] = []
    for e in emoji:
        path = image_dir / e["image"]
        if not e.get("has_img_google", True) or not path.exists():
            continue
        k = _key(e["unified"])
        words = {w.strip().lower() for w in [*cldr_by_key.get(k, []), *tags_by_key.get(k, [])]}
        out.append((path, words))
    return out


def build_emoji_set(node_modules: Path, words: WordVectors, min_images: int = 3) -> MultiLabelSet:
    items = emoji_keywords(node_modules)
    usable = [(p, {w for w in kws if w.isalpha() and len(w) > 1 and words.has(w)}) for p, kws in items]
    counts = Counter(w for _, kws in usable for w in kws)
    labels = sorted(w for w, c in counts.items() if c >= min_images)
    col = {w: i for i, w in enumerate(labels)}
    targets = np.zeros((len(usable), len(labels)), dtype=np.uint8)
    for i, (_, kws) in enumerate(usable):
        targets[i, [col[w] for w in kws if w in col]] = 1
    return MultiLabelSet([p for p, _ in usable], labels, targets)
