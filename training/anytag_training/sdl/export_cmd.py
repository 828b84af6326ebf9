"""`export`: a run folder → a model pack folder (docs/model-pack.md), written beside the target
and renamed into place; with --install-into, also put into (or replaced in) an app data folder. Held-out (unseen) labels stay out of labels.json unless --all-labels:
the app then treats them as words of the word table, i.e. as unseen labels with the unseen
threshold (prior × best cosine to a seen label), and marks them "(unseen)"."""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

import torch

from ..packs.pack_writer import PACK_ID, InputSpec, PackError
from .backbones import build_backbone
from .errors import TrainError, bad_flag
from .export import ExportError, PackInfo, export_pack
from .folder_data import log
from .head import SDLHead, SDLModel
from .word_vectors import load_words
from .word_table_file import glove_word_table
from .word_vectors import load_awt

BUNDLED = Path(__file__).resolve().parents[3] / "resources" / "packs"  # packs the app ships


def cmd_export(args: argparse.Namespace) -> None:
    run = Path(args.run)
    if not (run / "run.json").is_file() or not (run / "model.pt").is_file():
        raise TrainError("NO_RUN", f"{run}: not a finished run folder (no run.json / model.pt)", "--run")
    if not PACK_ID.match(args.id):
        raise bad_flag("--id", f"{args.id!r}: lowercase letters, digits, '.', '_' or '-' (at most 64, starting with a letter or digit)")
    out = Path(args.out)
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / "pack.json").exists())):
        raise bad_flag("--out", f"{out} exists and is not a pack folder; choose a new folder")
    meta = json.loads((run / "run.json").read_text("utf-8"))
    state = torch.load(run / "model.pt", map_location="cpu")
    backbone = build_backbone(meta["args"]["backbone"], Path(meta["args"]["backbone_onnx"]))
    if state["backbone"] is not None:
        backbone.module.load_state_dict(state["backbone"])
    head = SDLHead(backbone.n_features, meta["k"], meta["d"])
    head.load_state_dict(state["head"])
    word_table = Path(meta["args"]["word_table"]) if meta["args"]["word_table"] != "None" else None
    words = load_words(word_table)
    held_out = list(meta["unseen"])
    labels = meta["labels"] if args.all_labels else [l for l in meta["labels"] if l not in set(held_out)]
    pack_words = glove_word_table(args.pack_word_table or word_table)
    description = args.description or f"Trained with anytag training/ on {meta.get('data', {}).get('train_images', '?')} images."
    if held_out and not args.all_labels:
        table = load_awt(pack_words)
        missing = [l for l in held_out if not table.has(l)]
        if missing:
            log(f"warning: held-out labels the shipped word table lacks (unusable in the app): {', '.join(missing)}")
        description += f" Held out in training (zero-shot, left unseen: add them as labels): {', '.join(held_out)}."
    elif held_out:
        log(f"--all-labels: the {len(held_out)} held-out labels ship as seen labels (seen threshold, no unseen mark): {', '.join(held_out)}")
    spec = backbone.spec
    # Fed as sdl/data.py feeds training: Pillow's bilinear squash.
    input_spec = InputSpec(name="image", width=spec.width, height=spec.height, background=spec.background,
                           resample="pillow")
    info = PackInfo(args.id, args.name or args.id, args.licence, args.source, description)
    work = out.with_name(out.name + ".partial")
    shutil.rmtree(work, ignore_errors=True)
    try:
        try:
            export_pack(SDLModel(backbone.module, head), work, info, input_spec, meta["k"], meta["d"], labels, words.matrix(labels), pack_words)
        except ExportError as e:
            raise TrainError("EXPORT_MISMATCH", str(e), str(run), usage=False) from None
        except PackError as e:
            raise TrainError("PACK_INVALID", str(e), str(run), usage=False) from None
        (work / "training.json").write_text(json.dumps({
            "run": str(run.resolve()), "held_out": held_out, "held_out_shipped_as_seen": bool(args.all_labels and held_out),
            "metrics": json.loads((run / "metrics.json").read_text("utf-8")) if (run / "metrics.json").exists() else None,
            "data": {k: v for k, v in meta.get("data", {}).items() if k != "check"}, "seed": meta.get("seed"),
        }, indent=1), "utf-8")
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    if out.exists():
        shutil.rmtree(out)
    work.rename(out)
    log(f"pack {args.id}: {len(labels)} seen labels" + (f", {len(held_out)} held out as unseen" if held_out and not args.all_labels else ""))
    if args.install_into is not None:
        log(f"installed as {install(out, args.install_into, args.id)}: the app re-embeds every photo once, at its next start or index")
    print(out / "pack.json")


def install(pack: Path, data_dir: Path, pack_id: str) -> Path:
    """Put (or replace) the pack in the app's data folder as the app's own import does
    (docs/model-pack.md): pack.json and the files it names, in <data>/packs/<id>/, swapped in by
    renames. The app sees the new model.sha256 and re-embeds each photo once."""
    if (BUNDLED / pack_id).exists():
        raise bad_flag("--id", f"{pack_id!r} is a pack bundled with the app; export under another id")
    manifest = json.loads((pack / "pack.json").read_text("utf-8"))
    names = [manifest["model"]["file"], manifest["labels"]["file"], manifest["labels"]["vectors"], manifest["wordTable"]["file"]]
    names += [manifest["wordMap"]["file"]] if manifest.get("wordMap") else []
    root = Path(data_dir) / "packs"
    target, work, old = root / pack_id, root / f".{pack_id}.incoming", root / f".{pack_id}.old"
    for stale in (work, old):
        shutil.rmtree(stale, ignore_errors=True)
    work.mkdir(parents=True)
    for name in [*names, "pack.json"]:  # pack.json last
        shutil.copyfile(pack / name, work / name)
    if target.exists():
        target.rename(old)
    work.rename(target)
    shutil.rmtree(old, ignore_errors=True)
    return target
