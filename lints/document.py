"""A document as rules see it: the source text, and its prose view with the same offsets."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Literal

Kind = Literal["markdown", "text"]


@dataclass(frozen=True)
class Document:
    """`prose` has exactly the length of `text`.

    Every character that is not prose (code, URLs, link targets, HTML, frontmatter) is
    replaced by a space in `prose`; newlines are kept. So an offset found in `prose` is the
    same offset in `text`, and `position()` turns it into a 1-based (line, col).
    """

    path: str
    text: str
    prose: str
    kind: Kind = "markdown"
    _line_starts: list[int] = field(default_factory=list, repr=False, compare=False)

    def __post_init__(self) -> None:
        if len(self.prose) != len(self.text):
            raise ValueError("prose view must have the same length as the text")
        starts = [0]
        starts.extend(i + 1 for i, ch in enumerate(self.text) if ch == "\n")
        object.__setattr__(self, "_line_starts", starts)

    def position(self, offset: int) -> tuple[int, int]:
        """1-based line and column of a character offset."""
        line_index = bisect.bisect_right(self._line_starts, offset) - 1
        return line_index + 1, offset - self._line_starts[line_index] + 1
