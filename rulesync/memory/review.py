"""`rulesync memory review`: entries that have probably gone stale.

Three findings, each linear in the number of entries:
- `unverified`: not verified for more than N days;
- `missing-path`: the entry names a path (in backticks) that is not in the project;
- `near-duplicate`: two entries of one category whose title and description share most words
  (candidates come from an inverted index of uncommon words, never from all pairs).
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
    return findings + near_duplicates(entries)


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
