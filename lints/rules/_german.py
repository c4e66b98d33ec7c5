"""Word-level German spelling for the umlaut lint: is this a word, and which umlaut spelling
of an ASCII transliteration is one.

A token is judged in lower case. `Speller.suggest()` returns the spelling to write, in the
token's own case, or None. The word list has inflected forms, but not every form of every
word, so a form also counts as German when an ending comes off a listed word (`anständigen`
from `anständig`, `zurückbringe` from `zurückbringen`, `fügt` from `fügen`) or a verb
particle comes off the front (`aus|senden`), and a compound counts when it splits into
German words (`Kunden|änderungs|antrag`).

The token and its umlaut spellings are judged level by level (listed, then inflected, then
compound), the token first at each level. So a listed spelling beats a derived reading of
the token (`außerdem` is listed; `aus|s|erdem` does not excuse `ausserdem`), and a derived
reading of the token beats a derived spelling (`aus|senden` excuses `Aussenden`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Container, Iterator
from itertools import product

TYPE_CHECKING = False  # not from typing: a pre-commit run imports this module
if TYPE_CHECKING:
    from typing import NamedTuple, Protocol
else:
    from lints.record import NamedTuple, Protocol

DIGRAPH = re.compile("ae|oe|ue|ss", re.IGNORECASE)
UMLAUT_PAIR = re.compile("ae|oe|ue")
UMLAUT_PAIRS = ("ae", "oe", "ue")
UMLAUT = {"ae": "ä", "oe": "ö", "ue": "ü", "ss": "ß"}
SZ_PAIR = "ss"
WITHOUT_UMLAUT = str.maketrans("äöü", "aou")

#: How far `is_word` goes: the list itself, inflections of listed words, compounds.
LISTED, INFLECTED, COMPOUND = 1, 2, 3
LEVELS = (LISTED, INFLECTED, COMPOUND)

ADJECTIVE_ENDINGS = ("e", "em", "en", "er", "es")
#: Endings that inflect an adjective or a noun: anständig|en, Häuser|n, würdevoll|st.
NOMINAL_ENDINGS = (
    *ADJECTIVE_ENDINGS, "n", "s", "ns", "ern", "ere", "erem", "eren", "erer", "eres",
    "st", "ste", "stem", "sten", "ster", "stes",
    "est", "este", "estem", "esten", "ester", "estes",
    "in", "innen",  # feminine: Späher|in, Orthopäd|innen
)  # fmt: skip
#: Endings after which the stem may carry an umlaut that its base lacks: plurals
#: (Schlünd|e), comparatives and superlatives (gröb|stem), diminutives (Kärt|chens).
UMLAUTING_ENDINGS = (
    *NOMINAL_ENDINGS, "chen", "chens", "lein", "leins",
    "ig", "ige", "igem", "igen", "iger", "iges",
    "lich", "liche", "lichem", "lichen", "licher", "liches",
)  # fmt: skip
#: Endings that make an adjective from a noun, often with an umlaut and without the
#: noun's final e: förm|ig (Form), wöch|ige (Woche), länd|isches (Land). Their stem may
#: be short. (Not -ler: Rössler, Kessler and other surnames would read as Ross|ler.)
DERIVING_ENDINGS = (
    *(suffix + ending for suffix in ("ig", "isch") for ending in ("", *ADJECTIVE_ENDINGS)),
    "chen", "chens", "lein", "leins",  # diminutives: Kärt|chens (Karte), Hügel|chens
    "lich", *("lich" + ending for ending in ADJECTIVE_ENDINGS),  # sämt|liche (samt)
)  # fmt: skip
MIN_DERIVED_STEM = 4
#: Endings that inflect a verb stem (the infinitive less -en or -n): füg|t, wähl|test,
#: and endings that make a noun or adjective of it: Verlöt|ung, kühl|barer.
VERBAL_ENDINGS = (
    "e", "st", "t", "et", "est", "en", "end", "ende", "endem", "enden", "ender", "endes",
    "te", "test", "ten", "tet", "ete", "etest", "eten", "etet",
    "tem", "ter", "tes", "etem", "eter", "etes",
    "ung", "ungen", "bar", "barkeit", *("bar" + e for e in ADJECTIVE_ENDINGS),
)  # fmt: skip
#: Endings of strong verbs whose stem takes an umlaut: fähr|t, läss|t, and hält, whose
#: ending merges into the t of halt.
UMLAUTING_VERBAL_ENDINGS = ("t", "st", "est", "et")
#: Endings of a present participle, after the infinitive: röcheln|de, gären|d.
PRESENT_PARTICIPLE_ENDINGS = ("d", *("d" + e for e in ADJECTIVE_ENDINGS))
#: Endings of a past participle, after ge + verb stem: ge|wähl|t, zurück|ge|wähl|ten.
PARTICIPLE_ENDINGS = (
    "t", "et", *("t" + e for e in ADJECTIVE_ENDINGS), *("et" + e for e in ADJECTIVE_ENDINGS)
)  # fmt: skip
#: Separable verb particles and the negating un: aus|senden, mit|zu|übernehmen, un|gültig.
PREFIXES = (
    "ab", "an", "auf", "aus", "bei", "dar", "durch", "ein", "fort", "her", "heraus",
    "herein", "hin", "hinaus", "hinein", "los", "mit", "nach", "nieder", "um", "un",
    "vor", "vorbei", "weg", "weiter", "wieder", "zu", "zurück", "zusammen",
)  # fmt: skip
#: Inseparable verb prefixes: be|fahren, über|sprungen (ge|sprungen less its ge), ver|löschten.
INSEPARABLE_PREFIXES = (
    "be", "emp", "ent", "er", "hinter", "miss", "über", "unter", "ver", "wider", "zer",
)  # fmt: skip
PREFIX_SET = frozenset(PREFIXES)
INSEPARABLE_SET = frozenset(INSEPARABLE_PREFIXES)
PREFIX_LENGTHS = sorted({len(p) for p in (*PREFIXES, *INSEPARABLE_PREFIXES)})
PARTICIPLE_GE = "ge"
#: A diphthong or long ie, after which standard German writes ß, not ss (heißt, schließt).
DIPHTHONG_END = re.compile("(?:ai|ei|au|eu|aeu|ie)$")
#: A vowel after ss: where the old and the reformed spelling agree on ß (Gefäße, mäßig).
VOWELS = frozenset("aeiouyäöü")
INFINITIVE_ZU = "zu"

#: Shortest first part of a compound, and shortest other part (aus|sen|handel is not one).
MIN_PART = 3
MIN_INNER_PART = 4
#: Shortest noun less its final e that counts as a part (Adress|buch; not Zung|s|grad).
MIN_CLIPPED_PART = 5
#: Shortest English word that counts as a part of a compound.
MIN_ENGLISH_PART = 5
#: Shortest part that a linking s may follow (Arbeit|s|platz; not aus|s|erdem).
MIN_LINKED_PART = 4
#: Shortest stem that an ending may leave (not dös|n); verb stems are checked with -en.
MIN_STEM = 4
MIN_VERB_STEM = 3
#: Shortest stem that may have gained an umlaut from its ending (not Göth|e from Goth).
MIN_UMLAUTED_STEM = 5
#: Shorter tokens are not judged: AES and aes are not Äs, and Öl is rarely written Oel.
MIN_TOKEN = 4
#: Tokens with more pairs than this are not judged (2**n spellings to try).
MAX_PAIRS = 6
#: German endings that derive words from an English stem: Daemon|en, daemon|isiert.
GERMAN_ON_ENGLISH = (
    "e", "en", "er", "es", "n", "s", "isch", "ische", "ischen", "ischer", "isches",
    "isieren", "isiert", "isierte", "isierten", "isierter", "isiertes", "isierung",
    "isierungen", "ismus", "ist", "isten",
)  # fmt: skip


class WordSet(Protocol):
    """The German word list: membership, and the words that start with four letters."""

    def __contains__(self, word: object, /) -> bool: ...

    def starting_with(self, prefix: str) -> Container[str]: ...


#: A set of endings and the length of the longest, to look a word's last letters up in.
Endings = tuple[frozenset[str], int]


def _endings(*endings: str) -> Endings:
    return frozenset(endings), max(len(e) for e in endings)


class Spelling(NamedTuple):
    """A replacement of some of a token's pairs: `replaced` holds the pairs' offsets."""

    replaced: tuple[int, ...]
    sharp_s: int

    def apply(self, token: str) -> str:
        """The token with those pairs replaced, in the token's case (Fuer -> Für, FUER -> FÜR)."""
        parts, last = [], 0
        for start in self.replaced:
            pair = token[start : start + 2]
            umlaut = UMLAUT[pair.lower()]
            parts.append(token[last:start] + (umlaut.upper() if pair[0].isupper() else umlaut))
            last = start + 2
        parts.append(token[last:])
        return "".join(parts)


