"""One error type for the training command line: a stable code, a one-line message, the file or
flag at fault, and whether it is bad usage (exit status 2) or a failure while running (1)."""

from __future__ import annotations


class TrainError(Exception):
    """A refused input or a failed step. `code` is stable (e.g. BAD_FLAG, NO_LABELS_FILE);
    `where` names the flag or file at fault; `usage` is True for bad usage (exit status 2)."""

    def __init__(self, code: str, message: str, where: str | None = None, usage: bool = True) -> None:
        super().__init__(message)
        self.code, self.where, self.usage = code, where, usage

    @property
    def exit_status(self) -> int:
        return 2 if self.usage else 1

    def one_line(self) -> str:
        """`anytag-train: error CODE (where): message` on one line."""
        where = f" ({self.where})" if self.where else ""
        text = " ".join(str(self).split())  # newlines and runs of spaces → one space
        return f"anytag-train: error {self.code}{where}: {text}"


def bad_flag(flag: str, message: str) -> TrainError:
    return TrainError("BAD_FLAG", message, flag)
