"""Data checks before training a folder: what `anytag-train check` lists and training skips.

Listed (and skipped by training, with counts): images missing or unreadable (e.g. a truncated
JPEG), listed twice or byte-identical to another, labels without a word vector (with close
words as suggestions), images left without a positive label. Listed only: byte-order marks and
label spellings that differ only in case (both harmless: ignored / merged), symlinked images
(trained on, but the app does not index symlinks).
"""

from __future__ import annotations

import difflib
import hashlib
import io
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps

from .listing import Listing, read_listing, read_unseen
from .word_vectors import TOKEN, WordVectors


@dataclass
class UsableImage:
    path: str  # relative to the root
    labels: list[str]  # the labels kept (with a word vector)
    sha256: str  # of the file's bytes
    dhash: int  # 64-bit difference hash (9×8 grey), for near-duplicate detection
    dhash_mirror: int  # the same of the mirrored image


@dataclass
class CheckReport:
    listing: Listing
    unseen_file: str | None = None
    missing: list[str] = field(default_factory=list)
    unreadable: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (skipped, kept)
    no_vector: dict[str, list[str]] = field(default_factory=dict)  # label → suggestions
    no_positive: list[str] = field(default_factory=list)
    case_clashes: list[list[str]] = field(default_factory=list)
    unseen_unknown: list[str] = field(default_factory=list)  # in unseen.txt, on no image
    symlinks: list[str] = field(default_factory=list)
    usable: list[UsableImage] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)  # kept labels, sorted
    unseen: list[str] = field(default_factory=list)  # kept unseen labels, sorted

    def skipped(self) -> dict[str, int]:
        """What training leaves out, by reason."""
        return {
            "missing images": len(self.missing),
            "unreadable images": len(self.unreadable),
            "duplicate images": len(self.duplicates),
            "labels without a word vector": len(self.no_vector),
            "images without a positive label": len(self.no_positive),
        }

    def as_dict(self) -> dict:
        return {
            "labels_file": str(self.listing.file), "unseen_file": self.unseen_file,
            "listed": len(self.listing.entries), "usable": len(self.usable),
            "labels": len(self.labels), "unseen": self.unseen, "skipped": self.skipped(),
            "missing": self.missing, "unreadable": [{"path": p, "reason": r} for p, r in self.unreadable],
            "duplicates": [{"skipped": s, "same_as": k} for s, k in self.duplicates],
            "no_vector": self.no_vector, "no_positive": self.no_positive,
            "boms": self.listing.boms, "case_clashes": self.case_clashes,
            "unseen_unknown": self.unseen_unknown, "symlinks": self.symlinks,
        }

    def lines(self, limit: int = 5) -> list[str]:
        """Human-readable findings, one per line (at most `limit` examples each)."""

        def some(items: list) -> str:
            shown = ", ".join(str(x) for x in items[:limit])
            return shown + (f", … ({len(items) - limit} more)" if len(items) > limit else "")

        out = [f"{self.listing.file}: {len(self.listing.entries)} images listed, {len(self.usable)} usable, "
               f"{len(self.labels)} labels ({len(self.unseen)} unseen)"]
        if self.missing:
            out.append(f"missing images ({len(self.missing)}, skipped): {some(self.missing)}")
        if self.unreadable:
            out.append(f"unreadable images ({len(self.unreadable)}, skipped): {some([f'{p} [{r}]' for p, r in self.unreadable])}")
        if self.duplicates:
            out.append(f"duplicate images ({len(self.duplicates)}, skipped): {some([f'{s} = {k}' for s, k in self.duplicates])}")
        if self.no_vector:
            shown = [f"{l!r}" + (f" (did you mean {' / '.join(s)}?)" if s else "") for l, s in self.no_vector.items()]
            out.append(f"labels without a word vector ({len(self.no_vector)}, dropped): {some(shown)}")
        if self.no_positive:
            out.append(f"images without a positive label ({len(self.no_positive)}, skipped): {some(self.no_positive)}")
        if self.listing.boms:
            out.append(f"byte-order mark ignored in: {some(self.listing.boms)}")
        if self.case_clashes:
            out.append(f"labels differing only in case ({len(self.case_clashes)}, merged): {some(['/'.join(c) for c in self.case_clashes])}")
        if self.unseen_unknown:
            out.append(f"unseen labels on no image ({len(self.unseen_unknown)}): {some(self.unseen_unknown)}")
        if self.symlinks:
            out.append(f"symlinked images ({len(self.symlinks)}; trained on, but the app does not index symlinks): {some(self.symlinks)}")
        return out


