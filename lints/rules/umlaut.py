"""The umlaut lint: ASCII transliterations in German text (fuer, Groesse, Strasse).

A token with ae, oe, ue or ss is flagged only when it is not a German word and some
replacement of those pairs by ä, ö, ü or ß is one: that word is the suggestion. Words that
German prose legitimately spells with the pairs (neue, aktuell, Klasse, Israel) are in the
word list, so they are never flagged; an ss/ß pair where both are words (Masse/Maße) is
never flagged either. See `lints/rules/_german.py` for the word-level rules and
`lints/lexicon.py` for the word lists.

Options (`lint.umlaut` in rulesync.yaml, plus `identity_names` from the CLI):
- `lang`: `de` (default), `de-CH` (Swiss: ss is right, only ae/oe/ue are checked) or
  `auto` (only paragraphs that look German are checked).
- `allow`: words never flagged (names, product terms), matched case-insensitively.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from functools import cache
from itertools import pairwise

from lints.document import Document, Kind
from lints.errors import LintConfigError
from lints.finding import Finding
from lints.lowercase import lower
from lints.rules._german import Speller
from lints.rules._prefixes import prefixes

TYPE_CHECKING = False  # not from typing: a pre-commit run imports this module
if TYPE_CHECKING:
    from typing import Any, Literal, NamedTuple

    Lang = Literal["de", "de-CH", "auto"]
else:
    from lints.record import NamedTuple

    Lang = str

RULE = "umlaut"
LANGS: tuple[Lang, ...] = ("de", "de-CH", "auto")
OPTION_KEYS = ("lang", "allow", "identity_names")

#: The pairs in the spellings that words have: fuer, Aenderung, FUER.
PAIR_SPELLINGS = ("ae", "oe", "ue", "ss", "Ae", "Oe", "Ue", "AE", "OE", "UE", "SS")
# Patterns are compiled on first use (`_regex`): compiling a Unicode class costs start-up.
WORD = r"[^\W\d_]+"

PARAGRAPH_BREAK = r"\n[ \t]*\n"
CONTRACTION = r"['\u2019](?:t|re|ll|ve|d|m)\b"
#: The word before a token on the same line, with the dot of an initial.
PREVIOUS_WORD = r"([^\W\d_]+)(\.?)[ \t]+$"
#: PREVIOUS_WORD on the reversed window: spaces, the dot, the word (`_previous_word`).
PREVIOUS_WORD_REVERSED = r"[ \t]+(\.?)([^\W\d_]+)"
#: Abbreviations whose last letter looks like an initial: z. B., d. h., u. a. (z.B.).
ABBREVIATION_BEFORE = r"(?:^|[^\w.])[a-zäöü]\.[ \t]*$"
NAME_WINDOW = 60
#: Longer capitalised tokens are not taken for surnames.
MAX_SURNAME = 10
NOUN_ENDINGS = ("ung", "ungen", "heit", "heiten", "keit", "keiten", "schaft", "schaften")
#: Characters around a token that make it part of a path, address or identifier.
IDENTIFIER_NEIGHBOURS = frozenset("_/\\@#$%&=~+*<>|^`")
#: Emphasis and strikethrough marks (`**während**`, `~~alt~~`, `_so_`): a neighbour only
#: when the run of them opens or closes, i.e. has no letter or digit on its far side.
EMPHASIS_MARKS = frozenset("*_~")
#: What joins a feminine ending to a noun: Käufer*innen, Nutzer:innen, Kund_innen.
GENDER_JOINS = frozenset("*:_/")
GENDER_ENDINGS = ("innen", "in")
#: Words before a name that make the capitalised word after them a surname.
NAME_TITLES = frozenset({"herr", "herrn", "frau", "dr", "prof", "mr", "mrs", "ms"})
DOTTED_NEIGHBOURS = frozenset(".:")

#: Function words that tell German from English; none of them is a word of the other.
GERMAN_WORDS = frozenset(
    (
        "aber", "als", "auch", "auf", "aus", "bei", "beim", "bis", "dass", "daß", "dem", "den",
        "der", "des", "dich", "die", "dies", "diese", "diesem", "diesen", "dieser", "dieses",
        "durch", "ein", "eine", "einem", "einen", "einer", "eines", "für", "fuer", "haben",
        "ich", "ihr", "im", "ist", "kann", "kein", "keine", "können", "koennen", "mehr", "mich", "mit",
        "muss", "nach", "nicht", "noch", "nur", "oder", "sehr", "sich", "sie", "sind", "soll",
        "sollte", "über", "ueber", "und", "uns", "unter", "vom", "von", "vor", "wenn",
        "werden", "wie", "wir", "wird", "wurde", "wurden", "zu", "zum", "zur", "zwischen",
    )
)  # fmt: skip
ENGLISH_WORDS = frozenset(
    (
        "about", "after", "all", "and", "any", "are", "been", "but", "can", "could", "does", "each",
        "from", "has", "have", "how", "into", "is", "its", "may", "more", "must", "not", "of",
        "only", "or", "other", "should", "such", "than", "that", "the", "their", "them", "then",
        "there", "these", "they", "this", "through", "to", "use", "used", "was", "were", "what",
        "when", "where", "which", "while", "who", "will", "with", "would", "you", "your",
    )
)  # fmt: skip


#: English words that German prose means as transliterations (groß, Maß, Fuß, Süd) when
#: the words around them are German: `ist gross`, `das Mass der Dinge`, but `gross
#: margin`, `Mass Storage`. Other English words (daemon, Phoenix) are German loans as well.
GERMAN_AMONG_GERMAN = frozenset({"gross", "mass", "fuss", "sued"})
#: English stems that stay English with a German ending even among German words: the
#: Daemon of an operating system is no Dämon.
ENGLISH_IN_GERMAN = frozenset({"daemon", "daemons", "phoenix"})
ENGLISH_IN_GERMAN_STEMS = tuple(sorted(ENGLISH_IN_GERMAN))
#: What may stand between a word and its neighbour in the same sentence.
NEIGHBOUR_GAP = frozenset(" \t\n-/\u00a0")
_APOSTROPHES = ("'", "\u2019")
#: Not a suggestion: `_suggestions` has no entry for the token yet.
_NOT_ASKED = "\x00"


class Options(NamedTuple):
    """`allow` holds lower-case words: the allow-list and the words of identity names."""

    lang: Lang = "de"
    allow: frozenset[str] = frozenset()


def build(options: Mapping[str, Any]) -> UmlautRule:
    """The configured rule. Raises LintConfigError on bad options."""
    return UmlautRule(parse_options(options))


def parse_options(options: Mapping[str, Any] | None) -> Options:
    if options is None:
        return Options()
    if not isinstance(options, Mapping):
        raise LintConfigError("must be a mapping with `lang` and `allow`")
    for key in options:
        if key not in OPTION_KEYS:
            raise LintConfigError(
                f"unknown key `{key}` (the umlaut lint knows `lang`, `allow`)", (key,)
            )
    lang = options.get("lang", "de")
    if lang not in LANGS:
        raise LintConfigError(f"`{lang}` is not a language: use de, de-CH or auto", ("lang",))
    allowed = set(_words(options.get("allow"), "allow"))
    allowed.update(_words(options.get("identity_names"), "identity_names"))
    return Options(lang=lang, allow=frozenset(allowed))


def _words(value: Any, key: str) -> Iterator[str]:
    """The lower-case words of a list of strings: `Schaefer AG` allows `schaefer`."""
    if value is None:
        return
    if not isinstance(value, Sequence) or isinstance(value, str):
        raise LintConfigError("must be a list of words", (key,))
    for index, word in enumerate(value):
        if not isinstance(word, str) or not word.strip():
            raise LintConfigError("each entry must be a non-empty string", (key, index))
        yield from (w.lower() for w in _regex(WORD).findall(word))


class UmlautRule:
    """The umlaut rule, configured."""

    name = RULE

    def __init__(self, options: Options) -> None:
        self.options = options
        self._speller: Speller | None = None
        self._maybe_german: dict[str, bool] = {}
        #: `speller.suggest(token)` per token, asked once per candidate: no key tuple here.
        self._suggestions: dict[str, str | None] = {}

    @property
    def speller(self) -> Speller:
        """Built on first use, so that building the rule does not load the word lists."""
        if self._speller is None:
            from lints import lexicon

            self._speller = Speller(
                german=lexicon.german(),
                english=lexicon.english(),
                parts=lexicon.german_parts(),
                allowed=self.options.allow,
                sharp_s=self.options.lang != "de-CH",
            )
        return self._speller

    def might_match(self, text: str, kind: Kind = "markdown") -> bool:
        """Whether `check` could find anything: some token of the raw text is flagged.
        A long text's first lines are asked first (see `lints.rules._prefixes`)."""
        return any(self._flags(prefix) for prefix in prefixes(text)) or self._flags(text)

    def _flags(self, text: str) -> bool:
        return any(True for _ in self._flagged(text))

    def check(self, doc: Document) -> Iterable[Finding]:
        flagged = self._flagged(doc.prose)
        if self.options.lang == "auto":
            flagged = _in_german_paragraphs(doc.prose, flagged)
        for start, end, suggestion in flagged:
            yield _finding(doc, start, end, suggestion)

    @property
    def document_wide(self) -> bool:
        """Whether a paragraph's findings may depend on the rest of the document: with
        `lang: auto`, a paragraph without telling words goes with the document's language."""
        return self.options.lang == "auto"

    def split_check(self, doc: Document) -> tuple[list[Finding], list[Finding]]:
        """`check` of one piece of a big file (`lints.stream`), `lang: auto`: the findings
        its paragraphs decide, and those in paragraphs without telling words, which count
        only if the whole document looks German (`document_score` of every piece, summed,
        above 0)."""
        decided: list[Finding] = []
        by_document: list[Finding] = []
        for (start, end, suggestion), verdict in _paragraph_verdicts(
            doc.prose, self._flagged(doc.prose)
        ):
            if verdict is not False:
                found = _finding(doc, start, end, suggestion)
                (decided if verdict else by_document).append(found)
        return decided, by_document

    @staticmethod
    def document_score(prose: str) -> int:
        """How German a prose view looks (positive: German); the score of a document is the
        sum of its pieces' scores, cut at line starts."""
        return _german_score(prose)

    def _flagged(self, text: str) -> Iterator[tuple[int, int, str]]:
        """(start, end, suggestion) of each flagged token."""
        suggest = self.speller.suggest
        known = self._suggestions
        for start, end in _candidates(text):
            token = text[start:end]
            suggestion = known.get(token, _NOT_ASKED)
            if suggestion is _NOT_ASKED:
                suggestion = known[token] = suggest(token)
            if suggestion is None and self._meant_as_german(text, start, end, token):
                suggestion = suggest(token, skip_english=False)
            if suggestion is None or _is_identifier(text, start, end, token):
                continue
            if _is_english_contraction(text, end) or self._looks_like_surname(text, start, token):
                continue
            yield start, end, suggestion

    def _meant_as_german(self, text: str, start: int, end: int, token: str) -> bool:
        """gross in `ist gross`, not in `gross margin`: see GERMAN_AMONG_GERMAN. Likewise
        a word that is English only by a German ending (Sueden: suede|n, Boerse: boers|e)."""
        lower = token.lower()
        maybe = self._maybe_german.get(lower)
        if maybe is None:
            maybe = self._maybe_german[lower] = self._may_be_meant_as_german(lower)
        return maybe and _among_german_words(text, start, end, self._is_german_neighbour)

    def _may_be_meant_as_german(self, lower: str) -> bool:
        english_stem = not lower.startswith(ENGLISH_IN_GERMAN_STEMS)
        return lower in GERMAN_AMONG_GERMAN or (
            english_stem and self.speller.is_english_with_ending(lower)
        )

    def _looks_like_surname(self, text: str, start: int, token: str) -> bool:
        """A capitalised token after an initial (R. Guenther), a title (Herr Weiss) or a
        given name (Jürgen Weiss, Gerald Schaefer): a name, which may be spelt with
        ae/oe/ue/ss. A capitalised word after a German word is a noun (Das Thema
        Fluechtlinge, Bis Ende Maerz, wenn Ihre Aenderungen), and `z. B.` is no initial."""
        if not (token[0].isupper() and token[1:].islower()) or _noun_shaped(token):
            return False
        window = text[max(0, start - NAME_WINDOW) : start]
        previous = _previous_word(window)
        if previous is None:
            return False
        word, dot, word_start = previous
        before = window[:word_start].rstrip(" \t")
        if dot:
            return (
                len(word) == 1
                and word.isupper()
                and _regex(ABBREVIATION_BEFORE).search(before) is None
            ) or word.lower() in NAME_TITLES
        if not (word[0].isupper() and word[1:].islower()):
            return False
        lower = word.lower()
        if lower in NAME_TITLES or lower in self.given_names:
            return True
        if lower in GERMAN_WORDS or lower in self.speller.german:
            return False
        return bool(before) and (before[-1].isalnum() or before[-1] in ",;)")

    @property
    def given_names(self) -> frozenset[str]:
        from lints import lexicon

        return lexicon.given_names()

    def _is_german_neighbour(self, word: str) -> bool:
        """A German function word, a word with ä/ö/ü/ß, a listed German word that is not
        English, or a transliteration itself (`Abhaengigkeit gross ist`)."""
        lower = word.lower()
        if lower in GERMAN_WORDS or not lower.isascii():
            return True
        speller = self.speller
        return (
            len(lower) > 2
            and lower not in ENGLISH_WORDS
            and lower not in speller.english
            and (lower in speller.german or speller.suggest(word) is not None)
        )


