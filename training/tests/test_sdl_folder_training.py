"""The training command on tiny generated folders (tiny backbone, a few steps): reproducible
runs, any batch size, grouped splits, skipped bad data, --test-share 0, --resume, export."""

import json
from pathlib import Path

import numpy as np
import pytest
import torch

from anytag_training.sdl.cli import main
from anytag_training.sdl.train import make_scheduler
from sdl_folder_fixtures import labelled_folder, train_args, word_table


@pytest.fixture()
def folder(tmp_path: Path) -> tuple[Path, Path, dict]:
    listing = labelled_folder(tmp_path / "photos", sources=11)  # 44 images
    (tmp_path / "photos" / "unseen.txt").write_text("owl\nfox\n")
    return tmp_path / "photos", word_table(tmp_path / "words.awt"), listing


def head_weights(run: Path) -> torch.Tensor:
    return torch.load(run / "model.pt")["head"]["proj.weight"]


def test_one_seed_gives_identical_metrics_and_weights(folder, tmp_path: Path) -> None:
    root, words, _ = folder
    split = ["--split", str(root / "unseen.txt")]
    for name, seed in (("a", "3"), ("b", "3"), ("c", "4")):
        assert main(train_args(root, words, tmp_path / name, *split, "--seed", seed)) == 0
    a, b, c = (json.loads((tmp_path / n / "metrics.json").read_text()) for n in "abc")
    assert a == b and a["evaluated"] and a["gzsl_map"] is not None
    assert torch.equal(head_weights(tmp_path / "a"), head_weights(tmp_path / "b"))
    assert not torch.equal(head_weights(tmp_path / "a"), head_weights(tmp_path / "c"))  # the seed matters
    run = json.loads((tmp_path / "a" / "run.json").read_text())
    assert run["device"] == "cpu" and run["seed"] == 3 and run["versions"]["torch"] == torch.__version__
    assert run["data"]["train_images"] + run["data"]["test_images"] == 44
    assert run["data"]["seen_labels"] + run["data"]["unseen_labels"] == len(run["labels"]) and run["data"]["unseen_labels"] >= 1
    assert len(run["data"]["listing_sha256"]) == 64
    assert run["data"]["listing_sha256"] == json.loads((tmp_path / "b" / "run.json").read_text())["data"]["listing_sha256"]
    assert run["features"] == {"cached": 0, "computed": 44}
    assert json.loads((tmp_path / "b" / "run.json").read_text())["features"] == {"cached": 44, "computed": 0}  # reused
    assert not list(tmp_path.glob("*.partial"))


@pytest.mark.parametrize("batch", [1, 7, 32, 64])
def test_a_44_image_folder_trains_at_any_batch_size(folder, tmp_path: Path, batch: int) -> None:
    root, words, _ = folder
    args = train_args(root, words, tmp_path / "run", "--batch-size", str(batch), "--epochs", "5")
    assert main(args) == 0
    assert json.loads((tmp_path / "run" / "metrics.json").read_text())["evaluated"]


def test_finetune_mode_on_a_small_folder(folder, tmp_path: Path) -> None:
    root, words, _ = folder
    args = train_args(root, words, tmp_path / "run", "--batch-size", "32", "--epochs", "2", "--workers", "0")
    args[args.index("frozen")] = "finetune"
    assert main(args) == 0
    assert torch.load(tmp_path / "run" / "model.pt")["backbone"] is not None


@pytest.mark.parametrize("total", range(1, 12))
def test_the_schedule_survives_any_number_of_steps(total: int) -> None:
    p = torch.nn.Parameter(torch.zeros(1))
    opt = torch.optim.Adam([p], lr=1e-2)
    sched = make_scheduler(opt, [1e-2], total, 0.1)
    lrs = []
    for _ in range(total):
        opt.step()
        sched.step()
        lrs.append(opt.param_groups[0]["lr"])
    assert all(np.isfinite(lrs)) and max(lrs) <= 1e-2 + 1e-12


def sides(run: Path) -> dict[str, str]:
    return dict(line.split("\t") for line in (run / "split.tsv").read_text().splitlines())


