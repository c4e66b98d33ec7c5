"""A document as rules see it: the source text, and its prose view with the same offsets."""

from __future__ import annotations

import bisect
import re

TYPE_CHECKING = False  # not from typing: a pre-commit run imports this module
if TYPE_CHECKING:
    from typing import Literal

    Kind = Literal["markdown", "text"]
else:
    Kind = str

_NEWLINE_RE = re.compile("\n")

#: Character spans `(start, end)` of a text.
Spans = tuple[tuple[int, int], ...]


class Document:
    """`prose` has exactly the length of `text`.

    Every character that is not prose (code, URLs, link targets, HTML, frontmatter) is
    replaced by a space in `prose`; newlines are kept. So an offset found in `prose` is the
    same offset in `text`, and `position()` turns it into a 1-based (line, col).

    `html` lists the spans of `text` that Markdown reads as HTML (blocks, inline tags and
    comments): inline suppression comments count only there, so an example comment inside a
    code block does not switch a rule off. `None` means "anywhere" (plain text).

    Immutable; a plain class, not a dataclass (`dataclasses` costs a pre-commit run's
    start-up a tenth).
    """

    __slots__ = ("_line_starts", "html", "kind", "path", "prose", "text")

    path: str
    text: str
    prose: str
    kind: Kind
    html: Spans | None
    _line_starts: list[int]

    def __init__(
        self,
        path: str,
        text: str,
        prose: str,
        kind: Kind = "markdown",
        html: Spans | None = None,
    ) -> None:
        if len(prose) != len(text):
            raise ValueError("prose view must have the same length as the text")
        values = (path, text, prose, kind, html, _line_starts(text))
        for name, value in zip(_FIELDS, values, strict=True):
            object.__setattr__(self, name, value)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"cannot assign to field {name!r}: Document is frozen")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field {name!r}: Document is frozen")

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not Document:
            return NotImplemented
        assert isinstance(other, Document)
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        fields = ", ".join(
            f"{name}={value!r}" for name, value in zip(_FIELDS, self._key(), strict=False)
        )
        return f"Document({fields})"

    def _key(self) -> tuple[object, ...]:
        return (self.path, self.text, self.prose, self.kind, self.html)

    def position(self, offset: int) -> tuple[int, int]:
        """1-based line and column of a character offset."""
        line_index = bisect.bisect_right(self._line_starts, offset) - 1
        return line_index + 1, offset - self._line_starts[line_index] + 1


_FIELDS = ("path", "text", "prose", "kind", "html", "_line_starts")


def _line_starts(text: str) -> list[int]:
    return [0, *(newline.end() for newline in _NEWLINE_RE.finditer(text))]