def _previous_word(window: str) -> tuple[str, str, int] | None:
    """The match of PREVIOUS_WORD in `window` as (word, dot, start of the word), read
    backwards from the end in one match: searching forwards tries every position."""
    if window.endswith("\n"):  # `$` also matches before a final newline
        window = window[:-1]
    match = _regex(PREVIOUS_WORD_REVERSED).match(window[::-1])
    if match is None:
        return None
    return match.group(2)[::-1], match.group(1), len(window) - match.end()


def _among_german_words(text: str, start: int, end: int, is_german: Callable[[str], bool]) -> bool:
    """Whether the words next to text[start:end] in its sentence are German: one at least,
    and no other."""
    neighbours = [w for w in (_word_before(text, start), _word_after(text, end)) if w]
    return bool(neighbours) and all(is_german(word) for word in neighbours)


def _word_before(text: str, start: int) -> str:
    """The word before `start` in the same sentence and paragraph, or ''."""
    end = _skip_gap(text, start, -1)
    begin = end
    while begin and text[begin - 1].isalpha():
        begin -= 1
    return text[begin:end]


def _word_after(text: str, end: int) -> str:
    """The word after `end` in the same sentence and paragraph, or ''."""
    start = _skip_gap(text, end, 1)
    stop = start
    while stop < len(text) and text[stop].isalpha():
        stop += 1
    return text[start:stop]


