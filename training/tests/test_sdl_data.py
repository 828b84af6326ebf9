"""Data readers on tiny generated layouts: folder + labels file, COCO JSON, NUS-WIDE, split files."""

import json
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from anytag_training.sdl.data import ImageSpec, load_image, read_coco, read_folder, read_nus_wide, read_split


def make_png(path: Path, colour: tuple[int, int, int, int] = (255, 0, 0, 255), size: int = 8) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGBA", (size, size), colour).save(path)


def test_folder_tsv_and_json(tmp_path: Path) -> None:
    make_png(tmp_path / "a.png")
    make_png(tmp_path / "sub" / "b.png")
    (tmp_path / "labels.tsv").write_text("a.png\tCat, sofa\nsub/b.png\tdog\n")
    data = read_folder(tmp_path)
    assert data.labels == ["cat", "dog", "sofa"]
    assert data.targets.tolist() == [[1, 0, 1], [0, 1, 0]]
    assert data.images[1] == tmp_path / "sub" / "b.png"
    (tmp_path / "other.json").write_text(json.dumps({"a.png": ["x"], "sub/b.png": ["x", "y"]}))
    assert read_folder(tmp_path, tmp_path / "other.json").targets.tolist() == [[1, 0], [1, 1]]


def test_coco_format(tmp_path: Path) -> None:
    ann = {
        "images": [{"id": 7, "file_name": "x.jpg"}, {"id": 3, "file_name": "y.jpg"}, {"id": 9, "file_name": "none.jpg"}],
        "categories": [{"id": 5, "name": "zebra"}, {"id": 1, "name": "person"}],
        "annotations": [{"image_id": 7, "category_id": 5}, {"image_id": 7, "category_id": 5}, {"image_id": 3, "category_id": 1}],
    }
    (tmp_path / "ann.json").write_text(json.dumps(ann))
    data = read_coco(tmp_path / "img", tmp_path / "ann.json")
    assert data.labels == ["person", "zebra"]  # category-id order
    assert [p.name for p in data.images] == ["y.jpg", "x.jpg"]  # images with annotations, by id
    assert data.targets.tolist() == [[1, 0], [0, 1]]


def test_nus_wide_layout(tmp_path: Path) -> None:
    (tmp_path / "ImageList").mkdir()
    (tmp_path / "ImageList" / "Imagelist.txt").write_text("actor\\0001_1.jpg\nbeach\\0002_2.jpg\nbeach\\0003_3.jpg\n")
    (tmp_path / "ImageList" / "TrainImagelist.txt").write_text("actor\\0001_1.jpg\nbeach\\0003_3.jpg\n")
    (tmp_path / "ImageList" / "TestImagelist.txt").write_text("beach\\0002_2.jpg\n")
    (tmp_path / "NUS_WID_Tags").mkdir()
    (tmp_path / "NUS_WID_Tags" / "TagList1k.txt").write_text("actor\nsunset\nwater\n")
    (tmp_path / "NUS_WID_Tags" / "AllTags1k.txt").write_text("1 0 0\n0 1 1\n0 0 0\n")
    (tmp_path / "Concepts81.txt").write_text("beach\nwater\n")
    (tmp_path / "Groundtruth" / "AllLabels").mkdir(parents=True)
    (tmp_path / "Groundtruth" / "AllLabels" / "Labels_beach.txt").write_text("0\n1\n1\n")
    (tmp_path / "Groundtruth" / "AllLabels" / "Labels_water.txt").write_text("0\n0\n1\n")
    labels = ["actor", "beach", "sunset", "water"]
    data = read_nus_wide(tmp_path, labels)
    # water is a concept: the human ground truth wins over the user tag
    assert data.targets.tolist() == [[1, 0, 0, 0], [0, 1, 1, 0], [0, 1, 0, 1]]
    assert data.images[0] == tmp_path / "Flickr" / "actor" / "0001_1.jpg"
    test = read_nus_wide(tmp_path, labels, part="test")
    assert test.targets.tolist() == [[0, 1, 1, 0]]
    with pytest.raises(ValueError, match="neither a concept nor a tag"):
        read_nus_wide(tmp_path, ["unknown"])


def test_split_files(tmp_path: Path) -> None:
    labels = ["a", "b", "c"]
    (tmp_path / "s.json").write_text(json.dumps({"labels": labels, "unseen": ["c"]}))
    (tmp_path / "s.txt").write_text("a\nc\n")
    assert read_split(tmp_path / "s.json", labels).tolist() == [False, False, True]
    assert read_split(tmp_path / "s.txt", labels).tolist() == [True, False, True]
    (tmp_path / "bad.txt").write_text("zzz\n")
    with pytest.raises(ValueError, match="zzz"):
        read_split(tmp_path / "bad.txt", labels)


def test_load_image_flattens_alpha_and_squashes(tmp_path: Path) -> None:
    make_png(tmp_path / "t.png", colour=(0, 0, 255, 0), size=6)  # fully transparent
    x = load_image(tmp_path / "t.png", ImageSpec(width=10, height=4, background=(255, 255, 255)))
    assert x.shape == (3, 4, 10) and x.dtype == np.float32
    assert np.allclose(x, 255.0)


def test_an_unreadable_image_is_named(tmp_path: Path) -> None:
    Image.new("RGB", (64, 64), (10, 200, 30)).save(tmp_path / "ok.jpg")
    (tmp_path / "cut.jpg").write_bytes((tmp_path / "ok.jpg").read_bytes()[:200])
    with pytest.raises(OSError, match="cut.jpg: unreadable image"):
        load_image(tmp_path / "cut.jpg", ImageSpec())
