"""Explicit sense choices for ImageNet classes whose lemma list names several WordNet synsets.

class_synsets' tie-break heuristic (offset window, branch vote, sense frequency, shared
hypernyms) cannot tell two artifact senses of one word apart reliably. Each class stands for
one ILSVRC-2012 synset id (wnid = "n" + its WordNet 3.0 data.noun offset); this table names,
for the classes where the heuristic misses that synset, the WordNet 3.1 synset with the same
meaning. A synset is named by its lemma plus a distinctive substring of its 3.1 gloss, never by
a raw 3.1 offset: `resolve_override` must find exactly one synset, so a typo fails loudly.

How the table was checked: for each of the 93 classes with several candidate synsets, the
wnid's gloss in WordNet 3.0's data.noun (Princeton's release, e.g. Debian's wordnet-base 3.0)
equals the 3.1 gloss of exactly one candidate. The heuristic already picks that one for 83
classes; the 10 below are the rest. Not overridden, though they look doubtful, because the
heuristic's pick IS the wnid's synset:
  - cloak (n03045698): "anything that covers or conceals", not "a loose outer garment";
  - Dutch oven (n03259280): "an oven consisting of a metal box for cooking in front of a
    fire", not the cooking pot;
  - radiator (n04040759): "a mechanism consisting of a metal honeycomb through which hot
    fluids circulate ...", not the room heater.
The wnid wins over what a class's photos mostly show (baby bibs, field cannons, cast-iron pots)
because it is the one definition that can be checked.
"""

from __future__ import annotations

from dataclasses import dataclass

from .wordnet import WordNet


@dataclass(frozen=True)
class Override:
    """One class's chosen synset, by lemma and gloss substring."""

    lemma: str  # the class line's first lemma, as in imagenet_labels.txt: guards the index
    gloss: str  # substring of the chosen WordNet 3.1 gloss, unique among the lemma's senses
    wnid: str  # the ILSVRC-2012 synset id (WordNet 3.0 offset): for reference, never looked up
    reason: str  # that wnid's WordNet 3.0 gloss, and what the heuristic chose instead


# class index (0-based, background excluded) -> the synset of its ILSVRC-2012 wnid
OVERRIDES: dict[int, Override] = {
    443: Override(
        "bib", "top part of an apron", "n02834397",
        "3.0: 'top part of an apron; covering the chest'. Heuristic: the child's napkin."),
    456: Override(
        "bow", "weapon for shooting arrows", "n02879718",
        "3.0: 'a weapon for shooting arrows, composed of a curved piece of resilient wood with "
        "a taut cord to propel the arrow'. Heuristic: the violin bow (horsehair stick)."),
    471: Override(
        "cannon", "heavy gun fired from a tank", "n02950826",
        "3.0: 'heavy gun fired from a tank'. Heuristic: the artillery gun on wheels (the most "
        "frequent sense, but not this wnid)."),
    624: Override(
        "library", "building that houses a collection of books", "n03661043",
        "3.0: 'a building that houses a collection of books and other materials'. "
        "Heuristic: the room where books are kept."),
    664: Override(
        "monitor", "check the quality or content of electronic transmissions", "n03782006",
        "3.0: 'electronic equipment that is used to check the quality or content of electronic "
        "transmissions' (the display; WordNet files it under electronic equipment). "
        "Heuristic: the ironclad warship."),
    698: Override(
        "palace", "official residence of an exalted person", "n03877845",
        "3.0: 'official residence of an exalted person (as a sovereign)'. "
        "Heuristic: the exhibition hall."),
    727: Override(
        "planetarium", "building housing an instrument for projecting", "n03956157",
        "3.0: 'a building housing an instrument for projecting the positions of the planets "
        "onto a domed ceiling'. Heuristic: the projector (optical device)."),
    758: Override(
        "reel", "attached to a fishing rod", "n04067472",
        "3.0: 'winder consisting of a revolving spool with a handle; attached to a fishing "
        "rod'. Heuristic: the film reel."),
    813: Override(
        "spatula", "turner with a narrow flexible blade", "n04270147",
        "3.0: 'a turner with a narrow flexible blade' (kitchen utensil). "
        "Heuristic: the hand tool for spreading soft substances."),
    830: Override(
        "stretcher", "litter for transporting people", "n04336792",
        "3.0: 'a litter for transporting people who are ill or wounded or dead; usually "
        "consists of a sheet of canvas stretched between two poles'. "
        "Heuristic: the shoe/glove stretcher."),
}


def _norm(lemma: str) -> str:
    return lemma.strip().lower().replace(" ", "_")


def resolve_override(wordnet: WordNet, line: str, override: Override) -> int:
    """The offset of the one synset of `line`'s lemmas whose gloss contains override.gloss.

    Raises ValueError when the line's first lemma is not override.lemma (a wrong index) or
    when no synset, or more than one, matches (a typo or a substring that is not distinctive).
    """
    lemmas = [_norm(x) for x in line.split(",")]
    if lemmas[0] != _norm(override.lemma):
        raise ValueError(f"override {override.lemma!r} ({override.wnid}) is on class {line!r}")
    senses = {o for lemma in lemmas for o in wordnet.lemma_index.get(lemma, ())}
    hits = sorted(o for o in senses if override.gloss in wordnet.synsets[o].gloss)
    if len(hits) != 1:
        raise ValueError(f"override {override.lemma!r} ({override.wnid}): gloss "
                         f"{override.gloss!r} matches {len(hits)} synsets, expected 1")
    return hits[0]