NOMINAL = _endings(*NOMINAL_ENDINGS)
UMLAUTING = _endings(*UMLAUTING_ENDINGS)
FEMININE = _endings("in", "innen")
#: Nouns of quality from adjectives: Monoton|ität, Portabil|itäts.
ITY = _endings("ität", "itäten", "itäts")
SUPERLATIVE_AFTER_SZ = _endings(*("t" + e for e in ("", *ADJECTIVE_ENDINGS)))
DERIVING = _endings(*DERIVING_ENDINGS)
VERBAL = _endings(*VERBAL_ENDINGS)
UMLAUTING_VERBAL = _endings(*UMLAUTING_VERBAL_ENDINGS)
PRESENT_PARTICIPLE = _endings(*PRESENT_PARTICIPLE_ENDINGS)
PAST_PARTICIPLE = _endings(*PARTICIPLE_ENDINGS)
ON_ENGLISH = _endings(*GERMAN_ON_ENGLISH)


class Word(NamedTuple):
    """A word to judge. `cut` holds offsets that no morpheme boundary may fall on: inside
    the ae/oe/ue pairs of a token, so that tempora|ere and zwo|elf do not excuse it."""

    text: str
    cut: frozenset[int] = frozenset()

    def rest(self, start: int) -> Word:
        return Word(self.text[start:], frozenset(c - start for c in self.cut if c > start))

    def stems(self, endings: Endings, shortest: int = MIN_STEM) -> Iterator[str]:
        """What is left without each of `endings` that the word has."""
        text, (known, longest) = self.text, endings
        for stem_length in range(max(shortest, len(text) - longest), len(text)):
            if text[stem_length:] in known and stem_length not in self.cut:
                yield text[:stem_length]