def dhash(im: Image.Image) -> int:
    """64-bit difference hash: 9×8 grey thumbnail, one bit per horizontal neighbour pair."""
    g = np.asarray(im.convert("L").resize((9, 8), Image.Resampling.BILINEAR), dtype=np.int16)
    bits = (g[:, 1:] > g[:, :-1]).ravel()
    return int(sum(1 << i for i, b in enumerate(bits) if b))


def inspect_image(path: Path) -> tuple[str, int, int]:
    """(sha256 of the bytes, dhash, dhash of the mirror image); OSError/ValueError if unreadable."""
    data = path.read_bytes()
    with Image.open(io.BytesIO(data)) as im:
        im.load()  # decodes everything: a truncated file fails here
        rgb = im.convert("RGB")
    return hashlib.sha256(data).hexdigest(), dhash(rgb), dhash(ImageOps.mirror(rgb))


def suggest(label: str, words: WordVectors, n: int = 3) -> list[str]:
    """Close words of the table for each unknown token of `label` (difflib ratio ≥ 0.75)."""
    out: list[str] = []
    for token in TOKEN.findall(label):
        if token in words.index:
            continue
        pool = [w for w in words.words if w[:1] == token[:1] and abs(len(w) - len(token)) <= 2]
        out += difflib.get_close_matches(token, pool, n=n, cutoff=0.75)
    return out[:n]


def check_folder(root: Path, words: WordVectors, labels_file: Path | None = None, unseen_file: Path | None = None) -> CheckReport:
    """Read and check a folder data set (see the module doc); nothing is modified on disk."""
    listing = read_listing(root, labels_file)
    report = CheckReport(listing, str(unseen_file) if unseen_file else None)
    unseen = read_unseen(unseen_file, listing.boms) if unseen_file else []
    report.case_clashes = [sorted(s) for _, s in sorted(listing.spellings.items()) if len(s) > 1]
    listed = {l for e in listing.entries for l in e.labels}
    report.unseen_unknown = [l for l in unseen if l not in listed]
    known = {l: words.has(l) for l in sorted(listed | set(unseen))}
    report.no_vector = {l: suggest(l, words) for l, ok in known.items() if not ok}
    seen_paths: dict[str, str] = {}
    seen_bytes: dict[str, str] = {}
    for entry in listing.entries:
        path = listing.root / entry.path
        key = entry.path.lower()
        if key in seen_paths:
            report.duplicates.append((entry.path, seen_paths[key]))
            continue
        seen_paths[key] = entry.path
        if not path.is_file():
            report.missing.append(entry.path)
            continue
        if path.is_symlink():
            report.symlinks.append(entry.path)
        try:
            sha, h, hm = inspect_image(path)
        except (OSError, ValueError, Image.DecompressionBombError) as e:
            report.unreadable.append((entry.path, " ".join(str(e).split()) or type(e).__name__))
            continue
        if sha in seen_bytes:
            report.duplicates.append((entry.path, seen_bytes[sha]))
            continue
        seen_bytes[sha] = entry.path
        labels = [l for l in entry.labels if known[l]]
        if not labels:
            report.no_positive.append(entry.path)
            continue
        report.usable.append(UsableImage(entry.path, labels, sha, h, hm))
    report.labels = sorted({l for im in report.usable for l in im.labels})
    report.unseen = sorted(set(unseen) & set(report.labels))
    return report
