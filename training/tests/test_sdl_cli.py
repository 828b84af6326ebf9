"""End to end through the CLI: folder data → frozen MobileNetV2 + SDL head → metrics → model pack
that runs in onnxruntime like torch (real backbone, tiny generated images and word table)."""

import json
from pathlib import Path

import numpy as np
import onnxruntime as ort
import pytest
from PIL import Image

from anytag_training.packs.word_table import write_word_table
from anytag_training.sdl.cli import DEFAULT_ONNX, main

COLOURS = {"red": (220, 20, 20), "green": (20, 200, 40), "blue": (20, 40, 220)}
SHAPES = ["square", "circle"]


@pytest.mark.skipif(not DEFAULT_ONNX.exists(), reason="../shared/models/imagenet-mobilenet-v2 not present")
def test_train_then_export_a_folder(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    root = tmp_path / "photos"
    root.mkdir()
    lines = []
    for i in range(12):
        colour, shape = list(COLOURS)[i % 3], SHAPES[i % 2]
        im = Image.new("RGB", (32, 32), (255, 255, 255))
        box = (4 + i % 5, 6 + i // 3, 20 + i % 4, 26 - i % 3)  # every image differs
        from PIL import ImageDraw

        (ImageDraw.Draw(im).rectangle if shape == "square" else ImageDraw.Draw(im).ellipse)(box, fill=COLOURS[colour])
        im.save(root / f"{i}.png")
        lines.append(f"{i}.png\t{colour}, {shape}")
    (root / "labels.tsv").write_text("\n".join(lines) + "\n")
    (root / "unseen.txt").write_text("blue\n")
    words = [*COLOURS, *SHAPES, "other"]
    write_word_table(tmp_path / "words.awt", words, rng.normal(size=(len(words), 8)))
    run = tmp_path / "run"
    main(["train", "--data", "folder", "--root", str(root), "--split", str(root / "unseen.txt"), "--test-share", "0.5",
          "--mode", "frozen", "--k", "2", "--epochs", "3", "--batch-size", "4", "--lr", "1e-2", "--device", "cpu",
          "--word-table", str(tmp_path / "words.awt"), "--cache-dir", str(tmp_path / "cache"), "--out", str(run)])
    metrics = json.loads((run / "metrics.json").read_text())
    assert set(metrics) >= {"zsl_map", "zsl_f1_3", "gzsl_map", "gzsl_f1_3"}
    assert (run / "last.pt").exists() and (run / "model.pt").exists()
    main(["export", "--run", str(run), "--out", str(tmp_path / "pack"), "--id", "toy-colours"])
    manifest = json.loads((tmp_path / "pack" / "pack.json").read_text())
    assert manifest["output"] == {"name": "embedding", "k": 2, "d": 8, "order": "kd"}
    assert [e["name"] for e in json.loads((tmp_path / "pack" / "labels.json").read_text())["labels"]] == ["circle", "green", "red", "square"]
    x = rng.uniform(0, 255, (2, 3, 224, 224)).astype(np.float32)
    out = ort.InferenceSession(str(tmp_path / "pack" / "model.onnx")).run(["embedding"], {"image": x})[0]
    assert out.shape == (2, 16) and np.isfinite(out).all()
