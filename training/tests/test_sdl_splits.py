"""Grouped splits: group keys, near-duplicate detection, test shares, split files."""

from pathlib import Path

import numpy as np
import pytest

from anytag_training.sdl.checks import dhash
from anytag_training.sdl.errors import TrainError
from anytag_training.sdl.splits import default_grouping, keys_by, read_split_file, split_by_groups
from sdl_folder_fixtures import photo, variants


def test_group_keys() -> None:
    paths = ["a/b/x_crop.jpg", "a/c/x_flip.jpg", "y.jpg", "IMG_0001 (2).jpg"]
    assert keys_by("folder", paths) == ["a/b", "a/c", "", ""]
    assert keys_by("folder:1", paths) == ["a", "a", "", ""]
    assert keys_by("stem", paths) == ["a/b/x", "a/c/x", "y", "IMG_0001"]
    assert keys_by(r"^(\w)", paths) == ["a", "a", "y", "I"]
    with pytest.raises(TrainError, match="does not match"):
        keys_by(r"^a/", paths)


@pytest.mark.parametrize("share", [0.1, 0.2, 0.3, 0.5])
def test_the_test_part_is_whole_groups_near_the_share(share: float) -> None:
    keys = [f"g{i // 4}" for i in range(44)]  # 11 groups of 4
    for seed in range(5):
        test = split_by_groups(keys, share, seed)
        assert abs(test.sum() - share * 44) <= 2  # within half a group
        assert all(len({test[i] for i, k in enumerate(keys) if k == g}) == 1 for g in set(keys))
        assert 0 < test.sum() < 44


def test_near_duplicates_are_grouped_even_under_unrelated_names() -> None:
    names, hashes, mirrored = [], [], []
    for s in range(8):
        for v, im in variants(photo(s, size=64)).items():
            names.append(f"IMG_{len(names):04d}.png")  # the name says nothing
            rgb = im.convert("RGB")
            hashes.append(dhash(rgb))
            mirrored.append(dhash(rgb.transpose(0)))
    grouping = default_grouping(names, hashes, mirrored)
    assert "near-duplicates detected" in grouping.how
    by_source = [grouping.keys[i : i + 4] for i in range(0, 32, 4)]
    assert sum(len(set(g)) == 1 for g in by_source) >= 6  # most photos' variants share a group
    assert len(set(grouping.keys)) >= 4


def test_no_near_duplicates_splits_by_image() -> None:
    rng = np.random.default_rng(0)
    hashes = [int(h) for h in rng.integers(0, 2**63, 20)]
    grouping = default_grouping([f"{i}.jpg" for i in range(20)], hashes, hashes)
    assert grouping.keys == [f"{i}.jpg" for i in range(20)] and "no near-duplicates" in grouping.how


def test_split_file(tmp_path: Path) -> None:
    (tmp_path / "s.tsv").write_text("\ufeffa.jpg\ttest\n# comment\nb.jpg  train\ngone.jpg\ttest\n")
    assert read_split_file(tmp_path / "s.tsv", ["a.jpg", "b.jpg"], {"gone.jpg"}).tolist() == [True, False]
    with pytest.raises(TrainError, match="not listed"):
        read_split_file(tmp_path / "s.tsv", ["a.jpg", "b.jpg", "c.jpg"], {"gone.jpg"})
