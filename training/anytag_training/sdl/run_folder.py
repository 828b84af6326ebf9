"""A run's output folder, never left half-written: a run works in `<out>.partial` and becomes
`<out>` by a rename when complete. A run that fails before its first checkpoint leaves nothing;
one interrupted later keeps `<out>.partial` (with last.pt) for `--resume`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import torch

from .errors import TrainError

SIGNATURE = "signature.json"
RESUME_KEYS = ("k", "d", "mode", "backbone", "labels", "unseen", "batch_size", "train_listing")


class RunFolder:
    """`<out>` and its work folder `<out>.partial` (see the module doc)."""

    def __init__(self, out: Path) -> None:
        self.out = Path(out)
        self.work = self.out.with_name(self.out.name + ".partial")

    def resumable(self) -> Path | None:
        """The folder holding the checkpoint a --resume continues: an interrupted run's first."""
        for folder in (self.work, self.out):
            if (folder / "last.pt").exists() and (folder / SIGNATURE).exists():
                return folder
        return None

    def check_resume(self, signature: dict[str, Any], epochs: int) -> int:
        """Up front, before any work: the checkpoint's settings must match; returns epochs done.
        TrainError NO_CHECKPOINT, RESUME_MISMATCH (naming what changed) or NOTHING_TO_DO."""
        folder = self.resumable()
        if folder is None:
            raise TrainError("NO_CHECKPOINT", f"{self.out}: no checkpoint (last.pt) to resume; run without --resume first", "--resume")
        before = json.loads((folder / SIGNATURE).read_text("utf-8"))
        changed = [k for k in RESUME_KEYS if before.get(k) != signature.get(k)]
        if changed:
            what = "; ".join(f"{k} was {_short(before.get(k))}, now {_short(signature.get(k))}" for k in changed)
            raise TrainError("RESUME_MISMATCH", f"{folder}: cannot resume with other settings ({what}); train into a new --out", "--resume")
        done = int(torch.load(folder / "last.pt", map_location="cpu", weights_only=False)["epoch"]) + 1
        if epochs <= done:
            raise TrainError("NOTHING_TO_DO", f"{folder}: already trained {done} epochs; pass --epochs > {done} to extend", "--epochs")
        return done

    def open(self, resume: bool) -> Path:
        """The work folder: fresh, or (resume) holding the checkpoint to continue."""
        if resume:
            source = self.resumable()
            if source == self.out:
                shutil.rmtree(self.work, ignore_errors=True)
                shutil.copytree(self.out, self.work)
            return self.work
        shutil.rmtree(self.work, ignore_errors=True)
        self.work.mkdir(parents=True)
        return self.work

    def commit(self) -> Path:
        """Rename the work folder to `<out>` (replacing an older run there)."""
        old = self.out.with_name(self.out.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        if self.out.exists():
            self.out.rename(old)
        self.work.rename(self.out)
        shutil.rmtree(old, ignore_errors=True)
        return self.out

    def abandon(self) -> str:
        """After a failure: keep a work folder that holds a checkpoint, remove any other."""
        if (self.work / "last.pt").exists():
            return f"the checkpoint is kept in {self.work}: continue with --resume"
        shutil.rmtree(self.work, ignore_errors=True)
        return ""


def write_signature(folder: Path, signature: dict[str, Any]) -> None:
    """What a --resume must not change (RESUME_KEYS), beside the checkpoint."""
    (folder / SIGNATURE).write_text(json.dumps(signature, indent=1), "utf-8")


def _short(value: Any) -> str:
    text = json.dumps(value)
    return text if len(text) <= 40 else text[:37] + "…"
