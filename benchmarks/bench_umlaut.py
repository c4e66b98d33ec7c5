"""Quality and speed of the umlaut lint. Prints figures; asserts nothing.

    python benchmarks/bench_umlaut.py [--part recall|compounds|running|dictionary|german|english|speed|cli]...

Data (none of it is shipped or used to build the lexicon):
- Recall: German words with ä/ö/ü/ß from Debian's `wngerman` (igerman98, GPL; read only
  here, at /usr/share/dict/ngerman), and the words with ä/ö/ü/ß that occur in the German
  prose below, all of them and those that Hunspell's de_DE dictionary spells right (the
  prose has typos such as `könnnte` and pre-1996 spellings such as `Flußkennzeichen`).
  Each is transliterated (ä→ae, ö→oe, ü→ue, ß→ss) and must be flagged with the word itself
  as the suggestion. A word whose transliteration is itself a word of the same source
  (Maße→Masse) is an ambiguous pair and left out.
- Dictionary: every igerman98 word with ae/oe/ue/ss is spelt right; each flag is false.
- German prose: the German man pages (`apt-get install manpages-de`, rendered with groff)
  and the Debian Reference (`debian-reference-de`). Every flag there is printed; the
  figures count them all as false flags unless the printed list shows otherwise.
- English prose: Markdown files found under node_modules, site-packages and /usr/share/doc.

A part whose data is missing is skipped with a message; install it with
`apt-get install wngerman hunspell hunspell-de-de manpages-de debian-reference-de`.
"""

from __future__ import annotations

import argparse
import collections
import gzip
import itertools
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lints.document import Document  # noqa: E402
from lints.rules.umlaut import build  # noqa: E402

NGERMAN = Path("/usr/share/dict/ngerman")
HUNSPELL_DE = Path("/usr/share/hunspell/de_DE.dic")
MAN_DIR = Path("/usr/share/man/de")
DEBIAN_REFERENCE = Path("/usr/share/debian-reference/debian-reference.de.txt.gz")
ENGLISH_ROOTS = (
    Path("/tmp/npmcli/node_modules"),
    Path("/usr/lib/node_modules"),
    Path("/usr/share/doc"),
    Path(sys.prefix) / "lib",
    Path(sys.base_prefix) / "lib",
)
CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "rulesync-bench"
TRANSLIT = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"}
)
SAMPLE = 5000
WORD = re.compile(r"[^\W\d_]+")
SEED = 20240601


def skip(part: str, why: str) -> None:
    print(f"[{part}] skipped: {why}")


def transliterate(word: str) -> str:
    """ä -> ae, ß -> ss; in a word in capitals, Ä -> AE."""
    spelt = word.translate(TRANSLIT)
    return spelt.upper() if word.isupper() else spelt


def is_camel_case(word: str) -> bool:
    """An identifier such as SaneGeraeteName: the lint leaves those alone by design."""
    return any(a.islower() and b.isupper() for a, b in itertools.pairwise(word))


def has_umlaut(word: str) -> bool:
    return any(c in word for c in "äöüÄÖÜß")


def recall(
    label: str, words: Iterable[str], known: set[str], weights: Mapping[str, int] | None = None
) -> None:
    """Share of transliterated words flagged with exactly the right suggestion; with
    `weights` (occurrences in prose), also the share of occurrences."""
    rule = build({"lang": "de"})
    total, hits, misses = 0, 0, []
    weighted_total, weighted_hits = 0, 0
    for word in words:
        wrong = transliterate(word)
        if wrong.lower() in known or is_camel_case(word):
            continue  # an ambiguous pair (both spellings are words), or an identifier
        total += 1
        weight = weights[word] if weights else 1
        weighted_total += weight
        if rule.speller.suggest(wrong) == word:
            hits += 1
            weighted_hits += weight
        else:
            misses.append((wrong, rule.speller.suggest(wrong), word))
    print(f"[{label}] recall {hits}/{total} = {hits / max(total, 1):.4f}")
    if weights:
        share = weighted_hits / max(weighted_total, 1)
        print(f"[{label}] recall by occurrence {weighted_hits}/{weighted_total} = {share:.4f}")
    for wrong, got, want in random.Random(SEED).sample(misses, min(25, len(misses))):
        print(f"    missed {wrong!r}: got {got!r}, want {want!r}")


def ngerman_words() -> list[str] | None:
    if not NGERMAN.exists():
        return None
    return [w.strip() for w in NGERMAN.read_text(encoding="utf-8").splitlines() if w.strip()]