class Speller:
    """Judges tokens against a German word list. `parts` may lead a compound without being
    words (Farb|würfel, Audio|gerät). `sharp_s=False` is Swiss spelling: ss stands for ß,
    so only ae/oe/ue are checked and ss and ß count as the same letter.

    A plain class, not a dataclass: building one at import costs a millisecond."""

    def __init__(
        self,
        german: WordSet,
        english: Container[str] = frozenset(),
        allowed: Container[str] = frozenset(),
        parts: Container[str] = frozenset(),
        sharp_s: bool = True,
    ) -> None:
        self.german = german
        self.english = english
        self.allowed = allowed
        self.parts = parts
        self.sharp_s = sharp_s
        self._cache: dict[tuple[str, bool], str | None] = {}
        self._inflected: dict[Word, bool] = {}

    def suggest(self, token: str, *, skip_english: bool = True) -> str | None:
        """The spelling to write instead of `token`, or None when `token` is fine. Without
        `skip_english`, an English word is judged as German too (gross: groß)."""
        key = (token, skip_english)
        if key not in self._cache:
            self._cache[key] = self._suggest(token, skip_english)
        return self._cache[key]

    def _suggest(self, token: str, skip_english: bool) -> str | None:
        lower = token.lower()
        if len(lower) != len(token):  # a letter whose lower case is longer: not German
            return None
        pairs = [m.start() for m in DIGRAPH.finditer(lower)]
        if len(lower) < MIN_TOKEN or not pairs or len(pairs) > MAX_PAIRS:
            return None
        if self._skipped(lower, skip_english):
            return None
        # Never turn SS into ß: in capitals ß is written SS anyway.
        sharp_s = self.sharp_s and not (token.isupper() and len(token) > 1)
        fold_ss = not sharp_s
        spellings = [
            (s, s.apply(lower)) for s in _spellings(lower, pairs, sharp_s, self._after_boundary)
        ]
        for level in LEVELS:
            if self.is_word(lower, fold_ss=fold_ss, level=level, token=True, english=skip_english):
                swiss = self._swiss_sharp_s(lower, level) if sharp_s else None
                if swiss is None and level == COMPOUND and sharp_s:
                    swiss = self._fewer_parts(lower, spellings)
                return None if swiss is None else swiss.apply(token)
            for spelling, spelt in spellings:
                if self.is_word(spelt, fold_ss=fold_ss, level=level):
                    if sharp_s:
                        spelling = self._standard_sharp_s(lower, spelling, spellings, level)
                    return spelling.apply(token)
        return None

    def _after_boundary(self, rest: str) -> bool:
        """Whether `rest` (from an ü after an e) is German: ge|übt, Geräte|übergreifend."""
        return self.is_word(UMLAUT_PAIR.sub(lambda m: UMLAUT[m.group()], rest)) or (
            self.is_word("ge" + rest) and rest.startswith("ü")
        )

    def _swiss_sharp_s(self, lower: str, level: int) -> Spelling | None:
        """ß for a Swiss ss after a diphthong or ie (abfliesst, anreisst): standard German
        writes ss there only where two words meet (Beweis|stück, Reis|suppe, aus|sagen).
        The word list has some Swiss forms, so such a token may look like a word."""
        for match in re.finditer(SZ_PAIR, lower):
            start = match.start()
            if DIPHTHONG_END.search(lower[:start]) is None or self._s_meets_s(lower, start):
                continue
            spelling = Spelling((start,), 1)
            # A listed token needs a listed ß spelling: Hausse is no Hau|ße.
            if self.is_word(
                spelling.apply(lower), level=max(level, INFLECTED if level > LISTED else LISTED)
            ):
                return spelling
        return None

    def _fewer_parts(self, lower: str, spellings: list[tuple[Spelling, str]]) -> Spelling | None:
        """A spelling that splits into fewer parts than the token, which is German only as
        a compound: Wiederherstellungs|maßnahmen beside Wiederherstellungs|mass|nahmen.
        The fewer parts, the likelier the reading. (No spelling is a word by itself here,
        so a token of two parts is never beaten.)"""
        word = Word(lower, _pair_insides(lower))
        if self.parts_of(word, most=2) is not None:
            return None
        fewest = self.parts_of(word)
        best: Spelling | None = None
        for spelling, spelt in spellings:
            parts = self.parts_of(Word(spelt), most=fewest - 1) if fewest else None
            if parts is not None:
                fewest, best = parts, spelling
        return best

    def _s_meets_s(self, lower: str, start: int) -> bool:
        """Whether lower[start:start+2] may be the s of one word and the s of the next."""
        left, right = lower[: start + 1], lower[start + 1 :]
        left_is_word = left in PREFIX_SET or any(
            left[begin:] in self.german for begin in range(0, len(left) - MIN_STEM + 1)
        )
        return left_is_word and len(right) >= MIN_STEM and self.is_word(right, level=COMPOUND)

    def _standard_sharp_s(
        self, lower: str, found: Spelling, spellings: list[tuple[Spelling, str]], level: int
    ) -> Spelling:
        """`found`, or the same spelling with more ß where that is a word too and each added
        ß is standard: Gefäße and mäßig beside the Swiss Gefässe and mässig. Both the old
        and the reformed spelling write ß there, so the ss spelling is Swiss."""
        chosen = set(found.replaced)
        best = found
        for spelling, spelt in spellings:
            added = set(spelling.replaced) - chosen
            if (
                spelling.sharp_s > best.sharp_s
                and chosen <= set(spelling.replaced)
                and all(_is_standard_sharp_s(lower, start) for start in added)
                and self.is_word(spelt, level=level)
            ):
                best = spelling
        return best

    def _skipped(self, lower: str, skip_english: bool) -> bool:
        if lower in self.allowed or (skip_english and lower in self.english):
            return True
        return lower.endswith("s") and lower[:-1] in self.allowed

    def is_word(
        self,
        word: str,
        *,
        fold_ss: bool = False,
        level: int = COMPOUND,
        token: bool = False,
        english: bool = True,
    ) -> bool:
        """Whether `word` (lower case) is German at `level` or below. A `token` still has
        its pairs: no morpheme boundary may fall inside one of its ae/oe/ue pairs. Without
        `english`, an English word with a German ending (suede|n, boers|e) is not one."""
        forms = _sharp_s_forms(word) if fold_ss else (word,)
        for form in forms:
            cut = _pair_insides(form) if token else frozenset()
            if self._is_word(Word(form, cut), level, english):
                return True
        return False

    def is_english_with_ending(self, word: str) -> bool:
        """Sueden (suede|n), Boerse (boers|e): English only by a German ending."""
        return self._english_with_ending(Word(word, _pair_insides(word)))

    def _is_word(self, word: Word, level: int, english: bool = True) -> bool:
        if word.text in self.german or (english and self._english_with_ending(word)):
            return True
        if level >= INFLECTED and self.is_inflected(word):
            return True
        return level >= COMPOUND and self.is_compound(word)

    # Inflection and derivation

    def is_inflected(self, word: Word) -> bool:
        """A listed word with an ending, or with a particle or un- before it."""
        known = self._inflected.get(word)
        if known is None:
            known = self._inflected[word] = self._is_inflected(word)
        return known

    def _is_inflected(self, word: Word) -> bool:
        if self._with_ending(word) or self._with_infinitive_zu(word):
            return True
        text = word.text
        for length in PREFIX_LENGTHS:
            prefix = text[:length]
            separable, inseparable = prefix in PREFIX_SET, prefix in INSEPARABLE_SET
            if not (separable or inseparable) or length in word.cut:
                continue
            if len(text) - length < MIN_STEM:
                break
            rest = word.rest(length)
            if separable and self._prefixed(rest):
                return True
            if inseparable and self._inseparably_prefixed(rest):
                return True
        return False

    def _prefixed(self, rest: Word) -> bool:
        return rest.text in self.german or self._with_ending(rest) or self._zu_verb(rest)

    def _inseparably_prefixed(self, rest: Word) -> bool:
        """be|fährt, ver|löschten, and the participle without its ge: über|sprungen(em)."""
        if rest.text in self.german or self._with_ending(rest):
            return True  # not ent|zu|...: zu never follows an inseparable prefix
        participle = Word(PARTICIPLE_GE + rest.text)
        return participle.text in self.german or any(
            stem in self.german for stem in participle.stems(NOMINAL)
        )

    def _zu_verb(self, rest: Word) -> bool:
        """mit|zu|übernehmen: after a particle, zu and an infinitive."""
        if not rest.text.startswith(INFINITIVE_ZU):
            return False
        verb = rest.rest(len(INFINITIVE_ZU))
        return verb.text in self.german or self._with_ending(verb)

    def _with_infinitive_zu(self, word: Word) -> bool:
        """auf|zu|bauen: zu between a particle and the infinitive."""
        for match in re.finditer(INFINITIVE_ZU, word.text):
            if match.start() >= 2 and len(word.text) - match.end() >= MIN_STEM:
                verb = word.text[: match.start()] + word.text[match.end() :]
                if verb in self.german:
                    return True
        return False

    def _with_ending(self, word: Word) -> bool:
        german = self.german
        if len(word.text) >= MIN_STEM and self._is_attested_verb_stem(word.text):
            return True  # the imperative, a bare verb stem: zerreiß, fütter
        for stem in word.stems(PRESENT_PARTICIPLE):
            if stem.endswith("n") and stem in german:
                return True
        for stem in word.stems(NOMINAL):
            if stem in german or _with_elided_e(stem) in german:
                return True  # kompatibl|e: the e of kompatibel drops before an ending
        for stem in word.stems(ITY):
            if stem in german or _with_elided_e(stem.removesuffix("bil") + "bl") in german:
                return True  # Monoton|ität, Portabil|ität (portabel)
        for stem in word.stems(FEMININE):
            if stem + "e" in german:
                return True  # Orthopäd|innen, Schöff|in: the noun less its e
        for stem in word.stems(UMLAUTING, MIN_UMLAUTED_STEM):
            base = _without_last_umlaut(stem)
            if base != stem and base in german:
                return True
        for stem in word.stems(VERBAL, MIN_VERB_STEM):
            if self._is_verb_stem(stem):
                return True
        if self._derived_from_noun(word):
            return True
        for stem in word.stems(SUPERLATIVE_AFTER_SZ, MIN_STEM):
            if stem.endswith("ß") and _without_last_umlaut(stem) in german:
                return True  # größ|tes: the superlative of groß
        merged = (word.text,) if word.text.endswith(("t", "d")) else ()
        for stem in (*word.stems(UMLAUTING_VERBAL, MIN_VERB_STEM), *merged):
            base = _without_last_umlaut(stem)
            if base != stem and self._is_verb_stem(base):
                return True
        return self._past_participle(word)

    def _derived_from_noun(self, word: Word) -> bool:
        """zöll|ig, minüt|ige, alpenländ|isches: a noun (with or without
        its final e, with or without the umlaut) and a deriving ending."""
        german = self.german
        for stem in word.stems(DERIVING, MIN_DERIVED_STEM):
            for base in {stem, _without_last_umlaut(stem)}:
                if base in german or base + "e" in german:
                    return True
        return False

    def _is_verb_stem(self, stem: str) -> bool:
        return stem + "en" in self.german or stem + "n" in self.german

    def _is_attested_verb_stem(self, stem: str) -> bool:
        return _is_attested_verb_stem(stem, self.german)

    def _past_participle(self, word: Word) -> bool:
        for body in word.stems(PAST_PARTICIPLE):
            for match in re.finditer("ge", body):
                stem = body[: match.start()] + body[match.end() :]
                if len(stem) >= MIN_VERB_STEM and self._is_verb_stem(stem):
                    return True
        return False

    def _english_with_ending(self, word: Word) -> bool:
        """An English word with a German ending: Daemon|en, daemon|isieren. Not for ss
        stems: gross|e is große, not English."""
        for stem in word.stems(ON_ENGLISH, MIN_STEM + 1):
            if SZ_PAIR not in stem and stem in self.english:
                return True
        return False

    # Compounds

    def is_compound(self, word: Word) -> bool:
        """Whether `word` splits into German parts, with an optional linking s between
        parts (Änderung|s|antrag); only the last part may be inflected. Three-letter parts
        only lead (Hof|käse) or, listed, end a spelling (Schlüssel|typ): inside a word they
        split too freely (aus|sen|handel). A token's parts are four letters at least."""
        return self.parts_of(word, fewest=False) is not None

    def parts_of(self, word: Word, *, fewest: bool = True, most: int | None = None) -> int | None:
        """How many parts `word` splits into as a compound (see is_compound), at `most`;
        None when it does not split so. The fewest, or without `fewest` the first found."""
        text, cut = word.text, word.cut
        shortest_first = MIN_INNER_PART if cut else MIN_PART
        parts_to: list[int | None] = [None] * (len(text) + 1)
        parts_to[0] = 0
        found: int | None = None
        for start in range(len(text) - MIN_PART + 1):
            before = parts_to[start]
            if before is None:
                continue
            if start and self._is_tail(word.rest(start), token=bool(cut)):
                if not fewest:
                    return before + 1
                found = before + 1 if found is None else min(found, before + 1)
            if most is not None and before + 2 > most:
                continue  # another part and a tail would be too many
            shortest = shortest_first if start == 0 else MIN_INNER_PART
            words = self.german.starting_with(text[start : start + MIN_INNER_PART])
            for end in range(start + shortest, len(text) - MIN_PART + 1):
                part = text[start:end]
                known = part in words if end - start >= MIN_INNER_PART else part in self.german
                if end - start >= MIN_INNER_PART and not known:
                    known = _is_bound_part(part, words) or part in self.parts
                if end not in cut and (known or self._is_other_part(part)):
                    _reach(parts_to, end, before + 1)
                    if end + 1 not in cut and _links_with_s(text, start, end):
                        _reach(parts_to, end + 1, before + 1)
        return found

    def _is_part(self, part: str) -> bool:
        return part in self.german or self._is_other_part(part)

    def _is_other_part(self, part: str) -> bool:
        """An allowed word, or an English one: daemon|prozess. Not with ss or short:
        gross|handel is Großhandel, sued|kalifornisch südkalifornisch."""
        if part in self.allowed:
            return True
        return len(part) >= MIN_ENGLISH_PART and SZ_PAIR not in part and part in self.english

    def _is_tail(self, tail: Word, token: bool) -> bool:
        if len(tail.text) < (MIN_INNER_PART if token else MIN_PART):
            return False
        if len(tail.text) < MIN_INNER_PART:
            return tail.text in self.german
        return (
            self._is_part(tail.text) or self.is_inflected(tail) or self._english_with_ending(tail)
        )


