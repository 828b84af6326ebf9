"""Train/test splits of a folder that keep near-duplicates on one side.

A split assigns whole groups: every image of a group (the variants, bursts or edits of one
photo) lands in train or in test, never both. Groups come from `--group-by`:
  folder       the image's folder (relative to the root); folder:N = its first N folder levels
  stem         the file name without extension and without its last "_", "-", "." or " " part
               (beach_crop.jpg, beach_flip.jpg → beach)
  image        every image alone (the old random split)
  <regex>      anything else: searched in the relative path; group 1 (or the whole match) is the key
Without `--group-by`, near-duplicates are detected by a 64-bit difference hash (mirror images
too); if any are found, the images are grouped by whichever of folder / stem keeps the most
near-duplicate pairs together (unless its largest group holds over a quarter of the images),
and near-duplicate pairs are joined on top, at the loosest hash distance (10, 8, … 0 bits) that
does not chain over a quarter of the images into one group. Or a split file
(`--split-file`) gives every image's side: `relative/path<TAB>train|test`.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import numpy as np

from .errors import TrainError, bad_flag

NEAR_DUPLICATE_BITS = 10  # dhash Hamming distance at or below which two images look alike
MAX_DETECT = 20000  # above this many images near-duplicate detection is skipped
MAX_GROUP_SHARE = 0.25  # a default grouping whose largest group holds more of the images is too coarse


@dataclass
class Grouping:
    keys: list[str]  # group key per image
    how: str  # what grouped them, for run.json and the log


def stem(path: str) -> str:
    """Folder + file name without extension and without its last "_", "-", "." or " " part."""
    p = PurePosixPath(path)
    name = re.split(r"[_\-. ](?=[^_\-. ]*$)", p.stem, maxsplit=1)[0] if re.search(r"[_\-. ]", p.stem) else p.stem
    return str(p.parent / name)


def folder(path: str, level: int | None = None) -> str:
    """The image's folder relative to the root ("" at the top), or its first `level` levels."""
    parts = PurePosixPath(path).parent.parts
    return "/".join(parts if level is None else parts[:level])


def keys_by(how: str, paths: list[str]) -> list[str]:
    """Group key per path for a --group-by value (see the module doc)."""
    if how == "image":
        return list(paths)
    if how == "stem":
        return [stem(p) for p in paths]
    m = re.fullmatch(r"folder(?::(\d+))?", how)
    if m:
        level = int(m.group(1)) if m.group(1) else None
        if level == 0:
            raise bad_flag("--group-by", "folder:N needs N ≥ 1")
        return [folder(p, level) for p in paths]
    try:
        pattern = re.compile(how)
    except re.error as e:
        raise bad_flag("--group-by", f"{how!r} is not folder[:N], stem, image or a valid regex ({e})") from None
    out = []
    for p in paths:
        found = pattern.search(p)
        if found is None:
            raise bad_flag("--group-by", f"regex {how!r} does not match {p!r}")
        out.append(found.group(1) if pattern.groups else found.group(0))
    return out


def near_duplicate_pairs(hashes: list[int], mirrored: list[int], bits: int = NEAR_DUPLICATE_BITS) -> list[tuple[int, int, int]]:
    """(i, j, distance), i < j, whose dhashes (either one mirrored) differ in ≤ `bits` bits."""
    h = np.asarray(hashes, dtype=np.uint64)
    hm = np.asarray(mirrored, dtype=np.uint64)
    pairs: list[tuple[int, int, int]] = []
    for i in range(len(h) - 1):
        d = np.minimum(_popcount(h[i + 1 :] ^ h[i]), _popcount(h[i + 1 :] ^ hm[i]))
        pairs += [(i, i + 1 + int(j), int(d[j])) for j in np.flatnonzero(d <= bits)]
    return pairs


def _popcount(x: np.ndarray) -> np.ndarray:
    return np.unpackbits(x.view(np.uint8).reshape(-1, 8), axis=1).sum(axis=1)


