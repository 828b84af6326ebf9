"""A small text progress bar on stderr (no tqdm dependency)."""

from __future__ import annotations

import sys
import time


class Progress:
    def __init__(self, total: int, label: str = "", enabled: bool = True, width: int = 30) -> None:
        self.total, self.label, self.width = max(total, 1), label, width
        self.done = 0
        self.enabled = enabled and sys.stderr.isatty()
        self.start = time.monotonic()
        self.suffix = ""

    def update(self, n: int = 1, suffix: str = "") -> None:
        self.done += n
        self.suffix = suffix or self.suffix
        if self.enabled:
            filled = int(self.width * self.done / self.total)
            rate = self.done / max(time.monotonic() - self.start, 1e-9)
            sys.stderr.write(
                f"\r{self.label} [{'#' * filled}{'.' * (self.width - filled)}] {self.done}/{self.total} {rate:.1f}/s {self.suffix}"
            )
            sys.stderr.flush()

    def close(self) -> None:
        if self.enabled:
            sys.stderr.write("\n")
            sys.stderr.flush()
