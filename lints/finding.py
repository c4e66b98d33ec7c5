"""The result of a lint rule: where, what, and what to write instead."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Finding:
    """One problem in one file.

    `line` and `col` are 1-based and count characters (not bytes) in the decoded text.
    `start`/`end` are character offsets of the flagged text in that same decoded text,
    so `--fix` can replace exactly `text[start:end]` with `suggestion`.
    """

    path: str
    line: int
    col: int
    rule: str
    message: str
    suggestion: str | None = None
    start: int = 0
    end: int = 0

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "col": self.col,
            "rule": self.rule,
            "message": self.message,
            "suggestion": self.suggestion,
        }
