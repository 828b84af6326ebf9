"""A folder's labels file and unseen list, read tolerantly: BOM, case, repeats, bad lines."""

from pathlib import Path

import pytest

from anytag_training.sdl.errors import TrainError
from anytag_training.sdl.listing import read_listing, read_unseen


def test_bom_case_and_repeats(tmp_path: Path) -> None:
    (tmp_path / "labels.tsv").write_text("\ufeffa.jpg\tOwl,  owl , Big  Bird\n# note\n\nsub\\b.jpg\tbird\n", "utf-8")
    (tmp_path / "unseen.txt").write_text("\ufeffOWL\nowl\n# comment\n", "utf-8")
    listing = read_listing(tmp_path)
    assert [(e.path, e.labels, e.line) for e in listing.entries] == [("a.jpg", ["owl", "big bird"], 1), ("sub/b.jpg", ["bird"], 4)]
    assert listing.spellings["owl"] == {"Owl", "owl"} and listing.boms == [str(tmp_path / "labels.tsv")]
    boms: list[str] = []
    assert read_unseen(tmp_path / "unseen.txt", boms) == ["owl"] and boms


def test_a_bad_line_names_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "labels.tsv").write_text("a.jpg\tx\nb.jpg x\n")
    with pytest.raises(TrainError, match=r"labels.tsv:2: expected") as caught:
        read_listing(tmp_path)
    assert caught.value.code == "BAD_LABELS_FILE" and caught.value.exit_status == 2
