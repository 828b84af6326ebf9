"""ImageNet classes -> WordNet noun synsets.

Each line of imagenet_labels.txt (after index 0, "background") is a WordNet lemma list, e.g.
"great white shark, white shark, man-eater, man-eating shark, Carcharodon carcharias".
A class goes to the synset whose lemma set is closest: Jaccard similarity of the lemma sets
with a plural-tolerant spelling first (WordNet 3.1 renamed "jean, blue_jean, denim" to
"jeans, blue_jeans, denim"), the exact spelling second. Against WordNet 3.1, 994 lines match
exactly; accordion, bathtub, greenhouse, jean, lampshade and microphone take the closest set.

Ties (one lemma set naming several synsets, e.g. "crane" the bird and the machine) are broken
in four steps:
1. Offset window: ImageNet's class indices are sorted by WordNet 3.0 synset id (the wnid, the
   synset's data.noun offset), and WordNet 3.1 keeps the synsets in the same order: the 907
   unambiguous classes have strictly increasing 3.1 offsets (no inversion). So a class's
   synset lies between the offsets of its nearest unambiguous neighbours. This alone settles
   the branch (crane 134 among the birds, crane 517 among the artifacts, cup 968 the punch
   among the foods) and leaves several candidates only inside one dense stretch of artifacts.
2. Branch vote: a candidate scores how many unambiguous classes within NEIGHBOURS indices
   share its lexicographer file (noun.animal, noun.artifact, noun.food, ...).
3. Sense frequency: index.noun lists a lemma's corpus-tagged senses first, most frequent
   first; a tagged sense beats an untagged one and the earlier tagged sense wins ("hammer"
   the hand tool, "tractor" the farm vehicle).
4. Untagged senses have no frequency (their order in index.noun is arbitrary), so the
   candidate sharing the most hypernyms with the neighbouring classes wins ("schooner" the
   ship among vessels).
These steps are heuristics: two artifact senses of one word can still resolve to the wrong
one. Checked against each class's ILSVRC-2012 wnid, they miss 10 of the 93 ambiguous classes
("monitor" the warship, "bow" the violin bow, ...), so class_overrides.OVERRIDES names those
classes' synsets explicitly and is applied after the heuristic.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from .class_overrides import OVERRIDES, Override, resolve_override
from .wordnet import WordNet

NEIGHBOURS = 8  # classes on each side that vote on an ambiguous class's branch


@dataclass(frozen=True)
class ClassMatch:
    """One ImageNet class: index (0-based, background excluded), its line, its synset."""

    index: int
    line: str
    offset: int
    similarity: float  # Jaccard similarity of the exact lemma sets; 1.0 = exact
    candidates: tuple[int, ...]  # every synset that tied as closest
    overridden: bool = False  # offset comes from class_overrides.OVERRIDES, not the heuristic


def _norm(lemma: str) -> str:
    return lemma.strip().lower().replace(" ", "_")


def _stem(lemma: str) -> str:
    return lemma[:-1] if lemma.endswith("s") else lemma


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b)


def read_class_lines(labels_path: Path | str) -> list[str]:
    """The 1000 class lines of imagenet_labels.txt (the leading "background" removed)."""
    lines = Path(labels_path).read_text(encoding="utf-8").splitlines()
    if not lines or lines[0].strip() != "background":
        raise ValueError(f"{labels_path}: line 1 should be 'background'")
    return [line.strip() for line in lines[1:] if line.strip()]


def _closest(wordnet: WordNet, lemmas: set[str]) -> tuple[float, tuple[int, ...]]:
    keys = lemmas | {lemma + "s" for lemma in lemmas}
    candidates = {o for key in keys for o in wordnet.lemma_index.get(key, ())}
    stems = {_stem(x) for x in lemmas}
    best: tuple[float, float] = (0.0, 0.0)
    tied: list[int] = []
    for offset in sorted(candidates):
        theirs = {_norm(x) for x in wordnet.synsets[offset].lemmas}
        score = (_jaccard(stems, {_stem(x) for x in theirs}), _jaccard(lemmas, theirs))
        if score > best:
            best, tied = score, [offset]
        elif score == best:
            tied.append(offset)
    if not tied:
        raise ValueError(f"no WordNet noun synset shares a lemma with {sorted(lemmas)}")
    return best[1], tuple(tied)


def _tagged_rank(wordnet: WordNet, line: str, offset: int) -> int:
    """Frequency rank of `offset` among the line's first lemma's tagged senses, else a big number."""
    lemma = _norm(line.split(",")[0])
    senses = wordnet.lemma_index.get(lemma, ())[: wordnet.tagged_senses.get(lemma, 0)]
    return senses.index(offset) if offset in senses else 1 << 20


def match_classes(wordnet: WordNet, class_lines: list[str],
                  overrides: Mapping[int, Override] = OVERRIDES) -> list[ClassMatch]:
    """Match every class line to one synset (closest lemma set; branch, then sense, on ties),
    then apply `overrides` (class index -> explicit synset; pass {} for the heuristic alone).
    """
    outside = sorted(i for i in overrides if not 0 <= i < len(class_lines))
    if outside:
        raise ValueError(f"overrides for class indices {outside}: only {len(class_lines)} classes")
    found = [_closest(wordnet, {_norm(x) for x in line.split(",")}) for line in class_lines]
    unambiguous = [(i, tied[0]) for i, (_, tied) in enumerate(found) if len(tied) == 1]
    matches: list[ClassMatch] = []
    for i, (line, (score, tied)) in enumerate(zip(class_lines, found)):
        offset = tied[0]
        if len(tied) > 1:
            low = max((o for j, o in unambiguous if j < i), default=-1)
            high = min((o for j, o in unambiguous if j > i), default=1 << 40)
            inside = [o for o in tied if low < o < high] or list(tied)
            lo, hi = max(0, i - NEIGHBOURS), min(len(found), i + NEIGHBOURS + 1)
            voters = [found[j][1][0] for j in range(lo, hi) if j != i and len(found[j][1]) == 1]
            branches = [wordnet.synsets[v].lex_file for v in voters]

            def rank(candidate: int) -> tuple[int, int, int]:
                votes = branches.count(wordnet.synsets[candidate].lex_file)
                mine = wordnet.ancestors(candidate)
                overlap = sum(len(mine & wordnet.ancestors(v)) for v in voters)
                return (-votes, _tagged_rank(wordnet, line, candidate), -overlap)

            offset = min(inside, key=rank)
        if i in overrides:
            offset = resolve_override(wordnet, line, overrides[i])
        matches.append(ClassMatch(i, line, offset, score, tied, i in overrides))
    return matches
