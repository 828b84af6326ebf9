"""Every refused input is one line on stderr, `anytag-train: error CODE (flag or file): …`, exit
status 2, and leaves no output folder behind (run as a user would: a subprocess)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from sdl_folder_fixtures import labelled_folder, train_args, word_table

TRAINING = Path(__file__).resolve().parents[1]


def run_cli(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(TRAINING)}
    env.pop("ANYTAG_TRAIN_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "anytag_training.sdl.cli", *args], capture_output=True, text=True, env=env, cwd=TRAINING, timeout=120)


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> tuple[Path, Path]:
    tmp = tmp_path_factory.mktemp("errors")
    labelled_folder(tmp / "photos", sources=3, per_source=2)
    return tmp / "photos", word_table(tmp / "words.awt")


def replace_flag(args: list[str], flag: str, value: str) -> list[str]:
    args = list(args)
    args[args.index(flag) + 1] = value
    return args


CASES = {
    "k 0": (lambda a, r, t: replace_flag(a, "--k", "0"), "BAD_FLAG", "--k"),
    "device gpu": (lambda a, r, t: replace_flag(a, "--device", "gpu"), "BAD_FLAG", "--device"),
    "test share 1": (lambda a, r, t: [*a, "--test-share", "1"], "BAD_FLAG", "--test-share"),
    "missing flag": (lambda a, r, t: ["train", "--data", "folder", "--root", str(r)], "BAD_USAGE", "--out"),
    "unknown command": (lambda a, r, t: ["fit"], "BAD_USAGE", "fit"),
    "root missing": (lambda a, r, t: replace_flag(a, "--root", str(t / "nowhere")), "BAD_FLAG", "--root"),
    "bad regex": (lambda a, r, t: [*a, "--group-by", "src(\\d"], "BAD_FLAG", "--group-by"),
    "no labels file": (lambda a, r, t: [*a, "--labels-file", str(t / "none.tsv")], "NO_FILE", "none.tsv"),
    "line without tab": (lambda a, r, t: [*a, "--labels-file", str(t / "notab.tsv")], "BAD_LABELS_FILE", "notab.tsv:2"),
    "unknown unseen": (lambda a, r, t: [*a, "--split", str(t / "typo.txt")], "BAD_SPLIT", "typo.txt"),
    "all unseen": (lambda a, r, t: [*a, "--split", str(t / "all.txt")], "NO_SEEN_LABELS", "all.txt"),
    "split file gap": (lambda a, r, t: [*a, "--split-file", str(t / "split.tsv")], "BAD_SPLIT_FILE", "split.tsv"),
    "resume nothing": (lambda a, r, t: [*a, "--resume"], "NO_CHECKPOINT", "--resume"),
    "onnx missing": (lambda a, r, t: replace_flag(a, "--backbone", "mobilenetv2") + ["--backbone-onnx", str(t / "none.onnx")], "NO_BACKBONE", "--backbone-onnx"),
    "nus-wide layout missing": (lambda a, r, t: replace_flag(a, "--data", "nus-wide"), "BAD_DATA", "photos"),
    "export no run": (lambda a, r, t: ["export", "--run", str(t / "out"), "--out", str(t / "pack"), "--id", "x"], "NO_RUN", "--run"),
    "check no labels": (lambda a, r, t: ["check", "--root", str(t)], "NO_LABELS_FILE", "no labels.tsv"),
}
if not torch.cuda.is_available():
    CASES["device cuda"] = (lambda a, r, t: replace_flag(a, "--device", "cuda"), "NO_DEVICE", "--device")


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_refused_input_is_one_line_with_a_code(folder, tmp_path: Path, case: str) -> None:
    root, words = folder
    (tmp_path / "notab.tsv").write_text("src00_orig.png\tred\nsrc00_flip.png red\n")
    (tmp_path / "typo.txt").write_text("zebra\n")
    labels = {t.strip() for line in (root / "labels.tsv").read_text().splitlines() for t in line.split("\t")[1].split(",")}
    (tmp_path / "all.txt").write_text("\n".join(labels))
    (tmp_path / "split.tsv").write_text("src00_orig.png\ttest\n")
    make, code, where = CASES[case]
    result = run_cli(*make(train_args(root, words, tmp_path / "out"), root, tmp_path))
    lines = result.stderr.splitlines()
    assert result.returncode == 2, result.stderr
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"anytag-train: error {code} (") and where in lines[0], lines[0]
    assert not (tmp_path / "out").exists() and not (tmp_path / "out.partial").exists() and not (tmp_path / "pack").exists()