def _reach(parts_to: list[int | None], end: int, parts: int) -> None:
    known = parts_to[end]
    if known is None or parts < known:
        parts_to[end] = parts


def _is_attested_verb_stem(stem: str, german: Container[str]) -> bool:
    """A stem whose infinitive and present participle are both listed (einfüg|en,
    einfüg|end): a verb, not a plural that ends in -en like Sach|en or Rung|en."""
    return any(
        stem + infinitive in german and stem + infinitive + "d" in german
        for infinitive in ("en", "n")
    )


def _is_bound_part(part: str, words: Container[str]) -> bool:
    """A part that is no word by itself: a verb stem (Einfüge|modus, Puffer|größe) or a
    noun less its final e (Adress|änderung). `words` share the part's first letters."""
    if len(part) >= MIN_CLIPPED_PART and part + "e" in words:
        return True
    return _is_attested_verb_stem(part, words)


def _links_with_s(text: str, start: int, end: int) -> bool:
    """A linking s after text[start:end] (Arbeit|s|platz), not after an s (Weis|s|wert)."""
    return (
        text[end] == "s"
        and end - start >= MIN_LINKED_PART
        and text[end - 1] not in "sßxz"
        and end + 1 <= len(text) - MIN_PART
    )


def _is_standard_sharp_s(lower: str, start: int) -> bool:
    """Whether the ss at `start` comes before a vowel, where both the old and the reformed
    spelling write ß if the word has ß there at all (Gefäße, mäßig)."""
    after = lower[start + 2 : start + 3]
    if lower[start : start + 2] != SZ_PAIR or after == "" or after not in VOWELS:
        return False
    return _long_before(lower, start)


