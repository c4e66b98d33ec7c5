"""The spellings of a name that the identity lint looks for, as regular expressions.

Patterns are built in lower case and run over `text.lower()`: that is several times faster
than IGNORECASE, and `lower()` (unlike `casefold()`) keeps `ß` apart from `ss`. Each name
becomes a sequence of *units*, one per character of the name, and a unit admits the usual
misspellings of its character: `ü` also matches `ue` and `u`, `ß` also `ss`, `é` also `e`.
Between the CamelCase parts of a word (`Git|Hub`), and where the name has a hyphen or a dot,
an optional hyphen or space is admitted (`Git Hub`, `Git-Hub`). Between the words of a
multi-word name, any run of spaces, non-breaking spaces or one line break is admitted, and
after a line break the `>` markers of a block quote: `scan_text()` turns tabs, non-breaking
spaces and `>` into plain spaces first, which keeps the patterns small and quick to compile.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Sequence

from lints.lowercase import lower
from lints.record import Frozen

#: Between words, in `scan_text()`: spaces, or one line break with the indentation around it.
SEPARATOR = r"(?: *\n *| +)"
#: Where CamelCase parts meet, or at a hyphen or dot in the name: optionally split.
_JOIN = r"(?:[-.]| *\n *| +)?"
_AS_SPACE = ("\t", "\r", "\u00a0", "\u202f", ">")
#: Possessives and the German genitive may follow a name: GitHub's, Müllers, Weiß'. (Not
#: `['\u2019]s?`: a class with a character beyond Latin-1 is a third of the compile per name.)
SUFFIX = r"(?:'s?|\u2019s?|s)?"
#: Then the word ends. (`\w` alone: a class of it plus combining marks costs milliseconds to
#: compile per name, and the scanned text is NFC, where marks after a letter are rare.)
END = r"(?=" + SUFFIX + r"(?!\w))"

_SPELLINGS: dict[str, tuple[str, ...]] = {
    "ä": ("ä", "ae", "a"),
    "ö": ("ö", "oe", "o"),
    "ü": ("ü", "ue", "u"),
    "ß": ("ß", "ss"),
    "æ": ("æ", "ae"),
    "œ": ("œ", "oe"),
    "ø": ("ø", "oe", "o"),
    "å": ("å", "aa", "a"),
    "'": ("'", "\u2019"),
    "\u2019": ("\u2019", "'"),
}
_TRANSLITERATION = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "æ": "ae", "œ": "oe"})
_SEPARATORS_RE = re.compile(r"[\s>\-.]+")
_WHITESPACE_RE = re.compile(r"\s+")


def scan_text(text: str) -> str:
    """What the patterns run over: `text` in lower case; tabs, CRs, non-breaking spaces and
    `>` as plain spaces.

    Same length as `text`, unless lower-casing changes the length of a rare character; then
    that character keeps its first lower-case code point.
    """
    lowered = lower(text)
    if len(lowered) != len(text):
        lowered = "".join(char.lower()[0] for char in text)
    for char in _AS_SPACE:
        if char in lowered:
            lowered = lowered.replace(char, " ")
    return lowered


class Unit(Frozen):
    """The regex for one character of a name (or a gap), and how wide its match can be."""

    __slots__ = ("literal", "max_width", "min_width", "pattern")

    pattern: str
    literal: str  # the character itself, when the unit admits nothing else
    min_width: int
    max_width: int | None  # None: unbounded

    def __init__(
        self, pattern: str, literal: str = "", min_width: int = 1, max_width: int | None = 1
    ) -> None:
        self._set(pattern=pattern, literal=literal, min_width=min_width, max_width=max_width)


class Anchor(Frozen):
    """A literal piece of every spelling of a name, and where it can sit in a match.

    `str.find` locates it many times faster than a regex scan finds the name, and the name's
    pattern is then tried only at the few starts that can put the anchor there.
    """

    __slots__ = ("max_offset", "min_offset", "text")

    text: str
    min_offset: int
    max_offset: int

    def __init__(self, text: str, min_offset: int, max_offset: int) -> None:
        self._set(text=text, min_offset=min_offset, max_offset=max_offset)


_SEPARATOR_UNIT = Unit(SEPARATOR, min_width=1, max_width=None)
_JOIN_UNIT = Unit(_JOIN, min_width=0, max_width=None)


def unit(char: str) -> Unit:
    """One lower-case character of a name and its misspellings."""
    if char in _SPELLINGS:
        return _alternatives(_SPELLINGS[char])
    base = strip_accents(char)
    if base != char and base.isascii():
        return _alternatives((char, base))
    return Unit(re.escape(char), literal=char)


def units(name: str) -> list[Unit]:
    """The name as units, lower case, with separators between words and parts."""
    result: list[Unit] = []
    for index, word in enumerate(name.lower().split()):
        if index:
            result.append(_SEPARATOR_UNIT)
        result.extend(_word_units(word, parts(name.split()[index])))
    return result


def parts(word: str) -> list[str]:
    """CamelCase parts, and the parts around a hyphen or dot: GitHub -> Git, Hub.

    A part must have at least two characters, so `GmbH` and `iPhone` stay whole.
    """
    pieces: list[str] = []
    for chunk in re.split(r"[-.]", word):
        pieces.extend(_camel_parts(chunk))
    return [p for p in pieces if p]


def _camel_parts(word: str) -> list[str]:
    cuts = [0]
    for i in range(1, len(word)):
        previous, char = word[i - 1], word[i]
        upper_after_lower = previous.islower() and char.isupper()
        acronym_end = previous.isupper() and char.isupper() and word[i + 1 : i + 2].islower()
        if (upper_after_lower or acronym_end) and i - cuts[-1] >= 2 and len(word) - i >= 2:
            cuts.append(i)
    cuts.append(len(word))
    return [word[a:b] for a, b in itertools.pairwise(cuts)]


def _word_units(word: str, word_parts: Sequence[str]) -> list[Unit]:
    boundaries = set()
    position = 0
    for part in word_parts[:-1]:
        position = word.find(part.lower(), position) + len(part)
        boundaries.add(position)
    result: list[Unit] = []
    for index, char in enumerate(word):
        if char in "-.":
            continue  # the join below stands for it
        if index in boundaries or (index and word[index - 1] in "-."):
            result.append(_JOIN_UNIT)
        result.append(unit(char))
    return result


def exact_units(form: str) -> list[Unit]:
    """A listed wrong form: its own characters (lower case), flexible only in whitespace."""
    result: list[Unit] = []
    for index, word in enumerate(form.lower().split()):
        if index:
            result.append(_SEPARATOR_UNIT)
        result.extend(Unit(re.escape(char), literal=char) for char in word)
    return result


def pattern(name_units: Sequence[Unit]) -> str:
    """The regex of a whole spelling, with the possessive and word end after it."""
    return "".join(u.pattern for u in name_units) + END


def anchor(name_units: Sequence[Unit]) -> Anchor | None:
    """The longest run of literal units at a bounded offset, or None if there is none."""
    best: Anchor | None = None
    low = high = index = 0
    while index < len(name_units):
        run = ""
        while index + len(run) < len(name_units) and name_units[index + len(run)].literal:
            run += name_units[index + len(run)].literal
        if run and (best is None or len(run) > len(best.text)):
            best = Anchor(run, low, high)
        for skipped in name_units[index : index + max(len(run), 1)]:
            if skipped.max_width is None:
                return best
            low, high = low + skipped.min_width, high + skipped.max_width
        index += max(len(run), 1)
    return best


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def squash(text: str) -> str:
    """Lower case without separators: equal for split, joined and re-cased forms."""
    return _SEPARATORS_RE.sub("", text.lower())


def transliterate(text: str) -> str:
    """Lower case, umlauts and ß written out, no separators: Müller -> mueller."""
    return squash(text).translate(_TRANSLITERATION)


def normalize_space(text: str) -> str:
    return _WHITESPACE_RE.sub(" ", text).strip()


def wrong_examples(name: str, explicit: Sequence[str], limit: int = 3) -> tuple[str, ...]:
    """A few typical misspellings of `name`, for the rules file: explicit ones first."""
    candidates = [*explicit, _written_out(name), _split(name), _recased(name)]
    examples: list[str] = []
    for candidate in candidates:
        if candidate and candidate != name and candidate not in examples:
            examples.append(candidate)
    return tuple(examples[: max(limit, len(explicit))])


def _written_out(name: str) -> str:
    """Umlauts and ß written out, keeping case: Jürgen Weiß -> Juergen Weiss."""
    out: list[str] = []
    for char in name:
        spelt = _WRITTEN_OUT.get(char.lower())
        if spelt is None:
            out.append(char)
        else:
            out.append(spelt.capitalize() if char.isupper() else spelt)
    return "".join(out)


_WRITTEN_OUT = {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"}


def _split(name: str) -> str:
    return " ".join(" ".join(parts(word)) for word in name.split())


def _recased(name: str) -> str:
    capitalised = " ".join(w[:1].upper() + w[1:].lower() for w in name.split())
    return capitalised if capitalised != name else name.upper()


def _alternatives(options: Sequence[str]) -> Unit:
    widths = [len(o) for o in options]
    body = "(?:" + "|".join(re.escape(o) for o in options) + ")"
    return Unit(body, min_width=min(widths), max_width=max(widths))
