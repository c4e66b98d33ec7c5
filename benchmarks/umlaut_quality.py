"""Quality of the umlaut lint on a folder of real German: false flags and recall.

    python benchmarks/umlaut_quality.py FOLDER [--half tune|report|all] [--lang de|auto]
                                               [--show N]

FOLDER holds German Markdown (`.md`) and plain text (`.txt`) that is spelt right, e.g.
translated software strings and public German docs (see docs/lint-umlaut.md for the
corpus we report on). Nothing is shipped or copied; the folder stays outside the repo.

- False flags: every finding of the lint on the text as written, per 100,000 tokens of
  prose (the text as written is taken to be right; `--show` prints them to check). A
  finding that only turns ss into ß (`ausserhalb` → `außerhalb`: Swiss or ASCII spelling
  in the source) is right and counted apart when the corpus writes the suggestion
  elsewhere (so `Sass` → `Saß` stays a false flag).
- Recall: each prose word with ä/ö/ü/ß is transliterated (ä→ae, ö→oe, ü→ue, ß→ss, in
  the word's case) in a copy of the file, and must be flagged there with the word itself
  as the suggestion. A finding with another suggestion counts as a miss (`wrong`). Left
  out: words under four letters (the lint never judges them) and ambiguous pairs, whose
  transliteration is itself a listed German word (Maße → Masse, Buße → Busse).
- `--half` splits the files by a hash of their name: tune on one half, report the other.

Both figures are also given per category (see `miss_category` and `flag_category`).
"""

from __future__ import annotations

import argparse
import collections
import functools
import hashlib
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lints import lexicon  # noqa: E402
from lints.document import Document  # noqa: E402
from lints.engine import document_from_text, kind_for  # noqa: E402
from lints.finding import Finding  # noqa: E402
from lints.rules.umlaut import UmlautRule, build  # noqa: E402