def _long_before(lower: str, start: int) -> bool:
    """Whether the vowel before lower[start] is an umlaut or a diphthong: the Swiss ss of
    Gefässe, mässig and grüsse, where Germany writes ß. After a, e, i, o and u the vowel
    is as often short (Insassen, Klasse) as long (Straße), so an ss there stays."""
    head = lower[:start]
    if head.endswith(("ä", "ö", "ü")) or (head.endswith(UMLAUT_PAIRS) and head[-3:-1] != "eu"):
        return True  # gefä|ss|e, or gefae|ss|e in a token that still has its pairs
    return DIPHTHONG_END.search(head) is not None


def _with_elided_e(stem: str) -> str:
    """kompatibl -> kompatibel, dunkl -> dunkel: the e that drops before an ending."""
    if len(stem) >= MIN_STEM and stem[-1] in "lr" and stem[-2] not in "aeiouäöü":
        return stem[:-1] + "e" + stem[-1]
    return stem


def _pair_insides(word: str) -> frozenset[int]:
    """Offsets that fall between the two letters of an ae/oe/ue pair. (Not ss: a word
    that ends in s often meets one that starts with s, as in aus|senden, Haus|schlüssel.)"""
    return frozenset(m.start() + 1 for m in UMLAUT_PAIR.finditer(word))