def _join(keys: list[str], pairs: list[tuple[int, int, int]]) -> list[str]:
    """Union of the groups of `keys` with the pairs (union-find); key = the group's first key."""
    parent = list(range(len(keys)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first: dict[str, int] = {}
    for i, k in enumerate(keys):
        parent[find(i)] = find(first.setdefault(k, i))
    for i, j, _ in pairs:
        parent[find(j)] = find(i)
    return [keys[find(i)] for i in range(len(keys))]


def _largest(keys: list[str]) -> int:
    return max(Counter(keys).values()) if keys else 0


def default_grouping(paths: list[str], hashes: list[int], mirrored: list[int]) -> Grouping:
    """Images alone if no near-duplicates; else folder or stem (the one keeping most look-alike
    pairs together), with the pairs joined on top unless that chains too many images together."""
    if len(paths) > MAX_DETECT:
        return Grouping(list(paths), f"by image (near-duplicate detection skipped above {MAX_DETECT} images)")
    pairs = near_duplicate_pairs(hashes, mirrored)
    if not pairs:
        return Grouping(list(paths), "by image (no near-duplicates found)")
    too_big = max(2, MAX_GROUP_SHARE * len(paths))
    best, best_kept, best_groups = "image", 0, len(paths)
    for how in ("stem", "folder"):
        keys = keys_by(how, paths)
        groups, kept = len(set(keys)), sum(keys[i] == keys[j] for i, j, _ in pairs)
        if _largest(keys) <= too_big and (kept > best_kept or (kept == best_kept and kept > 0 and groups > best_groups)):
            best, best_kept, best_groups = how, kept, groups
    named = keys_by(best, paths)
    found = f"near-duplicates detected ({len(pairs)} look-alike pairs)"
    rule = f"{best} (keeps {best_kept} pairs together)" if best != "image" else "image"
    for bits in range(NEAR_DUPLICATE_BITS, -1, -2):  # the loosest look-alike test that does not chain
        joined = _join(named, [p for p in pairs if p[2] <= bits])
        if _largest(joined) <= too_big:
            rule += f" joined with look-alikes (≤ {bits} of 64 hash bits apart)"
            return Grouping(joined, f"{found}: grouped by {rule}, {len(set(joined))} groups; choose with --group-by")
    return Grouping(named, f"{found}: grouped by {rule}, {len(set(named))} groups (look-alikes not joined: they chain "
                           f"into groups of over a quarter of the images); choose with --group-by")


def split_by_groups(keys: list[str], test_share: float, seed: int) -> np.ndarray:
    """Test mask [M]: whole groups, taken in random order (numpy, `seed`) when they bring the test
    part nearer test_share of the images; at least one group on each side."""
    if test_share <= 0:
        return np.zeros(len(keys), bool)
    groups = sorted(set(keys))
    if len(groups) < 2:
        raise TrainError("BAD_SPLIT", f"all {len(keys)} images are in one group: nothing to test on (use --group-by or --test-share 0)", "--group-by")
    order = np.random.default_rng(seed).permutation(len(groups))
    sizes: dict[str, int] = {}
    for k in keys:
        sizes[k] = sizes.get(k, 0) + 1
    want, test, n = test_share * len(keys), set(), 0
    for g in order:  # a group joins the test part if it brings the count nearer the target
        size = sizes[groups[g]]
        if len(test) == len(groups) - 1:
            break  # at least one group stays for training
        if not test or abs(n + size - want) < abs(n - want):
            test.add(groups[g])
            n += size
    return np.asarray([k in test for k in keys], bool)


def read_split_file(path: Path, paths: list[str], skipped: set[str]) -> np.ndarray:
    """Test mask [M] from lines `relative/path<TAB or spaces>train|test` (# comments allowed).
    Lines naming images the checks skipped are ignored; every usable image must be listed."""
    from .listing import read_text

    side: dict[str, bool] = {}
    for n, line in enumerate(read_text(path, []).splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = line.rsplit(None, 1) if "\t" not in line else line.rsplit("\t", 1)
        if len(parts) != 2 or parts[1].strip().lower() not in ("train", "test"):
            raise TrainError("BAD_SPLIT_FILE", f"{path}:{n}: expected 'path<TAB>train|test', got {line[:60]!r}", f"{path}:{n}")
        side[parts[0].strip().replace("\\", "/")] = parts[1].strip().lower() == "test"
    unknown = [p for p in side if p not in set(paths) and p not in skipped]
    if unknown:
        raise TrainError("BAD_SPLIT_FILE", f"{path}: {len(unknown)} images are not in the labels file, e.g. {unknown[0]!r}", str(path))
    absent = [p for p in paths if p not in side]
    if absent:
        raise TrainError("BAD_SPLIT_FILE", f"{path}: {len(absent)} images of the labels file are not listed, e.g. {absent[0]!r}", str(path))
    return np.asarray([side[p] for p in paths], bool)