TRANSLIT = {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"}
WORD = re.compile(r"[^\W\d_]+")
UMLAUTS = frozenset(TRANSLIT)
MIN_TOKEN = 4
PER = 100_000
SUFFIXES = frozenset({".md", ".txt"})
ABBREVIATION_BEFORE = re.compile(r"(?:z\. ?B\.|d\. ?h\.|u\. ?a\.|s\. ?u\.|v\. ?a\.)[ \t]*$")


@dataclass
class Tally:
    tokens: int = 0
    flags: collections.Counter[str] = field(default_factory=collections.Counter)
    expected: collections.Counter[str] = field(default_factory=collections.Counter)
    found: collections.Counter[str] = field(default_factory=collections.Counter)
    wrong: collections.Counter[str] = field(default_factory=collections.Counter)
    excluded: int = 0
    flag_examples: list[str] = field(default_factory=list)
    miss_examples: list[str] = field(default_factory=list)


def transliterate(word: str) -> str:
    """ä→ae, ß→ss, Ä→Ae; in an all-capitals word Ä→AE."""
    upper = len(word) > 1 and word.isupper()
    out = [TRANSLIT.get(char, char) for char in word]
    return "".join(part.upper() if upper else part for part in out)


def in_half(path: Path, half: str) -> bool:
    if half == "all":
        return True
    digit = int(hashlib.sha1(path.name.encode()).hexdigest()[-1], 16)
    return (digit % 2 == 0) == (half == "tune")


def files(folder: Path, half: str) -> Iterator[Path]:
    for path in sorted(folder.rglob("*")):
        if path.suffix in SUFFIXES and path.is_file() and in_half(path, half):
            yield path


def line_of(text: str, start: int, end: int) -> str:
    begin = text.rfind("\n", 0, start) + 1
    stop = text.find("\n", end)
    line = text[begin : stop if stop != -1 else len(text)]
    return line.strip()[:160]


SWISS = "ss for ß in the source (right)"


def flag_category(token: str, suggestion: str, vocabulary: frozenset[str]) -> str:
    """SWISS when the source writes ss where standard German writes ß (ausserhalb) and the
    corpus writes the suggestion elsewhere (außerhalb): the lint is right there, so such
    flags are counted apart from the false ones. Sass -> Saß stays a false flag."""
    if suggestion.replace("ß", "ss") == token and suggestion in vocabulary:
        return SWISS
    if len(token) > 1 and token.isupper():
        return "all caps"
    if token[0].isupper():
        return "capitalised"
    return "lower case"


def miss_category(text: str, start: int, end: int, word: str) -> str:
    """The first of the issue's categories that the word at text[start:end] falls in."""
    before, after = text[max(0, start - 1) : start], text[end : end + 1]
    if (before and before in "*~_") or (after and after in "*~_"):
        return "emphasis / gender star"
    if len(word) > 1 and word.isupper():
        return "acronym / all caps"
    if ABBREVIATION_BEFORE.search(text[max(0, start - 12) : start]):
        return "after z. B."
    if transliterate(word).lower() in lexicon.english() or english_by_ending(transliterate(word)):
        return "also English"
    previous = re.search(r"([^\W\d_]+)[ \t]+$", text[max(0, start - 40) : start])
    if word[0].isupper() and previous and previous.group(1)[0].isupper():
        return "capitalised after capitalised"
    return "other"


@functools.cache
def english_by_ending(word: str) -> bool:
    """Sueden (suede|n), Boerse (boers|e): English by a German ending (older lints lack it)."""
    speller = build({}).speller
    check = getattr(speller, "is_english_with_ending", None)
    return bool(check and check(word.lower()))


def measure(
    path: Path, rule: UmlautRule, tally: Tally, show: int, vocabulary: frozenset[str]
) -> None:
    text = path.read_text(encoding="utf-8", errors="replace")
    doc = document_from_text(str(path), text, kind_for(path))
    words = [(m.start(), m.end()) for m in WORD.finditer(doc.prose)]
    tally.tokens += len(words)
    for finding in rule.check(doc):
        token = text[finding.start : finding.end]
        category = flag_category(token, finding.suggestion or "", vocabulary)
        tally.flags[category] += 1
        if len(tally.flag_examples) < show:
            tally.flag_examples.append(
                f"{path.name}:{finding.line}: {token} -> {finding.suggestion}"
                f"  | {line_of(text, finding.start, finding.end)}"
            )
    measure_recall(path, text, doc, words, rule, tally, show)


def measure_recall(
    path: Path,
    text: str,
    doc: Document,
    words: list[tuple[int, int]],
    rule: UmlautRule,
    tally: Tally,
    show: int,
) -> None:
    german = lexicon.german()
    pieces: list[str] = []
    expected: dict[int, tuple[str, str, int, int]] = {}
    done = shift = 0
    for start, end in words:
        word = text[start:end]
        if not UMLAUTS.intersection(word):
            continue
        spelt = transliterate(word)
        if len(word) < MIN_TOKEN or spelt.lower() in german:
            tally.excluded += 1
            continue
        pieces.append(text[done:start])
        expected[start + shift] = (word, miss_category(text, start, end, word), start, end)
        pieces.append(spelt)
        shift += len(spelt) - len(word)
        done = end
    if not expected:
        return
    pieces.append(text[done:])
    ascii_text = "".join(pieces)
    ascii_doc = document_from_text(str(path), ascii_text, doc.kind)
    got: dict[int, Finding] = {f.start: f for f in rule.check(ascii_doc)}
    for new_start, (word, category, start, end) in expected.items():
        tally.expected[category] += 1
        finding = got.get(new_start)
        if finding is not None and finding.suggestion == word:
            tally.found[category] += 1
            continue
        if finding is not None:
            tally.wrong[category] += 1
        if len(tally.miss_examples) < show:
            said = f" (said {finding.suggestion})" if finding is not None else ""
            tally.miss_examples.append(
                f"{path.name}: [{category}] {transliterate(word)} -> {word}{said}"
                f"  | {line_of(text, start, end)}"
            )


def report(tally: Tally, files_read: int) -> None:
    swiss = tally.flags[SWISS]
    flags = sum(tally.flags.values()) - swiss
    expected, found = sum(tally.expected.values()), sum(tally.found.values())
    print(f"files {files_read}, prose tokens {tally.tokens:,}")
    print(
        f"false flags: {flags} = {flags * PER / max(tally.tokens, 1):.2f} per 100k tokens"
        f" (and {swiss} right flags of ss for ß in the source)"
    )
    for category, count in tally.flags.most_common():
        if category == SWISS:
            continue
        print(f"  {category:32} {count:5}  {count * PER / max(tally.tokens, 1):.2f} per 100k")
    print(
        f"recall: {found}/{expected} = {found / max(expected, 1):.4f}"
        f"  (wrong suggestion {sum(tally.wrong.values())}; left out {tally.excluded}:"
        " under four letters or ambiguous)"
    )
    for category, count in tally.expected.most_common():
        hit = tally.found[category]
        print(
            f"  {category:32} {hit:6}/{count:<6} {hit / count:.4f}  wrong {tally.wrong[category]}"
        )
    for title, examples in (("false flags", tally.flag_examples), ("misses", tally.miss_examples)):
        if examples:
            print(f"\n{title}:")
            print("\n".join(f"  {line}" for line in examples))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--half", choices=("tune", "report", "all"), default="report")
    parser.add_argument("--lang", choices=("de", "de-CH", "auto"), default="de")
    parser.add_argument("--show", type=int, default=0, help="print this many of each")
    args = parser.parse_args(argv)
    if not args.folder.is_dir():
        print(f"{args.folder}: not a folder of German .md/.txt files", file=sys.stderr)
        return 2
    rule = build({"lang": args.lang})
    tally = Tally()
    read = 0
    vocabulary = frozenset(
        word
        for path in files(args.folder, "all")
        for word in WORD.findall(path.read_text(encoding="utf-8", errors="replace"))
        if "ß" in word
    )
    for path in files(args.folder, args.half):
        measure(path, rule, tally, args.show, vocabulary)
        read += 1
    print(f"folder {args.folder}, half {args.half}, lang {args.lang}")
    report(tally, read)
    return 0


if __name__ == "__main__":
    sys.exit(main())
