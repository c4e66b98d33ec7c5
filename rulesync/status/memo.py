"""Answers that cost more than a status line may spend, kept in the state folder by key.

A key is built from the stats (size, modification time, inode) of everything the answer
depends on, so a changed file is a new key. The file is plain text, one entry a line,
`kind ␟ key ␟ value` (␟ is U+001F), read without importing json (json imports re: a few
milliseconds of every refresh). The memo only ever saves time: a damaged, missing or
unwritable memo is ignored.
"""

from __future__ import annotations

import os

from rulesync.status.store import read_bytes, state_dir, try_write

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping

FILE_NAME = "status-memo.txt"
SEP, REC = "\x1f", "\x1e"
MAX_ENTRIES = 64
MAX_BYTES = 4 * 1024 * 1024


class Memo:
    def __init__(self, environ: Mapping[str, str]) -> None:
        self.path = os.path.join(state_dir(environ), FILE_NAME)
        self.entries: dict[tuple[str, str], str] = {}
        self.changed = False
        raw = read_bytes(self.path, MAX_BYTES)
        for line in (raw or b"").decode("utf-8", "surrogateescape").split("\n")[:MAX_ENTRIES]:
            parts = line.split(SEP, 2)
            if len(parts) == 3:
                self.entries[(parts[0], parts[1])] = parts[2]

    def get(self, kind: str, key: str) -> str | None:
        return self.entries.get((kind, key))

    def put(self, kind: str, key: str, value: str) -> None:
        if "\n" in kind + key + value or SEP in kind + key:
            return  # cannot be kept on one line: not memoised
        for old in [k for k in self.entries if k[0] == kind and (kind != "drift" or k[1] == key)]:
            del self.entries[old]  # one entry per kind (per project for drift)
        self.entries[(kind, key)] = value
        while len(self.entries) > MAX_ENTRIES:
            del self.entries[next(iter(self.entries))]
        self.changed = True

    def save(self) -> None:
        if self.changed:
            lines = (f"{kind}{SEP}{key}{SEP}{value}" for (kind, key), value in self.entries.items())
            try_write(self.path, "\n".join(lines).encode("utf-8", "surrogateescape"))


def clean(text: str) -> str:
    """Text that can sit inside a memo value: no line breaks or separators."""
    return text.replace("\n", " ").replace("\r", " ").replace(SEP, " ").replace(REC, " ")


def stat_key(*paths: str) -> str:
    parts = []
    for path in paths:
        try:
            info = os.stat(path)
        except (OSError, ValueError):
            parts.append("-")
            continue
        parts.append(f"{info.st_size}.{info.st_mtime_ns}.{info.st_ino}")
    return ":".join(parts)
