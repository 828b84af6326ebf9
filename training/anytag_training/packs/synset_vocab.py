"""The starter pack's vocabulary: WordNet synsets over the ImageNet classes, with GloVe vectors.

Columns of the class -> synset membership matrix M ([classes, S]) are the synsets on the
classes' hypernym chains (each class's own synset included), minus ABSTRACT_TOPS, minus the
synsets without a word vector. Synsets whose label names coincide ("crane" the bird and the
machine, "food" the nutrient and the solid food) share one column: M[c, s] = 1 when any of
them covers class c, so the pack's S labels are unique by name.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .class_synsets import ClassMatch
from .wordnet import WordNet

# WordNet 3.1 noun offsets of synsets too generic to be useful tags (they would cover most
# classes and crowd the K rows). Each is checked against its first lemma when loading.
ABSTRACT_TOPS: dict[int, str] = {
    1740: "entity", 1930: "physical_entity", 2137: "abstraction", 2684: "object",
    3553: "whole", 4258: "living_thing", 4475: "organism", 7347: "causal_agent",
    19308: "natural_object", 19793: "substance", 20270: "substance", 21007: "matter",
    22119: "artifact", 23083: "article", 24444: "attribute", 28005: "shape",
    32220: "relation", 33319: "communication", 3080712: "commodity",
    3098030: "consumer_goods", 3133774: "creation", 3580409: "instrumentality",
    3898588: "part", 3938441: "piece", 13831419: "part", 14604877: "material",
    14802595: "agent", 15071467: "solid",
}


@dataclass(frozen=True)
class SynsetVocab:
    """S label columns: names, WordNet depth, unit vectors [S, d], membership [classes, S]."""

    names: list[str]
    specificity: list[int]
    offsets: list[tuple[int, ...]]  # the synsets merged into each column
    vectors: np.ndarray  # [S, d] float32, unit rows
    membership: np.ndarray  # [classes, S] float32 of 0/1
    broader: list[tuple[int, ...]]  # per column: the columns of its synsets' hypernyms, all levels


def lemma_vector(lemma: str, index: dict[str, int], vectors: np.ndarray) -> np.ndarray | None:
    """Unit vector of a WordNet lemma, or None if the table lacks a word of it.

    One word ("hotdog", "man-eater"): its row. A multiword lemma ("sea_lion"): the mean of its
    tokens' rows, normalised; a hyphenated token the table lacks is split on "-" as well.
    """
    text = lemma.lower()
    if text in index:
        return vectors[index[text]].astype(np.float32)
    tokens: list[str] = []
    for token in text.split("_"):
        if token in index:
            tokens.append(token)
        elif "-" in token and all(part in index for part in token.split("-") if part):
            tokens.extend(part for part in token.split("-") if part)
        else:
            return None
    if not tokens:
        return None
    mean = np.mean([vectors[index[t]] for t in tokens], axis=0, dtype=np.float32)  # [d]
    norm = float(np.linalg.norm(mean))
    return mean / norm if norm > 0 else None


def label_name(first_lemma: str) -> str:
    """A synset's display name: its first lemma, lowercase, underscores as spaces."""
    return first_lemma.replace("_", " ").lower()


def build_vocab(wordnet: WordNet, matches: list[ClassMatch], words: list[str],
                vectors: np.ndarray) -> SynsetVocab:
    """Columns, vectors and membership for `matches` (class i = matches[i])."""
    for offset, lemma in ABSTRACT_TOPS.items():
        if wordnet.synsets[offset].lemmas[0] != lemma:
            raise ValueError(f"ABSTRACT_TOPS: {offset} is {wordnet.synsets[offset].lemmas[0]!r}, "
                             f"expected {lemma!r}: is this WordNet 3.1?")
    index = {word: i for i, word in enumerate(words)}
    chains = [sorted((wordnet.ancestors(m.offset) | {m.offset}) - ABSTRACT_TOPS.keys())
              for m in matches]
    columns: dict[str, int] = {}
    names: list[str] = []
    merged: list[list[int]] = []
    rows: list[np.ndarray] = []
    column_of: dict[int, int] = {}
    depth_memo: dict[int, int] = {}
    for offset in sorted({o for chain in chains for o in chain}):
        synset = wordnet.synsets[offset]
        vector = next((v for v in (lemma_vector(x, index, vectors) for x in synset.lemmas)
                       if v is not None), None)
        if vector is None:
            continue  # no word of the synset is in the table: it cannot be a label
        name = label_name(synset.lemmas[0])
        if name not in columns:
            columns[name] = len(names)
            names.append(name)
            merged.append([])
            rows.append(vector)
        column_of[offset] = columns[name]
        merged[columns[name]].append(offset)
    membership = np.zeros((len(matches), len(names)), dtype=np.float32)  # [classes, S]
    for c, chain in enumerate(chains):
        for offset in chain:
            if offset in column_of:
                membership[c, column_of[offset]] = 1.0
    specificity = [max(wordnet.depth(o, depth_memo) for o in group) for group in merged]
    broader = [tuple(sorted({column_of[a] for o in group for a in wordnet.ancestors(o)
                             if a in column_of} - {c}))
               for c, group in enumerate(merged)]
    return SynsetVocab(names, specificity, [tuple(g) for g in merged],
                       np.stack(rows).astype(np.float32), membership, broader)