@pytest.mark.parametrize("group_by", [None, "stem", r"^(src\d+)_"])
def test_a_grouped_split_keeps_every_variant_of_a_photo_on_one_side(folder, tmp_path: Path, group_by: str | None) -> None:
    root, words, listing = folder
    extra = ["--group-by", group_by] if group_by else []
    assert main(train_args(root, words, tmp_path / "run", "--test-share", "0.3", *extra)) == 0
    side = sides(tmp_path / "run")
    assert set(side) == set(listing) and set(side.values()) == {"train", "test"}
    for source in {p.split("_")[0] for p in listing}:
        assert len({s for p, s in side.items() if p.startswith(source + "_")}) == 1, source
    how = json.loads((tmp_path / "run" / "run.json").read_text())["data"]["split"]
    assert ("near-duplicates detected" in how) if group_by is None else group_by in how


def test_the_split_file_decides_each_side(folder, tmp_path: Path) -> None:
    root, words, listing = folder
    chosen = {p: ("test" if p.startswith(("src00_", "src01_")) else "train") for p in listing}
    (tmp_path / "split.tsv").write_text("".join(f"{p}\t{s}\n" for p, s in chosen.items()))
    assert main(train_args(root, words, tmp_path / "run", "--split-file", str(tmp_path / "split.tsv"))) == 0
    assert sides(tmp_path / "run") == chosen


