"""`str.lower()` of a whole file without its peak: for non-ASCII text CPython lowers into a
buffer of three UCS-4 characters per character (12 bytes per character of a file), so a
16 MB German file briefly takes 190 MB. Lowering line-aligned pieces gives the same string
(no case mapping looks past a line break: the final-sigma rule stops at uncased
characters) with a peak of about twice the file."""

from __future__ import annotations

#: Characters per piece; a piece ends after a newline (or is one whole long line).
PIECE = 1 << 16


def lower(text: str) -> str:
    """`text.lower()`, computed in line-aligned pieces when the text is long and not ASCII."""
    if len(text) <= PIECE or text.isascii():
        return text.lower()
    pieces: list[str] = []
    start = 0
    while start < len(text):
        cut = text.find("\n", start + PIECE)
        stop = len(text) if cut == -1 else cut + 1
        pieces.append(text[start:stop].lower())
        start = stop
    return "".join(pieces)
