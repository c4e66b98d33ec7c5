"""A document as rules see it: the source text, and its prose view with the same offsets."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Literal

_NEWLINE_RE = re.compile("\n")

Kind = Literal["markdown", "text"]

#: Character spans `(start, end)` of a text.
Spans = tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class Document:
    """`prose` has exactly the length of `text`.

    Every character that is not prose (code, URLs, link targets, HTML, frontmatter) is
    replaced by a space in `prose`; newlines are kept. So an offset found in `prose` is the
    same offset in `text`, and `position()` turns it into a 1-based (line, col).

    `html` lists the spans of `text` that Markdown reads as HTML (blocks, inline tags and
    comments): inline suppression comments count only there, so an example comment inside a
    code block does not switch a rule off. `None` means "anywhere" (plain text).
    """

    path: str
    text: str
    prose: str
    kind: Kind = "markdown"
    html: Spans | None = None
    _line_starts: list[int] = field(default_factory=list, repr=False, compare=False)

    def __post_init__(self) -> None:
        if len(self.prose) != len(self.text):
            raise ValueError("prose view must have the same length as the text")
        object.__setattr__(self, "_line_starts", _line_starts(self.text))

    def position(self, offset: int) -> tuple[int, int]:
        """1-based line and column of a character offset."""
        line_index = bisect.bisect_right(self._line_starts, offset) - 1
        return line_index + 1, offset - self._line_starts[line_index] + 1


def _line_starts(text: str) -> list[int]:
    return [0, *(newline.end() for newline in _NEWLINE_RE.finditer(text))]