def test_bad_files_are_skipped_and_reported(folder, tmp_path: Path, capsys) -> None:
    root, words, listing = folder
    good = (root / "src00_orig.png").read_bytes()
    from PIL import Image

    Image.open(root / "src01_orig.png").convert("RGB").save(root / "broken.jpg", quality=90)
    data = (root / "broken.jpg").read_bytes()
    (root / "broken.jpg").write_bytes(data[: len(data) // 2])  # a truncated JPEG
    (root / "copy.png").write_bytes(good)  # the same bytes as src00_orig.png
    lines = [f"{p}\t{', '.join(t)}" for p, t in listing.items()]
    lines += ["broken.jpg\tred", "copy.png\tred", "src02_orig.png\tblue", "src03_orig.png\tgreen, Zebrra", "missing.png\tred"]
    lines[4] = lines[4] + ", Red"  # a case clash, merged
    (root / "labels.tsv").write_text("\ufeff" + "\n".join(lines) + "\n", "utf-8")
    (root / "only-unknown.png").write_bytes((root / "src04_flip.png").read_bytes()[:-1] + b"\0")
    with (root / "labels.tsv").open("a") as f:
        f.write("only-unknown.png\tzebrra\n")
    assert main(["check", "--root", str(root), "--word-table", str(words)]) == 0
    report = capsys.readouterr().out
    for finding in ("unreadable images (1", "duplicate images (3", "labels without a word vector (1", "'zebrra'",
                    "images without a positive label (1", "byte-order mark", "missing images (1", "Red/red"):
        assert finding in report, (finding, report)
    assert main(train_args(root, words, tmp_path / "run")) == 0
    err = capsys.readouterr().err
    assert "skipped: 1 missing images, 1 unreadable images, 3 duplicate images, 1 labels without a word vector, 1 images without a positive label" in err
    run = json.loads((tmp_path / "run" / "run.json").read_text())
    assert run["data"]["train_images"] + run["data"]["test_images"] == 44 and "zebrra" not in run["labels"]


def test_test_share_zero_trains_on_everything_without_evaluating(folder, tmp_path: Path, capsys) -> None:
    root, words, _ = folder
    assert main(train_args(root, words, tmp_path / "run", "--test-share", "0")) == 0
    text = (tmp_path / "run" / "metrics.json").read_text()
    metrics = json.loads(text)
    assert metrics["evaluated"] is False and metrics["gzsl_map"] is None and "NaN" not in text
    assert json.loads((tmp_path / "run" / "run.json").read_text())["data"]["train_images"] == 44
    assert "not evaluated" in capsys.readouterr().err


def test_metrics_are_valid_json_without_unseen_labels(folder, tmp_path: Path) -> None:
    root, words, _ = folder
    assert main(train_args(root, words, tmp_path / "run")) == 0  # no --split: ZSL is undefined
    metrics = json.loads((tmp_path / "run" / "metrics.json").read_text(), parse_constant=lambda c: pytest.fail(c))
    assert metrics["zsl_map"] is None and metrics["gzsl_map"] is not None


def test_resume_extends_a_finished_run_and_refuses_changed_settings(folder, tmp_path: Path, capsys) -> None:
    root, words, _ = folder
    run = tmp_path / "run"
    assert main(train_args(root, words, run, "--epochs", "2")) == 0
    two = head_weights(run)
    assert main(train_args(root, words, run, "--epochs", "4", "--resume")) == 0
    assert torch.load(run / "last.pt", weights_only=False)["epoch"] == 3
    assert not torch.equal(two, head_weights(run))
    capsys.readouterr()
    assert main([*train_args(root, words, run, "--epochs", "6", "--resume"), "--k", "3"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("anytag-train: error RESUME_MISMATCH") and "k was 2, now 3" in err and "\n" not in err
    assert main(train_args(root, words, run, "--epochs", "4", "--resume")) == 2
    assert "NOTHING_TO_DO" in capsys.readouterr().err
    assert torch.load(run / "last.pt", weights_only=False)["epoch"] == 3  # the run is untouched


def test_resume_continues_an_interrupted_run_exactly(folder, tmp_path: Path, monkeypatch) -> None:
    root, words, _ = folder
    assert main(train_args(root, words, tmp_path / "full", "--epochs", "4")) == 0
    import anytag_training.sdl.train as train

    real = train.Progress.close
    calls = {"n": 0}

    def interrupt_after_two_epochs(self) -> None:  # a Ctrl-C arriving after epoch 2's checkpoint... once saved
        real(self)
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt

    monkeypatch.setattr(train.Progress, "close", interrupt_after_two_epochs)
    assert main(train_args(root, words, tmp_path / "cut", "--epochs", "4")) == 130
    monkeypatch.undo()
    assert (tmp_path / "cut.partial" / "last.pt").exists() and not (tmp_path / "cut").exists()
    assert main(train_args(root, words, tmp_path / "cut", "--epochs", "4", "--resume")) == 0
    assert torch.allclose(head_weights(tmp_path / "full"), head_weights(tmp_path / "cut"), atol=1e-6)


def test_export_keeps_held_out_labels_unseen(folder, tmp_path: Path) -> None:
    root, words, _ = folder
    assert main(train_args(root, words, tmp_path / "run", "--split", str(root / "unseen.txt"))) == 0
    held_out = json.loads((tmp_path / "run" / "run.json").read_text())["unseen"]
    assert held_out
    assert main(["export", "--run", str(tmp_path / "run"), "--out", str(tmp_path / "pack"), "--id", "toy"]) == 0
    shipped = [e["name"] for e in json.loads((tmp_path / "pack" / "labels.json").read_text())["labels"]]
    assert not set(held_out) & set(shipped)
    manifest = json.loads((tmp_path / "pack" / "pack.json").read_text())
    assert all(l in manifest["description"] for l in held_out)
    assert json.loads((tmp_path / "pack" / "training.json").read_text())["held_out"] == held_out
    assert main(["export", "--run", str(tmp_path / "run"), "--out", str(tmp_path / "all"), "--id", "toy", "--all-labels"]) == 0
    shipped = [e["name"] for e in json.loads((tmp_path / "all" / "labels.json").read_text())["labels"]]
    assert set(held_out) <= set(shipped)


def test_export_installs_into_an_app_data_folder_replacing_the_same_id(folder, tmp_path: Path) -> None:
    root, words, _ = folder
    data = tmp_path / "app-data"
    shas = []
    for epochs in ("2", "3"):
        assert main(train_args(root, words, tmp_path / "run", "--epochs", epochs, "--test-share", "0")) == 0
        assert main(["export", "--run", str(tmp_path / "run"), "--out", str(tmp_path / "pack"), "--id", "toy", "--install-into", str(data)]) == 0
        installed = data / "packs" / "toy"
        assert sorted(p.name for p in installed.iterdir()) == ["labels.f32", "labels.json", "model.onnx", "pack.json", "words.awt"]
        shas.append(json.loads((installed / "pack.json").read_text())["model"]["sha256"])
    assert shas[0] != shas[1]  # the new model replaced the old one: the app re-embeds once
    assert [p.name for p in (data / "packs").iterdir()] == ["toy"]
