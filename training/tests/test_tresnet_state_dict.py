"""The SDL TResNet-M state_dict matches the official checkpoint key for key, shape for shape."""

from __future__ import annotations

from pathlib import Path

import torch

from anytag_training.tresnet import SdlTResNetM, TResNetConfig, official_state_dict_shapes
from anytag_training.tresnet.make_checkpoint import random_state_dict, save_official

ABN = ("weight", "bias", "running_mean", "running_var")


def expected_official_keys() -> dict[str, tuple[int, ...]]:
    """Written independently of model.py from the official TResNet code + ZS_SDL create_model."""
    out: dict[str, tuple[int, ...]] = {}

    def conv_abn(prefix: str, cin: int, cout: int, k: int) -> None:
        out[f"{prefix}.0.weight"] = (cout, cin, k, k)
        for n in ABN:
            out[f"{prefix}.1.{n}"] = (cout,)

    def se(prefix: str, c: int, r: int) -> None:
        out.update({f"{prefix}.fc1.weight": (r, c, 1, 1), f"{prefix}.fc1.bias": (r,),
                    f"{prefix}.fc2.weight": (c, r, 1, 1), f"{prefix}.fc2.bias": (c,)})

    conv_abn("conv1", 48, 64, 3)
    cin = 64
    for li, (kind, planes, blocks, stride, use_se) in enumerate(
            [("basic", 64, 3, 1, True), ("basic", 128, 4, 2, True), ("bottle", 256, 11, 2, True),
             ("bottle", 512, 3, 2, False)], start=1):
        cout = planes * (1 if kind == "basic" else 4)
        for b in range(blocks):
            p = f"layer{li}.{b}"
            s = stride if b == 0 else 1
            aa = ".0" if s == 2 else ""  # strided conv = Sequential(conv_abn, anti-alias)
            if kind == "basic":
                conv_abn(f"{p}.conv1{aa}", cin, planes, 3)
                conv_abn(f"{p}.conv2", planes, planes, 3)
            else:
                conv_abn(f"{p}.conv1", cin, planes, 1)
                conv_abn(f"{p}.conv2{aa}", planes, planes, 3)
                conv_abn(f"{p}.conv3", planes, cout, 1)
            if b == 0 and (s != 1 or cin != cout):
                conv_abn(f"{p}.downsample.{1 if s == 2 else 0}", cin, cout, 1)
            if use_se:
                se(f"{p}.se", planes, max(planes // 4, 64) if kind == "basic" else max(planes * 4 // 8, 64))
            cin = cout
    out["embedding.weight"] = (7 * 300, 2048)
    return out


def test_state_dict_has_the_373_official_entries() -> None:
    got = official_state_dict_shapes()
    want = expected_official_keys()
    assert len(got) == 373
    assert set(got) == set(want)
    assert {k: v for k, v in got.items()} == want
    assert not any("num_batches_tracked" in k for k in got)


def test_official_entry_count_by_kind() -> None:
    keys = list(official_state_dict_shapes())
    assert sum(k.endswith("running_var") for k in keys) == 1 + 3 * 2 + 4 * 2 + 1 + 11 * 3 + 1 + 3 * 3 + 1
    assert sum(".se." in k for k in keys) == 4 * (3 + 4 + 11)
    assert keys[-1] == "embedding.weight" and "embedding.bias" not in keys


def test_saved_checkpoint_loads_strictly_in_official_format(tmp_path: Path) -> None:
    cfg = TResNetConfig(layers=(1, 1, 1, 1), num_rows=2, wordvec_dim=8)
    path = tmp_path / "small.pth"
    save_official(path, random_state_dict(0, cfg), ["a", "b", "c"])
    state = torch.load(path, map_location="cpu", weights_only=True)
    assert set(state) == {"model", "num_classes", "idx_to_class"}
    assert state["num_classes"] == 3 and state["idx_to_class"] == {0: "a", 1: "b", 2: "c"}
    model = SdlTResNetM(cfg)
    model.load_state_dict(state["model"], strict=True)
    y = model.eval()(torch.rand(2, 3, 64, 64))
    assert y.shape == (2, 16) and torch.isfinite(y).all()


def test_broken_variants_for_the_converter_tests(tmp_path: Path) -> None:
    import zipfile

    from anytag_training.tresnet.make_checkpoint import save_variant

    assert save_variant(tmp_path / "small.pth", "small", 0, ["a"]) == 83
    assert zipfile.is_zipfile(tmp_path / "small.pth")
    save_variant(tmp_path / "legacy.pth", "legacy", 0, ["a"])
    assert not zipfile.is_zipfile(tmp_path / "legacy.pth")
    assert (tmp_path / "legacy.pth").read_bytes()[:3] == b"\x80\x02\x8a"