def _without_last_umlaut(stem: str) -> str:
    """gröb -> grob, fähr -> fahr: the base that an umlauting ending changed."""
    for index in range(len(stem) - 1, -1, -1):
        if stem[index] in "äöü":
            return stem[:index] + stem[index].translate(WITHOUT_UMLAUT) + stem[index + 1 :]
    return stem


def _spellings(
    lower: str, pairs: list[int], sharp_s: bool, after_boundary: Callable[[str], bool]
) -> Iterator[Spelling]:
    """Every replacement of at least one pair: fewest ß first (ss may be right), then
    most ä/ö/ü (a spelling that keeps an ae of a transliteration is a partial fix)."""
    options = [
        (False, True) if _replaceable(lower, start, sharp_s, after_boundary) else (False,)
        for start in pairs
    ]
    found = []
    for choice in product(*options):
        replaced = tuple(start for start, chosen in zip(pairs, choice, strict=True) if chosen)
        if replaced:
            sharp = sum(1 for start in replaced if lower[start : start + 2] == SZ_PAIR)
            found.append(Spelling(replaced, sharp))
    found.sort(key=lambda s: (s.sharp_s, s.sharp_s - len(s.replaced), s.replaced))
    yield from found


def _replaceable(
    lower: str, start: int, sharp_s: bool, after_boundary: Callable[[str], bool]
) -> bool:
    """Whether the pair at `start` may stand for an umlaut. Not ss without sharp_s, and
    not the ue of au and qu (bauen, Quelle): ü never follows a or q. It does follow an e
    where two parts meet (ge|übt, Geräte|übersicht): when what follows is German from ü."""
    pair = lower[start : start + 2]
    if pair == SZ_PAIR:
        return sharp_s
    if pair != "ue" or not start:
        return True
    if lower[start - 1] == "e":
        return after_boundary(UMLAUT[pair] + lower[start + 2 :])
    return lower[start - 1] not in "aq"


def _sharp_s_forms(word: str) -> Iterator[str]:
    """`word`, and each spelling of it with some ss written ß (Swiss spelling folds them)."""
    starts = [m.start() for m in re.finditer(SZ_PAIR, word)]
    for mask in range(1 << len(starts)):
        chosen = [start for bit, start in enumerate(starts) if mask >> bit & 1]
        yield Spelling(tuple(chosen), len(chosen)).apply(word)