def part_recall() -> None:
    words = ngerman_words()
    if words is None:
        skip("recall", f"{NGERMAN} is missing (apt-get install wngerman)")
    else:
        known = {w.lower() for w in words}
        targets = [w for w in words if has_umlaut(w) and w.isalpha()]
        sample = random.Random(SEED).sample(targets, min(SAMPLE, len(targets)))
        recall(f"recall single words, wngerman, sample of {len(sample)}", sample, known)
    corpus = german_corpus()
    if not corpus:
        skip("recall prose", "no German prose found")
        return
    counts = collections.Counter(w for _, text in corpus for w in WORD.findall(text))
    prose_known = {w.lower() for w in counts}
    targets = sorted(w for w in counts if has_umlaut(w) and len(w) > 2)
    label = f"recall single words, German prose ({len(targets)} distinct)"
    recall(label, targets, prose_known, counts)
    spelt_right = hunspell_accepts(targets)
    if spelt_right is None:
        skip(
            "recall prose",
            "hunspell or its de_DE dictionary is missing (apt-get install hunspell hunspell-de-de)",
        )
        return
    label = f"recall single words, German prose, only words Hunspell de_DE accepts ({len(spelt_right)} distinct)"
    recall(label, spelt_right, prose_known, counts)


def hunspell_accepts(words: list[str]) -> list[str] | None:
    """The words that Hunspell's de_DE dictionary (igerman98, with its compound rules)
    spells right: real German words, not the typos and pre-1996 spellings of the prose."""
    if not shutil.which("hunspell") or not HUNSPELL_DE.exists():
        return None
    result = subprocess.run(
        ["hunspell", "-d", "de_DE", "-G"],
        input="\n".join(words),
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "LC_ALL": "C.UTF-8"},
    )
    accepted = set(result.stdout.split())
    return [word for word in words if word in accepted]


def part_running() -> None:
    """Recall in running text: each word with ä/ö/ü/ß of the German prose is transliterated
    in place, and the whole rule (names, identifiers, context) must flag it there with the
    word as the suggestion. Ambiguous pairs (the transliteration is a word of the prose
    too) are left out, as for single words."""
    corpus = german_corpus()
    if not corpus:
        skip("running", "no German prose found")
        return
    known = {w.lower() for _, text in corpus for w in WORD.findall(text)}
    rule = build({"lang": "de"})
    total, hits, missed = 0, 0, collections.Counter[str]()
    for name, text in corpus:
        wrong_text, expected = transliterate_in_place(text, known)
        found = {
            f.start: f.suggestion
            for f in rule.check(Document(name, wrong_text, wrong_text, "text"))
        }
        for start, (wrong, right) in expected.items():
            total += 1
            if found.get(start) == right:
                hits += 1
            else:
                missed[f"{wrong} -> {found.get(start)}, want {right}"] += 1
    print(f"[running text] recall {hits}/{total} = {hits / max(total, 1):.4f} (occurrences)")
    for key, count in missed.most_common(15):
        print(f"    {count:4}x {key}")


def transliterate_in_place(text: str, known: set[str]) -> tuple[str, dict[int, tuple[str, str]]]:
    """`text` with its words with ä/ö/ü/ß transliterated, and where each now starts."""
    pieces, expected, done, shift = [], {}, 0, 0
    for match in WORD.finditer(text):
        word = match.group()
        wrong = transliterate(word)
        if not has_umlaut(word) or len(word) < 3 or wrong.lower() in known or is_camel_case(word):
            continue
        pieces.append(text[done : match.start()])
        expected[match.start() + shift] = (wrong, word)
        pieces.append(wrong)
        shift += len(wrong) - len(word)
        done = match.end()
    pieces.append(text[done:])
    return "".join(pieces), expected


def part_compounds() -> None:
    words = ngerman_words()
    if words is None:
        skip("compounds", f"{NGERMAN} is missing (apt-get install wngerman)")
        return
    known = {w.lower() for w in words}
    nouns = [w for w in words if w[:1].isupper() and w.isalpha() and 4 <= len(w) <= 12]
    with_umlaut = [w for w in nouns if has_umlaut(w)]
    rng = random.Random(SEED)
    compounds: set[str] = set()
    while len(compounds) < 2000:
        first, second = rng.choice(nouns), rng.choice(with_umlaut)
        if rng.random() < 0.5:
            first, second = second, first
        compound = first + second.lower()
        if compound.lower() not in known:
            compounds.add(compound)
    recall("recall unseen compounds of two wngerman nouns, 2000", sorted(compounds), known)


def part_dictionary() -> None:
    """False flags on correctly spelt words: every igerman98 word with ae/oe/ue/ss."""
    words = ngerman_words()
    if words is None:
        skip("dictionary", f"{NGERMAN} is missing (apt-get install wngerman)")
        return
    speller = build({"lang": "de"}).speller
    spelt_right = [w for w in words if w.isalpha() and re.search("ae|oe|ue|ss", w, re.IGNORECASE)]
    flagged = [(w, speller.suggest(w)) for w in spelt_right if speller.suggest(w)]
    print(
        f"[dictionary] {len(flagged)} of {len(spelt_right)} igerman98 words with ae/oe/ue/ss flagged"
    )
    for word, suggestion in flagged:
        print(f"    {word} -> {suggestion}")


def render_man_page(path: Path) -> str:
    """The text of a man page: groff with preconv, no hyphenation, very long lines."""
    source = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    result = subprocess.run(
        ["groff", "-k", "-t", "-mandoc", "-Tutf8", "-rLL=3000n", "-rHY=0", "-P-cbou"],
        input=source,
        capture_output=True,
        check=False,
    )
    return result.stdout.decode("utf-8", "replace")


