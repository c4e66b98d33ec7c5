"""The result of a lint rule: where, what, and what to write instead."""

from __future__ import annotations

TYPE_CHECKING = False  # not from typing: a pre-commit run imports this module
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any

_FIELDS = ("path", "line", "col", "rule", "message", "suggestion", "start", "end")


class Finding:
    """One problem in one file (immutable; compared, ordered and hashed by its fields).

    `line` and `col` are 1-based and count characters (not bytes) in the decoded text.
    `start`/`end` are character offsets of the flagged text in that same decoded text,
    so `--fix` can replace exactly `text[start:end]` with `suggestion`.

    A plain class with `__slots__`, not a dataclass: `dataclasses` imports `inspect`, a
    tenth of a pre-commit run's start-up.
    """

    __slots__ = _FIELDS

    path: str
    line: int
    col: int
    rule: str
    message: str
    suggestion: str | None
    start: int
    end: int

    def __init__(
        self,
        path: str,
        line: int,
        col: int,
        rule: str,
        message: str,
        suggestion: str | None = None,
        start: int = 0,
        end: int = 0,
    ) -> None:
        values = (path, line, col, rule, message, suggestion, start, end)
        for name, value in zip(_FIELDS, values, strict=True):
            object.__setattr__(self, name, value)

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "col": self.col,
            "rule": self.rule,
            "message": self.message,
            "suggestion": self.suggestion,
        }

    def _key(self) -> tuple[Any, ...]:
        return (
            self.path,
            self.line,
            self.col,
            self.rule,
            self.message,
            self.suggestion,
            self.start,
            self.end,
        )

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"cannot assign to field {name!r}: Finding is frozen")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field {name!r}: Finding is frozen")

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not Finding:
            return NotImplemented
        assert isinstance(other, Finding)
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __lt__(self, other: Finding) -> bool:
        if other.__class__ is not Finding:
            return NotImplemented
        return self._key() < other._key()

    def __le__(self, other: Finding) -> bool:
        if other.__class__ is not Finding:
            return NotImplemented
        return self._key() <= other._key()

    def __gt__(self, other: Finding) -> bool:
        if other.__class__ is not Finding:
            return NotImplemented
        return self._key() > other._key()

    def __ge__(self, other: Finding) -> bool:
        if other.__class__ is not Finding:
            return NotImplemented
        return self._key() >= other._key()

    def __repr__(self) -> str:
        fields = ", ".join(
            f"{name}={value!r}" for name, value in zip(_FIELDS, self._key(), strict=True)
        )
        return f"Finding({fields})"

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled as its fields: results come back from `rulesync lint`'s worker processes."""
        return (Finding, self._key())


def end_positions(text: str, findings: Sequence[Finding]) -> list[tuple[int, int]]:
    """1-based (line, col) just past each finding's flagged text in `text`, in the order of
    `findings`. One pass over the text, whatever the findings' number or the line's length
    (each finding searching back for its line start was quadratic on one long line)."""
    ends: list[tuple[int, int]] = [(0, 0)] * len(findings)
    line_start = done = 0
    for index in sorted(range(len(findings)), key=lambda i: _end(findings[i])):
        finding = findings[index]
        end = _end(finding)
        newline = text.rfind("\n", done, end)
        if newline >= 0:
            line_start = newline + 1
        done = end
        line = finding.line + text.count("\n", finding.start, end)
        ends[index] = (line, end - line_start + 1)
    return ends


def _end(finding: Finding) -> int:
    return max(finding.end, finding.start)
