"""NFC normalisation that remembers where each character came from.

`Mu\u0308ller` (NFD, as macOS file systems and some editors write it) does not match
`Müller` until normalised, but findings must point at the original columns.
"""

from __future__ import annotations

import unicodedata

TYPE_CHECKING = False  # not from typing: a pre-commit run imports this module
if TYPE_CHECKING:
    from typing import NamedTuple
else:
    from lints.record import NamedTuple


class Normalized(NamedTuple):
    """`text` in NFC, and for each of its offsets the offset in the original (plus the end)."""

    text: str
    origins: tuple[int, ...] | None = None  # None: the original was NFC already

    def to_source(self, offset: int) -> int:
        return offset if self.origins is None else self.origins[offset]


def nfc(text: str) -> Normalized:
    if _is_latin1(text) or unicodedata.is_normalized("NFC", text):
        return Normalized(text)
    pieces: list[str] = []
    origins: list[int] = []
    for start, end in _clusters(text):
        piece = unicodedata.normalize("NFC", text[start:end])
        pieces.append(piece)
        origins.extend([start] * len(piece))
    origins.append(len(text))
    return Normalized("".join(pieces), tuple(origins))


def _clusters(text: str) -> list[tuple[int, int]]:
    """Spans of a starter and the combining characters after it: NFC composes only within."""
    spans: list[tuple[int, int]] = []
    start = 0
    for index in range(1, len(text) + 1):
        if index == len(text) or not _joins_previous(text[index]):
            spans.append((start, index))
            start = index
    return spans


def _joins_previous(char: str) -> bool:
    # Hangul vowel and final jamo compose with the syllable before them, yet are starters.
    return unicodedata.combining(char) != 0 or "\u1160" <= char <= "\u11ff"


def _is_latin1(text: str) -> bool:
    """Latin-1 text is NFC: it has no combining marks, and its letters are composed."""
    if text.isascii():
        return True
    try:
        text.encode("latin-1")
    except UnicodeEncodeError:
        return False
    return True
