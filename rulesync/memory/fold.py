"""Fold text so that German spellings with and without umlauts match each other.

`Größe`, `Groesse` and `GRÖSSE` all fold to `groesse`: ä, ö, ü become ae, oe, ue and ß
becomes ss (what a German writer types without the keys), then case is folded. The same
function runs on the indexed text and on the query, so either spelling finds the other.
"""

from __future__ import annotations

import re
import unicodedata

_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "ẞ": "ss"})
_WORD = re.compile(r"\w+")


def fold(text: str) -> str:
    """Lower-case text with umlauts spelt out and other accents removed (é → e)."""
    spelt = unicodedata.normalize("NFC", text).lower().translate(_UMLAUTS)
    decomposed = unicodedata.normalize("NFD", spelt)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return plain.casefold()


def words(text: str) -> list[str]:
    """The folded words of `text`, in order."""
    return _WORD.findall(fold(text))