def _skip_gap(text: str, index: int, step: int) -> int:
    """From `index`, past spaces, hyphens and slashes (and one line break) in direction
    `step`: where a neighbouring word would begin (step 1) or end (step -1)."""
    line_breaks = 0
    while 0 <= index + min(step, 0) < len(text):
        char = text[index + min(step, 0)]
        if char not in NEIGHBOUR_GAP or (char == "\n" and line_breaks):
            break
        line_breaks += char == "\n"
        index += step
    return index


def _candidates(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each word that contains ae, oe, ue or ss, in order.

    The pairs and the letters around them are found in a one-byte-per-character copy of
    the text (`_letter_map`) with `bytes.find`, many times faster than a regular
    expression or a loop over characters: see `_letter_table` for what it keeps.
    """
    data = _letter_map(text)
    size = len(text)
    last_end = -1
    for hit in _pair_hits(text, data):
        if hit < last_end:
            continue  # a second pair in the same word
        # `_word_start` and `_word_end`, inlined: this runs once per candidate
        start = data.rfind(b" ", 0, hit) + 1
        if start and text[start - 1].isalpha():
            start = _word_start(text, data, start)
        last_end = data.find(b" ", hit + 2)
        last_end = size if last_end == -1 else last_end
        if last_end < size and text[last_end].isalpha():
            last_end = _word_end(text, data, last_end)
        if start == 0:
            yield start, last_end
            continue
        before = text[start - 1]  # a letter, digit or `_`: part of a longer word or identifier
        if not (before.isalnum() or before == "_") or _opens_emphasis(text, start):
            yield start, last_end


@cache
def _letter_table() -> bytes:
    """Latin-1 byte to a class: the pair letters stay themselves (a/o/u/A/O/U as `V`,
    e/E as `E`), every other letter is `L`, everything else a space."""
    table = bytearray(b" " * 256)
    for byte in range(256):
        if chr(byte).isalpha():
            table[byte] = ord("L")
    for byte in b"aouAOU":
        table[byte] = ord("V")
    for byte in b"eE":
        table[byte] = ord("E")
    table[ord("s")], table[ord("S")] = ord("s"), ord("S")
    return bytes(table)


_PAIRS = frozenset(PAIR_SPELLINGS)
#: The pair spellings in the letter map: `VE` also stands for aE, oE and uE (dropped).
_MAPPED_PAIRS = (b"VE", b"ss", b"SS")


def _letter_map(text: str) -> bytes:
    """One byte per character, so offsets are those of the text: a character beyond
    Latin-1 becomes `?` on the way (so a space), and where one ends a run of letters, the
    run's edge is checked on the text itself."""
    return text.encode("latin-1", "replace").translate(_letter_table())


def _pair_hits(text: str, data: bytes) -> list[int]:
    """Offsets of every pair spelling in `text`, sorted."""
    hits: list[int] = []
    find = data.find
    for pair in _MAPPED_PAIRS:
        index = find(pair)
        while index != -1:
            if text[index : index + 2] in _PAIRS:
                hits.append(index)
            index = find(pair, index + 1)
    hits.sort()
    return hits


def _word_start(text: str, data: bytes, index: int) -> int:
    """Where the run of letters that holds text[index] starts (as `str.isalpha` says)."""
    start = data.rfind(b" ", 0, index) + 1
    while start and text[start - 1].isalpha():  # only past a letter beyond Latin-1
        start -= 1
    return start


def _word_end(text: str, data: bytes, index: int) -> int:
    """Where the run of letters from text[index] on ends (as `str.isalpha` says)."""
    end = data.find(b" ", index)
    end = len(text) if end == -1 else end
    while end < len(text) and text[end].isalpha():
        end += 1
    return end


def _is_identifier(text: str, start: int, end: int, token: str) -> bool:
    """Part of a path, address, file name or camelCase identifier rather than prose."""
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    if before in IDENTIFIER_NEIGHBOURS and not _opens_emphasis(text, start):
        return True
    if after in IDENTIFIER_NEIGHBOURS and not _prose_after(text, end):
        return True
    if before.isdigit() or after.isdigit():
        return True
    if before in DOTTED_NEIGHBOURS and start >= 2 and text[start - 2].isalnum():
        return True
    if (
        after in DOTTED_NEIGHBOURS
        and end + 1 < len(text)
        and text[end + 1].isalnum()
        and not _prose_after(text, end)
    ):
        return True
    return _is_camel_case(token)


def _prose_after(text: str, end: int) -> bool:
    """Emphasis closes at text[end], or a gender mark and ending follow: no identifier."""
    return _closes_emphasis(text, end) or _has_gender_ending(text, end)


def _opens_emphasis(text: str, start: int) -> bool:
    """Whether text[start] follows a run of emphasis marks with no letter or digit before
    it: `**während`, `~~alt`, `_so` (not `foo_aenderung`)."""
    index = start
    while index and text[index - 1] in EMPHASIS_MARKS:
        index -= 1
    return index < start and (index == 0 or not text[index - 1].isalnum())


def _closes_emphasis(text: str, end: int) -> bool:
    """Whether a run of emphasis marks at text[end] has no letter or digit after it."""
    index = end
    while index < len(text) and text[index] in EMPHASIS_MARKS:
        index += 1
    return index > end and (index == len(text) or not text[index].isalnum())


def _has_gender_ending(text: str, end: int) -> bool:
    """Whether text[end:] is a gender mark and a feminine ending: Käufer*innen."""
    if end >= len(text) or text[end] not in GENDER_JOINS:
        return False
    for ending in GENDER_ENDINGS:
        stop = end + 1 + len(ending)
        if text.startswith(ending, end + 1) and (stop == len(text) or not text[stop].isalpha()):
            return True
    return False


def _is_english_contraction(text: str, end: int) -> bool:
    """doesn't, aren't: the token before an English contraction's apostrophe."""
    return text[end : end + 1] in _APOSTROPHES and _regex(CONTRACTION).match(text, end) is not None


def _noun_shaped(token: str) -> bool:
    """Long, or with the ending of a derived noun: Abhaengigkeiten, Aenderungen, no
    surname (Schaefer, Guenther, Schroeder and Hoelderlin are shorter)."""
    return len(token) > MAX_SURNAME or token.lower().endswith(NOUN_ENDINGS)


def _is_camel_case(token: str) -> bool:
    if token[1:].islower():  # no upper-case letter after the first: the usual token
        return False
    return any(a.islower() and b.isupper() for a, b in pairwise(token))


def _in_german_paragraphs(
    text: str, flagged: Iterable[tuple[int, int, str]]
) -> Iterator[tuple[int, int, str]]:
    """Only the findings in paragraphs that look German. A paragraph without telling words
    (a heading, a table cell) goes with the document as a whole."""
    document_is_german: bool | None = None
    for item, verdict in _paragraph_verdicts(text, flagged):
        if verdict is None:
            if document_is_german is None:
                document_is_german = _german_score(text) > 0
            verdict = document_is_german
        if verdict:
            yield item


def _paragraph_verdicts(
    text: str, flagged: Iterable[tuple[int, int, str]]
) -> Iterator[tuple[tuple[int, int, str], bool | None]]:
    """Each flagged token (in text order) with its paragraph's verdict: True (looks German),
    False (looks English) or None (no telling words: the document decides)."""
    bounds = [0, *(m.end() for m in _regex(PARAGRAPH_BREAK).finditer(text)), len(text)]
    verdicts: dict[int, bool | None] = {}
    paragraph = 0
    for item in flagged:
        while bounds[paragraph + 1] <= item[0]:
            paragraph += 1
        if paragraph not in verdicts:
            score = _german_score(text[bounds[paragraph] : bounds[paragraph + 1]])
            verdicts[paragraph] = None if score == 0 else score > 0
        yield item, verdicts[paragraph]


def _german_score(text: str) -> int:
    """German function words and words with non-ASCII letters, minus English function
    words; positive means German."""
    score = 0
    for word in _regex(WORD).findall(lower(text)):
        if word in GERMAN_WORDS or not word.isascii():
            score += 1
        elif word in ENGLISH_WORDS:
            score -= 1
    return score


@cache
def _regex(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _finding(doc: Document, start: int, end: int, suggestion: str) -> Finding:
    line, col = doc.position(start)
    original = doc.text[start:end]
    return Finding(
        path=doc.path,
        line=line,
        col=col,
        rule=RULE,
        message=f'write "{suggestion}", not "{original}": ASCII transliteration of an umlaut or ß',
        suggestion=suggestion,
        start=start,
        end=end,
    )
