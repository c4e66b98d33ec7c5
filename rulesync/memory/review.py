"""`rulesync memory review`: entries that have probably gone stale.

Three findings, each linear in the number of entries:
- `unverified`: not verified for more than N days;
- `missing-path`: the entry names a path (in backticks) that is not in the project;
- `near-duplicate`: two entries of one category whose title and description share most words
  (candidates come from an inverted index of uncommon words, never from all pairs);
- `contradicts`: an entry and a newer one on the same subject (one category, titles sharing
  at least `SUBJECT` of their words) whose titles and descriptions disagree: one says no,
  never or not where the other does not, or they name different values (numbers,
  versions, `code`). Reported on the older entry, naming the newer one.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from rulesync.memory.entry import Entry
from rulesync.memory.fold import words

SIMILARITY = 0.6
SUBJECT = 0.5
_NEGATIONS = frozenset(
    [
        "not",
        "no",
        "never",
        "none",
        "nothing",
        "cannot",
        "without",
        "stop",
        "stopped",
        "dont",
        "doesnt",
        "isnt",
        "arent",
        "wont",
        "nicht",
        "nie",
        "niemals",
        "kein",
        "keine",
        "keinen",
        "keinem",
        "keiner",
        "nichts",
        "ohne",
    ]
)
_VALUE = re.compile(r"`([^`\n]{1,200})`|\b(v?\d+(?:[.,:]\d+)*)\b")
_COMMON = 50  # a word in more entries than this is too common to pair entries on
_STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "der",
        "die",
        "das",
        "den",
        "dem",
        "des",
        "ein",
        "eine",
        "for",
        "from",
        "in",
        "is",
        "it",
        "of",
        "on",
        "or",
        "the",
        "to",
        "und",
        "mit",
        "von",
        "zu",
        "im",
        "ist",
        "nicht",
        "use",
        "uses",
    ]
)
_CODE = re.compile(r"`([^`\n]{1,200})`")
_PATHLIKE = re.compile(r"^(?:\.{0,2}/)?[\w.-]+(?:/[\w.-]+)*/?$")
_VERSION = re.compile(r"^v?\d+(\.\d+)+$")
_FILE_SUFFIX = re.compile(r"\.[A-Za-z0-9]{1,8}$")


@dataclass(frozen=True)
class Finding:
    kind: str
    id: str
    message: str
    other: str | None = None

    def as_dict(self) -> dict[str, str | None]:
        return {"kind": self.kind, "id": self.id, "message": self.message, "other": self.other}


def review(entries: Sequence[Entry], root: Path, today: dt.date, days: int) -> list[Finding]:
    findings = [*unverified(entries, today, days), *missing_paths(entries, root)]
    return findings + near_duplicates(entries) + contradictions(entries)


def unverified(entries: Iterable[Entry], today: dt.date, days: int) -> list[Finding]:
    limit = today - dt.timedelta(days=days)
    return [
        Finding("unverified", entry.id, f"last verified {entry.last_verified.isoformat()}, over {days} days ago")
        for entry in entries
        if entry.last_verified < limit
    ]  # fmt: skip


def missing_paths(entries: Iterable[Entry], root: Path) -> list[Finding]:
    findings = []
    for entry in entries:
        if entry.category == "user":
            continue  # a user entry is about every project, not this one
        for path in _named_paths(f"{entry.description}\n{entry.body}"):
            if not _exists(root, path):
                findings.append(
                    Finding(
                        "missing-path", entry.id, f"names `{path}`, which is not in the project"
                    )
                )
    return findings


def _named_paths(text: str) -> list[str]:
    found = []
    for quoted in _CODE.findall(text):
        candidate = quoted.strip()
        pathlike = _PATHLIKE.match(candidate) and (
            "/" in candidate or _FILE_SUFFIX.search(candidate)
        )
        if pathlike and not _VERSION.match(candidate):  # `1.2.3` is a version, not a file
            found.append(candidate)
    return list(dict.fromkeys(found))


def _exists(root: Path, path: str) -> bool:
    if path.startswith("/"):
        return True  # outside the project: not ours to judge
    target = root / path
    try:
        return target.exists() or target.is_symlink()
    except OSError:
        return False


def near_duplicates(entries: Sequence[Entry]) -> list[Finding]:
    vocab = [frozenset(words(f"{e.title} {e.description}")) - _STOPWORDS for e in entries]
    holders: dict[tuple[str, str], list[int]] = defaultdict(list)
    for number, (entry, terms) in enumerate(zip(entries, vocab, strict=True)):
        for term in terms:
            holders[(entry.category, term)].append(number)
    pairs: set[tuple[int, int]] = set()
    for members in holders.values():
        if 1 < len(members) <= _COMMON:
            pairs.update((a, b) for i, a in enumerate(members) for b in members[i + 1 :])
    findings = []
    for a, b in sorted(pairs):
        shared = len(vocab[a] & vocab[b]) / max(1, len(vocab[a] | vocab[b]))
        if shared >= SIMILARITY:
            first, second = entries[a], entries[b]
            findings.append(
                Finding(
                    "near-duplicate",
                    first.id,
                    f"{shared:.0%} of its words are in `{second.id}`",
                    second.id,
                )
            )
    return findings


def contradictions(entries: Sequence[Entry]) -> list[Finding]:
    """Pairs on one subject where the newer entry disagrees with the older one."""
    titles = [frozenset(map(_stem, words(entry.title))) - _STOPWORDS for entry in entries]
    holders: dict[tuple[str, str], list[int]] = defaultdict(list)
    for number, (entry, terms) in enumerate(zip(entries, titles, strict=True)):
        for term in terms:
            holders[(entry.category, term)].append(number)
    pairs: set[tuple[int, int]] = set()
    for members in holders.values():
        if 1 < len(members) <= _COMMON:
            pairs.update((a, b) for i, a in enumerate(members) for b in members[i + 1 :])
    findings = []
    for a, b in sorted(pairs):
        if len(titles[a] & titles[b]) / max(1, len(titles[a] | titles[b])) < SUBJECT:
            continue
        older, newer = sorted((entries[a], entries[b]), key=lambda entry: (entry.updated, entry.id))
        if older.updated == newer.updated:
            continue  # neither is newer: no basis to call one of them stale
        reason = _disagreement(older, newer)
        if reason is not None:
            message = f"contradicts `{newer.id}` (updated {newer.updated.isoformat()}): {reason}"
            findings.append(Finding("contradicts", older.id, message, newer.id))
    return findings


def _stem(word: str) -> str:
    """A crude English plural/3rd-person `s` off, so `Deploys` and `deploy` are one subject."""
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def _disagreement(older: Entry, newer: Entry) -> str | None:
    old_text, new_text = _claim(older), _claim(newer)
    old_words, new_words = set(words(old_text)), set(words(new_text))
    if bool(old_words & _NEGATIONS) != bool(new_words & _NEGATIONS):
        return "one of them says no where the other does not"
    old_values, new_values = _values(old_text), _values(new_text)
    if old_values and new_values and not old_values & new_values:
        shown = ", ".join(sorted(new_values)[:3])
        return f"it names {', '.join(sorted(old_values)[:3])}, the newer one {shown}"
    return None


def _claim(entry: Entry) -> str:
    return f"{entry.title}\n{entry.description}".replace("n't", " not").replace("\u2019t", " not")


def _values(text: str) -> set[str]:
    return {(code or number).strip().lower() for code, number in _VALUE.findall(text)} - {""}
