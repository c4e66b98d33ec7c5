"""Finding the spellings of names in a text, fast.

A regex alternation of twenty names runs at some 25 MB/s in Python's `re`, because nearly
every letter of a text can start one of them. Instead each spelling has an *anchor*, a
literal piece of it at a bounded distance from its start (`git` in GitHub, `ller` in
Müller). `str.find` locates anchors at hundreds of MB/s, and the spelling's own pattern is
then tried only at the starts that can put the anchor there, and only at word starts.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence

from lints.names import Unit, anchor, pattern
from lints.names import scan_text as scan_text_of_any


@functools.cache
def _scan_table() -> bytes:
    """Latin-1 byte to what `names.scan_text` makes of its character: lower case, and a
    space for what it turns into one (each Latin-1 letter lowers to one Latin-1 letter)."""
    as_space = {"\t", "\r", "\u00a0", ">"}
    lowered = (chr(byte).lower() for byte in range(256))
    return bytes(ord(" " if char in as_space else char) for char in lowered)


def scan_text(text: str) -> str:
    """`names.scan_text(text)`: for Latin-1 text (English and German prose usually is)
    one byte translation, several times faster than `str.lower` on non-ASCII text."""
    try:
        data = text.encode("latin-1")
    except UnicodeEncodeError:
        return scan_text_of_any(text)
    return data.translate(_scan_table()).decode("latin-1")


class Spelling:
    """One name's spelling pattern, compiled on first use."""

    def __init__(self, name_units: Sequence[Unit]) -> None:
        self.anchor = anchor(name_units)
        self.pattern = pattern(name_units)
        self._regex: re.Pattern[str] | None = None

    @property
    def regex(self) -> re.Pattern[str]:
        if self._regex is None:
            self._regex = re.compile(self.pattern)
        return self._regex

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Every match that starts a word; `text` is a `names.scan_text()`."""
        if self.anchor is None:
            return [m.span() for m in self.regex.finditer(text) if word_start(text, m.start())]
        piece, low, high = self.anchor.text, self.anchor.min_offset, self.anchor.max_offset
        if high == 0:
            return self._spans_at_anchor(text, piece)
        found: list[tuple[int, int]] = []
        tried: set[int] = set()
        hit = text.find(piece)
        while hit != -1:
            for start in range(max(0, hit - high), hit - low + 1):
                if start in tried or not word_start(text, start):
                    continue
                tried.add(start)
                match = self.regex.match(text, start)
                if match is not None:
                    found.append(match.span())
            hit = text.find(piece, hit + 1)
        return found

    def _spans_at_anchor(self, text: str, piece: str) -> list[tuple[int, int]]:
        """The common case: the anchor starts the name, so a hit is the only start to try."""
        found: list[tuple[int, int]] = []
        match_at = self.regex.match
        find = text.find
        hit = find(piece)
        while hit != -1:
            # `word_start`, inlined: most hits follow a space
            before = text[hit - 1] if hit else " "
            if before == " " or word_start(text, hit):
                match = match_at(text, hit)
                if match is not None:
                    found.append(match.span())
            hit = find(piece, hit + 1)
        return found


def find_all(spellings: Sequence[Spelling], text: str) -> list[tuple[int, int, int]]:
    """Every `(start, end, index of the spelling)`, leftmost first, the longest first at a start."""
    hits = [
        (start, -end, index)
        for index, spelling in enumerate(spellings)
        for start, end in spelling.spans(text)
    ]
    hits.sort()  # by start, then the longest first, then by spelling
    return [(start, -negative_end, index) for start, negative_end, index in hits]


def word_start(text: str, start: int) -> bool:
    if start == 0:
        return True
    before = text[start - 1]
    return not (before.isalnum() or before == "_" or unicodedata.combining(before))
