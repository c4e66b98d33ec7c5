"""Fold text so that German spellings with and without umlauts match each other.

`Größe`, `Groesse` and `GRÖSSE` all fold to `groesse`: ä, ö, ü become ae, oe, ue and ß
becomes ss (what a German writer types without the keys), then case is folded. The same
function runs on the indexed text and on the query, so either spelling finds the other.
Other accents (é, å) are left to FTS5's tokenizer (`remove_diacritics 2`): folding them
here costs a pass over every character of 10,000 bodies.
"""

from __future__ import annotations

_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "ẞ": "ss"})


def fold(text: str) -> str:
    """Lower-case text with umlauts spelt out."""
    if text.isascii():
        return text.lower()
    import unicodedata  # only for non-ASCII text: `memory search cache` never pays for it

    composed = unicodedata.normalize("NFC", text)  # a decomposed ä (a + U+0308) too
    return composed.lower().translate(_UMLAUTS).casefold()


def words(text: str) -> list[str]:
    """The folded words of `text` (runs of letters, digits and `_`), in order."""
    folded = fold(text)
    spaced = "".join(char if char.isalnum() or char == "_" else " " for char in folded)
    return spaced.split()
