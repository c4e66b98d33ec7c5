"""The umlaut lint's word lists, loaded lazily and searched in place.

`lints/data/de-words.txt` holds some 670,000 German word forms, sorted and lower-case, one a
line (built by `scripts/build_lexicon.py` from Wikidata Lexemes, CC0); `de-parts.txt`, in
the same form, the first parts of compounds learned from them. Turning it into a
Python set takes longer than a whole pre-commit run may, so the file is memory-mapped and
searched by bisection. A word's bucket (the words that share its first few letters) becomes
a set the first time a word of that bucket is looked up, so a run pays only for the letters
its text uses.
"""

from __future__ import annotations

import mmap
import os
from collections.abc import Callable, Container
from functools import cache

# os.path, not pathlib: this module is imported on every pre-commit run.
DATA_DIR = os.path.join(os.path.dirname(__file__), "data")
GERMAN_WORDS = os.path.join(DATA_DIR, "de-words.txt")
GERMAN_PARTS = os.path.join(DATA_DIR, "de-parts.txt")
ENGLISH_WORDS = os.path.join(DATA_DIR, "en-skip.txt")
#: Hand-kept lists (the three above are built): see lints/data/NOTICE.md.
GERMAN_EXTRA = os.path.join(DATA_DIR, "de-extra.txt")
GERMAN_PROPER = os.path.join(DATA_DIR, "de-proper.txt")
ENGLISH_TECH = os.path.join(DATA_DIR, "en-tech.txt")
GIVEN_NAMES = os.path.join(DATA_DIR, "de-given-names.txt")

#: Words share a bucket when they share this many leading characters.
BUCKET_PREFIX = 4
#: Look-ups of one bucket's words answered by a search of its lines before it becomes a
#: set: a set of a common bucket (`schl`: 3,800 words) costs a thousand such searches, and
#: a 6 KB file asks most of its buckets once or twice.
SET_AFTER = 32
#: Greater than every byte of UTF-8 text, so `prefix + AFTER_ALL` bounds a prefix's lines.
AFTER_ALL = b"\xff"


class SortedWords:
    """Membership in a sorted, newline-separated UTF-8 word list (byte order = code points)."""

    def __init__(
        self,
        data: bytes | mmap.mmap,
        extra: frozenset[str] = frozenset(),
        removed: frozenset[str] = frozenset(),
    ) -> None:
        """`extra` words count as listed, `removed` ones do not (see lints/data/NOTICE.md)."""
        self._data = data
        self._extra = extra
        self._removed = removed
        self._buckets: dict[str, frozenset[str]] = {}
        #: a bucket's lines, newline before and after each, until it becomes a set
        self._lines: dict[str, bytes] = {}
        self._asked: dict[str, int] = {}
        self._known: dict[str, bool] = {}

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str) or not word or "\n" in word:
            return False
        if len(word) < BUCKET_PREFIX:
            return self._remembered(word, self._is_listed_short)
        prefix = word[:BUCKET_PREFIX]
        bucket = self._buckets.get(prefix)
        if bucket is not None:
            return word in bucket
        asked = self._asked.get(prefix, 0) + 1
        if asked > SET_AFTER:
            return word in self._bucket(prefix)
        self._asked[prefix] = asked
        return self._remembered(word, self._is_listed_in_bucket)

    def starting_with(self, prefix: str) -> Container[str]:
        """The words that start with `prefix` (of BUCKET_PREFIX letters), or all words: a
        container that answers as the bucket does for the words that start so (the bucket
        itself once it is a set, which a compound's many look-ups ask quickest)."""
        return self._buckets.get(prefix) or self

    def _remembered(self, word: str, is_listed: Callable[[str], bool]) -> bool:
        known = self._known.get(word)
        if known is None:
            listed = is_listed(word)
            known = (listed or word in self._extra) and word not in self._removed
            self._known[word] = known
        return known

    def _is_listed_short(self, word: str) -> bool:
        key = _encoded(word)
        start = self._lower_bound(key)
        return self._data[start : start + len(key) + 1] in (key + b"\n", key)

    def _is_listed_in_bucket(self, word: str) -> bool:
        prefix = word[:BUCKET_PREFIX]
        lines = self._lines.get(prefix)
        if lines is None:
            lines = self._lines[prefix] = b"\n" + self._bucket_bytes(prefix) + b"\n"
        return b"\n" + _encoded(word) + b"\n" in lines

    def _bucket(self, prefix: str) -> frozenset[str]:
        bucket = self._buckets.get(prefix)
        if bucket is None:
            listed = set(self._bucket_bytes(prefix).decode("utf-8").split("\n"))
            listed.update(word for word in self._extra if word.startswith(prefix))
            listed.difference_update(self._removed)
            bucket = frozenset(listed)
            self._buckets[prefix] = bucket
            self._lines.pop(prefix, None)
        return bucket

    def _bucket_bytes(self, prefix: str) -> bytes:
        """The lines of the words that start with `prefix`, without the last newline."""
        key = _encoded(prefix)
        start, end = self._lower_bound(key), self._lower_bound(key + AFTER_ALL)
        return self._data[start:end].rstrip(b"\n")

    def _lower_bound(self, key: bytes) -> int:
        """Offset of the first line that is >= key (the data's length if none is)."""
        data, low, high = self._data, 0, len(self._data)
        while low < high:
            middle = (low + high) // 2
            start = data.rfind(b"\n", 0, middle) + 1
            end = data.find(b"\n", start)
            if end == -1:
                end = len(data)
            if data[start:end] < key:
                low = end + 1
            else:
                high = start
        return min(low, len(data))


def _encoded(word: str) -> bytes:
    """UTF-8; a lone surrogate (from undecodable bytes) as bytes that no line of valid UTF-8
    holds, so such a word is simply not listed."""
    return word.encode("utf-8", "surrogatepass")


def _map(path: str) -> bytes | mmap.mmap:
    with open(path, "rb") as handle:
        try:
            return mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        except (ValueError, OSError):  # an empty file, or a file system without mmap
            return handle.read()


@cache
def german() -> SortedWords:
    """Known German word forms (lower-case, with ä/ö/ü/ß): the built list, with the hand-kept
    words it lacks (müßig, ÖVP) and without the entries that are only proper nouns (Straßer),
    which must not turn a name or a foreign word spelt with ae/oe/ue/ss into a finding."""
    return SortedWords(_map(GERMAN_WORDS), _read_words(GERMAN_EXTRA), _read_words(GERMAN_PROPER))


@cache
def german_parts() -> frozenset[str]:
    """First parts of compounds that are no word by themselves (farb, audio, krypto). A
    thousand short lines: a set is quicker to build and to ask than the mapped search."""
    return _read_words(GERMAN_PARTS)


@cache
def english() -> frozenset[str]:
    """Common English words with ae/oe/ue/ss that German text borrows (daemon, mass)."""
    return _read_words(ENGLISH_WORDS) | _read_words(ENGLISH_TECH)


@cache
def given_names() -> frozenset[str]:
    """Common given names (lower case): the capitalised word after one is a surname."""
    return _read_words(GIVEN_NAMES)


def _read_words(path: str) -> frozenset[str]:
    """The words of a list, one a line, lower-cased; `#` starts a comment."""
    with open(path, encoding="utf-8") as handle:
        text = handle.read().lower()
    lines = text.split("\n")
    if "#" in text:
        lines = [line.split("#", 1)[0] for line in lines]
    return frozenset(filter(None, map(str.strip, lines)))