def man_pages() -> Iterator[tuple[str, str]]:
    if not MAN_DIR.exists() or not shutil.which("groff"):
        skip("german", f"{MAN_DIR} or groff is missing (apt-get install manpages-de groff-base)")
        return
    cache = CACHE / "man-de"
    cache.mkdir(parents=True, exist_ok=True)
    for path in sorted(MAN_DIR.rglob("*.gz")):
        if path.is_symlink():
            continue
        cached = cache / (path.parent.name + "-" + path.name + ".txt")
        if not cached.exists():
            cached.write_text(render_man_page(path), encoding="utf-8")
        yield f"man:{path.parent.name}/{path.name}", cached.read_text(encoding="utf-8")


def german_corpus() -> list[tuple[str, str]]:
    corpus = list(man_pages())
    if DEBIAN_REFERENCE.exists():
        text = gzip.decompress(DEBIAN_REFERENCE.read_bytes()).decode("utf-8", "replace")
        corpus.append(("debian-reference.de.txt", text))
    else:
        skip("german", f"{DEBIAN_REFERENCE} is missing (apt-get install debian-reference-de)")
    return corpus


def false_flags(label: str, corpus: list[tuple[str, str]], lang: str) -> None:
    rule = build({"lang": lang})
    tokens, flags = 0, collections.Counter[str]()
    where: dict[str, str] = {}
    for name, text in corpus:
        tokens += len(WORD.findall(text))
        for finding in rule.check(Document(name, text, text, "text")):
            key = f"{text[finding.start : finding.end]} -> {finding.suggestion}"
            flags[key] += 1
            where.setdefault(key, f"{name}:{finding.line}")
    total = sum(flags.values())
    size = sum(len(t.encode()) for _, t in corpus) / 1e6
    print(
        f"[{label}, lang={lang}] {len(corpus)} files, {size:.1f} MB, {tokens} tokens: "
        f"{total} flags = {total * 100_000 / max(tokens, 1):.2f} per 100k tokens"
    )
    for key, count in flags.most_common():
        print(f"    {count:4}x {key}   ({where[key]})")


def part_german() -> None:
    corpus = german_corpus()
    if corpus:
        false_flags("German prose", corpus, "de")


def english_corpus(limit_bytes: int = 8_000_000) -> list[tuple[str, str]]:
    files, size = [], 0
    for root in ENGLISH_ROOTS:
        if not root.exists():
            continue
        for path in sorted(root.rglob("*.md")):
            if size >= limit_bytes or "rulesync" in str(path) or not path.is_file():
                continue
            try:
                text = path.read_text(encoding="utf-8")
            except (UnicodeDecodeError, OSError):
                continue
            files.append((str(path), text))
            size += len(text.encode())
    return files


def part_english() -> None:
    corpus = english_corpus()
    if not corpus:
        skip("english", "no Markdown files found")
        return
    for lang in ("auto", "de"):
        false_flags("English Markdown", corpus, lang)


def part_speed() -> None:
    corpus = german_corpus()
    if not corpus:
        skip("speed", "no German prose found")
        return
    documents = [Document(name, text, text, "text") for name, text in corpus]
    size = sum(len(d.text.encode()) for d in documents) / 1e6
    for label in ("cold: first pass, lexicon buckets built on the way", "warm: second pass"):
        if label.startswith("cold"):
            rule = build({"lang": "de"})
        start = time.perf_counter()
        for document in documents:
            list(rule.check(document))
        elapsed = time.perf_counter() - start
        print(f"[speed {label}] {size:.1f} MB in {elapsed:.2f} s = {size / elapsed:.1f} MB/s")


def part_cli() -> None:
    executable = Path(sys.executable).parent / "rulesync"
    if not executable.exists():
        skip("cli", f"{executable} is missing (pip install -e .)")
        return
    with tempfile.TemporaryDirectory() as directory:
        sample = Path(directory) / "angebot.md"
        sample.write_text(
            "# Angebot\n\nWir liefern die neue Version fuer die Kundenaenderung.\n"
            "Die Groesse der Dateien ist aktuell klein.\n",
            encoding="utf-8",
        )
        times = []
        for _ in range(11):
            start = time.perf_counter()
            result = subprocess.run(
                [str(executable), "lint", "--only", "umlaut", str(sample)],
                capture_output=True,
                text=True,
                cwd=directory,
                check=False,
            )
            times.append(time.perf_counter() - start)
        print(f"[cli] exit {result.returncode}; output:\n{result.stdout}{result.stderr}".rstrip())
        print(
            f"[cli] one file, `rulesync lint --only umlaut`: median {statistics.median(times) * 1000:.0f} ms, "
            f"min {min(times) * 1000:.0f} ms over {len(times)} runs"
        )


PARTS = {
    "recall": part_recall,
    "compounds": part_compounds,
    "running": part_running,
    "dictionary": part_dictionary,
    "german": part_german,
    "english": part_english,
    "speed": part_speed,
    "cli": part_cli,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--part", action="append", choices=sorted(PARTS))
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores, {sys.platform}, Python {sys.version.split()[0]}")
    for name in args.part or PARTS:
        PARTS[name]()


if __name__ == "__main__":
    main()
