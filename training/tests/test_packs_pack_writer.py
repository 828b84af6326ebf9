"""write_pack: manifest fields, hashes, refusals and the pack.json-last rule."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper

from anytag_training.packs.pack_writer import (
    InputSpec,
    LabelEntry,
    OutputSpec,
    PackError,
    write_pack,
)
from anytag_training.packs.word_table import write_word_table


@pytest.fixture()
def parts(tmp_path: Path) -> dict[str, object]:
    graph = helper.make_graph(
        [helper.make_node("Identity", ["image"], ["embedding"])], "g",
        [helper.make_tensor_value_info("image", TensorProto.FLOAT, ["n", 3, 4, 4])],
        [helper.make_tensor_value_info("embedding", TensorProto.FLOAT, ["n", 3, 4, 4])])
    onnx_path = tmp_path / "in.onnx"
    onnx.save(helper.make_model(graph), str(onnx_path))
    table = tmp_path / "in.awt"
    write_word_table(table, ["cat", "dog"], np.eye(2, 3))
    return dict(
        pack_id="test-pack", name="Test", licence="MIT", source="here", onnx_path=onnx_path,
        input_spec=InputSpec(name="image", width=4, height=4),
        output_spec=OutputSpec(name="embedding", k=2, d=3),
        labels=[LabelEntry("cat", 2), LabelEntry("hot dog")],
        label_vectors=np.eye(2, 3, dtype=np.float32), word_table=table,
    )


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_writes_a_complete_pack(tmp_path: Path, parts: dict[str, object]) -> None:
    out = tmp_path / "pack"
    manifest_path = write_pack(out, **parts)  # type: ignore[arg-type]
    manifest = json.loads(manifest_path.read_text())
    assert list(manifest) == ["format", "id", "name", "licence", "source", "model", "input",
                              "output", "labels", "wordTable", "wordMap"]
    assert manifest["model"]["sha256"] == sha(out / "model.onnx")
    assert manifest["labels"]["sha256"] == sha(out / "labels.f32")
    assert manifest["wordTable"] == {"file": "words.awt", "sha256": sha(out / "words.awt"), "dim": 3}
    assert manifest["input"] == {"name": "image", "width": 4, "height": 4, "layout": "NCHW",
                                 "resize": "squash", "kernel": "linear", "resample": "libvips", "scale": 1,
                                 "mean": [0, 0, 0], "std": [1, 1, 1], "background": [255, 255, 255]}
    assert manifest["output"] == {"name": "embedding", "k": 2, "d": 3, "order": "kd"}
    assert manifest["wordMap"] is None
    labels = json.loads((out / "labels.json").read_text())
    assert labels == {"labels": [{"name": "cat", "specificity": 2}, {"name": "hot dog"}]}
    vectors = np.fromfile(out / "labels.f32", dtype="<f4").reshape(2, 3)
    np.testing.assert_array_equal(vectors, np.eye(2, 3))
    assert not (out / "pack.json.tmp").exists()


def test_writes_a_word_map(tmp_path: Path, parts: dict[str, object]) -> None:
    parts["output_spec"] = OutputSpec(name="embedding", k=2, d=2, order="dk")
    parts["label_vectors"] = np.eye(2, dtype=np.float32)
    word_map = np.arange(6, dtype=np.float32).reshape(3, 2)
    manifest = json.loads(write_pack(tmp_path / "p", **parts, word_map=word_map).read_text())  # type: ignore[arg-type]
    assert manifest["wordMap"]["from"] == 3 and manifest["wordMap"]["to"] == 2
    back = np.fromfile(tmp_path / "p" / "word-map.f32", dtype="<f4").reshape(3, 2)
    np.testing.assert_array_equal(back, word_map)


def test_writes_pixel_rows_only_when_given(tmp_path: Path, parts: dict[str, object]) -> None:
    parts["output_spec"] = OutputSpec(name="embedding", k=2, d=3, pixel_rows=(1,))
    manifest_path = write_pack(tmp_path / "pack", **parts)  # type: ignore[arg-type]
    assert json.loads(manifest_path.read_text())["output"] == {
        "name": "embedding", "k": 2, "d": 3, "order": "kd", "pixelRows": [1]}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"pack_id": "Bad Id"}, "id"),
        ({"labels": [LabelEntry("Cat"), LabelEntry("dog")]}, "labels"),
        ({"labels": [LabelEntry("cat"), LabelEntry("cat")]}, "unique"),
        ({"label_vectors": np.ones((2, 3), dtype=np.float32)}, "unit"),
        ({"label_vectors": np.eye(3, dtype=np.float32)}, "labels.vectors"),
        ({"output_spec": OutputSpec(name="embedding", k=2, d=5),
          "label_vectors": np.eye(2, 5, dtype=np.float32)}, "wordMap"),
        ({"output_spec": OutputSpec(name="embedding", k=2, d=3, pixel_rows=(2,))}, "pixelRows"),
        ({"output_spec": OutputSpec(name="embedding", k=2, d=3, pixel_rows=(1, 1))},
         "pixelRows"),
    ],
)
def test_refuses_bad_input_and_leaves_no_manifest(
    tmp_path: Path, parts: dict[str, object], change: dict[str, object], field: str
) -> None:
    out = tmp_path / "pack"
    write_pack(out, **parts)  # type: ignore[arg-type]
    with pytest.raises(PackError, match=field):
        write_pack(out, **{**parts, **change})  # type: ignore[arg-type]
    if field == "wordMap":  # found after the files are copied: the old pack.json must be gone
        assert not (out / "pack.json").exists()


def test_writes_broader_labels_and_refuses_unknown_ones(tmp_path: Path,
                                                        parts: dict[str, object]) -> None:
    parts["labels"] = [LabelEntry("animal", 1), LabelEntry("cat", 2, ("animal",))]
    write_pack(tmp_path / "p", **parts)  # type: ignore[arg-type]
    labels = json.loads((tmp_path / "p" / "labels.json").read_text())
    assert labels["labels"][1] == {"name": "cat", "specificity": 2, "broader": ["animal"]}
    parts["labels"] = [LabelEntry("animal", 1), LabelEntry("cat", 2, ("pet",))]
    with pytest.raises(PackError, match="'cat' broader 'pet' is not another label"):
        write_pack(tmp_path / "q", **parts)  # type: ignore[arg-type]
