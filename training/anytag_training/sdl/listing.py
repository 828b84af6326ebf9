"""A folder data set's listing as written: labels.tsv / labels.json and unseen.txt, read
tolerantly (a UTF-8 byte-order mark is ignored, labels are lowercased) with what was odd about
them kept for the check report. Malformed files raise TrainError naming the file and line."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from .errors import TrainError

BOM = "\ufeff"


@dataclass
class ListedImage:
    path: str  # relative to the root, as written ("/" separators)
    labels: list[str]  # lowercased, stripped, in file order, no repeats
    line: int  # line in labels.tsv (entry number in labels.json), from 1


@dataclass
class Listing:
    root: Path
    file: Path
    entries: list[ListedImage]
    boms: list[str] = field(default_factory=list)  # files that began with a BOM (ignored)
    spellings: dict[str, set[str]] = field(default_factory=dict)  # label → the spellings seen


def read_text(path: Path, boms: list[str]) -> str:
    """UTF-8 text with a leading BOM dropped (and noted in `boms`). TrainError if unreadable."""
    try:
        text = Path(path).read_text("utf-8")
    except FileNotFoundError:
        raise TrainError("NO_FILE", f"{path}: no such file", str(path)) from None
    except (OSError, UnicodeDecodeError) as e:
        raise TrainError("BAD_FILE", f"{path}: cannot read as UTF-8 text ({e})", str(path)) from None
    if text.startswith(BOM):
        boms.append(str(path))
        text = text[1:]
    return text


def find_labels_file(root: Path, labels_file: Path | None) -> Path:
    root = Path(root)
    if not root.is_dir():
        raise TrainError("NO_ROOT", f"{root}: not a folder", "--root")
    if labels_file is not None:
        return Path(labels_file)
    for name in ("labels.tsv", "labels.json"):
        if (root / name).exists():
            return root / name
    raise TrainError("NO_LABELS_FILE", f"{root}: no labels.tsv or labels.json (or pass --labels-file)", str(root))


def read_listing(root: Path, labels_file: Path | None = None) -> Listing:
    """labels.tsv: `relative/path<TAB>label, label, …` per line (# comments, blank lines skipped);
    labels.json: {"relative/path": ["label", …]}. An image listed twice appears twice."""
    root = Path(root)
    file = find_labels_file(root, labels_file)
    listing = Listing(root, file, [])
    text = read_text(file, listing.boms)
    raw: list[tuple[str, list[str], int]] = []
    if file.suffix == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as e:
            raise TrainError("BAD_LABELS_FILE", f"{file}:{e.lineno}: not valid JSON ({e.msg})", str(file)) from None
        if not isinstance(data, dict) or not all(isinstance(v, list) for v in data.values()):
            raise TrainError("BAD_LABELS_FILE", f"{file}: expected {{\"relative/path\": [\"label\", …]}}", str(file))
        raw = [(str(k), [str(x) for x in v], n) for n, (k, v) in enumerate(data.items(), 1)]
    else:
        for n, line in enumerate(text.splitlines(), 1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            if "\t" not in line:
                raise TrainError("BAD_LABELS_FILE", f"{file}:{n}: expected 'path<TAB>label, label, …', got {line[:60]!r}", f"{file}:{n}")
            path, tags = line.split("\t", 1)
            raw.append((path, tags.split(","), n))
    for path, tags, n in raw:
        labels: list[str] = []
        for tag in tags:
            spelled = " ".join(tag.split())
            if not spelled:
                continue
            name = spelled.lower()
            listing.spellings.setdefault(name, set()).add(spelled)
            if name not in labels:
                labels.append(name)
        listing.entries.append(ListedImage(path.strip().replace("\\", "/"), labels, n))
    return listing


def read_unseen(path: Path, boms: list[str]) -> list[str]:
    """Unseen labels, lowercased: JSON {"unseen": [...]} (like reference/nus-wide/labels.json) or
    plain text, one label per line (# comments allowed)."""
    text = read_text(path, boms)
    if Path(path).suffix == ".json":
        try:
            names = json.loads(text)["unseen"]
        except (json.JSONDecodeError, KeyError, TypeError):
            raise TrainError("BAD_SPLIT", f"{path}: expected JSON with an \"unseen\" list", str(path)) from None
    else:
        names = [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    out: list[str] = []
    for name in names:
        label = " ".join(str(name).split()).lower()
        if label and label not in out:
            out.append(label)
    return out
