"""The journal of entry files the post-write hook checked and left for the next reader.

The hook's usual case is an agent editing an entry it has read: the body changes, and the
entry's category, title, description and `updated` date stay as they were. Then MEMORY.md
cannot change, and the hook need not open the index at all: importing SQLite and committing
one row is a fifth of a 30 ms hook. Claude Code and Gemini CLI send the file's text from
before the write in the hook's payload (`hook.original_text`), so the hook can tell this
case without the index. It checks the new text (no secret, a valid entry) and appends
`scope<TAB>name` to this journal, `<index>-pending`, under the memory's write lock.

Every reader applies the journal before it reads the index. The quick `search` and `brief`
paths see that the file exists and take the store's path, whose `Index.refresh` re-reads
each named file (whatever its mtime and size say), then deletes the journal under the same
lock. So a search right after the hook finds the new text.

The journal sits in the index folder (the user's cache, never the project), but it is read
as untrusted all the same: only lines that name a scope and a plain entry file name are
used. A link, a file over `MAX_BYTES` or any other line makes the reader rebuild the index
from every file instead (`take` returns None).
"""

from __future__ import annotations

import os

SUFFIX = "-pending"  # beside SQLite's own -wal and -shm
MAX_BYTES = 1 << 20
SCOPES = ("user", "project")
_OPEN_APPEND = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | os.O_CLOEXEC


def journal_path(index_path: str) -> str:
    return index_path + SUFFIX


def waiting(index_path: str) -> bool:
    """Whether some file waits to be indexed: then a reader must take the store's path."""
    return os.path.lexists(journal_path(index_path))


def can_name(name: str) -> bool:
    """Whether `name` can be written as a journal line and read back as itself: a visible
    `*.md` file name (not MEMORY.md) without tabs, newlines or undecodable characters."""
    if not name.endswith(".md") or name.startswith(".") or name == "MEMORY.md":
        return False
    if "/" in name or "\t" in name or "\n" in name or "\r" in name or "\x00" in name:
        return False
    return name.isprintable() and len(name.encode("utf-8", "surrogateescape")) <= 255


def append(index_path: str, scope: str, name: str) -> None:
    """Add one file to the journal; the caller holds the memory's write lock. One `write`
    of one short line: a reader never sees half of it."""
    if scope not in SCOPES or not can_name(name):
        raise ValueError(f"not a journal line: {scope!r} {name!r}")
    descriptor = os.open(journal_path(index_path), _OPEN_APPEND, 0o600)
    try:
        os.write(descriptor, f"{scope}\t{name}\n".encode())
    finally:
        os.close(descriptor)


def take(index_path: str) -> list[tuple[str, str]] | None:
    """The journal's files, in order and without repeats ([] when there is no journal), or
    None when it cannot be trusted: then the caller checks every file. The caller holds
    the write lock and calls `clear` once the files are indexed."""
    from rulesync.regular_file import read_regular

    try:
        raw = read_regular(journal_path(index_path), MAX_BYTES, follow=False)
    except FileNotFoundError:
        return []
    except OSError:
        return None  # a link, not a regular file, too large or unreadable
    return _lines(raw)


def _lines(raw: bytes) -> list[tuple[str, str]] | None:
    if raw and not raw.endswith(b"\n"):
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    keys: dict[tuple[str, str], None] = {}
    for line in text.split("\n")[:-1]:
        scope, tab, name = line.partition("\t")
        if not tab or scope not in SCOPES or not can_name(name):
            return None
        keys[(scope, name)] = None
    return list(keys)


def clear(index_path: str) -> None:
    """Remove the journal (a link in its place is removed, never followed)."""
    try:  # noqa: SIM105 - the quick paths import this module: no contextlib
        os.unlink(journal_path(index_path))
    except FileNotFoundError:
        pass
