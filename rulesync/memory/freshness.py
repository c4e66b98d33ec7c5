"""How a reader knows the index is current without stat-ing every entry file.

A full check (`Index.refresh`) stats every `*.md` file of both memory folders: about
60-90 ms at 10,000 entries, more than a whole `search` may take. So the index remembers the
inode and mtime of both folders as they were just before its last full check (`dirs_stamp`),
and when that check ran. A reader then does the full check only when:

- a folder's stamp changed: a file was added, removed or renamed there. Every atomic writer
  does that (rulesync itself, editors that save by rename: vim, Emacs, JetBrains' safe write),
  and so does any new or deleted file;
- the last full check is older than `FULL_CHECK_EVERY` seconds;
- the index was written since (a write clears the stamp: the next reader checks in full);
- a folder changed less than `SETTLE` seconds before the last full check (`settled`).

Otherwise it stats one slice of the indexed files, `SLICE` files or a sixteenth of them
(whichever is more), taking the next slice each time. A file edited *in place* (VS Code,
nano, `>>`) changes neither folder: it is found by the next full check, or by the slice
that holds it, so within sixteen searches. The agents' own writes are indexed at once by the
post-write hook, or left in its journal (`pending.py`), which makes every reader take the
full path first; and `rulesync memory sync` always checks every file.
"""

from __future__ import annotations

import os

TYPE_CHECKING = False  # not from typing: `memory brief` imports this at session start
if TYPE_CHECKING:
    import sqlite3
    from collections.abc import Callable, Iterable
    from pathlib import Path

    from rulesync.memory.layout import Layout
    from rulesync.memory.paths import LeanLayout

DIRS_KEY = "brief_dirs"  # meta key: the folders' stamp at the last full check
CHECKED_KEY = "checked_at"  # meta key: when the last full check ran (seconds since the epoch)
CURSOR_KEY = "slice_after"  # meta key: the rowid after which the next slice starts
FULL_CHECK_EVERY = 600.0
SLICE = 256
SLICES = 16
SETTLE = 1.0


def dirs_stamp(layout: Layout | LeanLayout) -> str:
    """The inode and mtime of both memory folders: a file added, removed or renamed changes it."""
    parts = []
    for folder in (layout.user_dir, layout.project_dir):
        try:
            status = os.stat(folder, follow_symlinks=False)
        except OSError:
            parts.append("-")
            continue
        parts.append(f"{status.st_ino}:{status.st_mtime_ns}")
    return " ".join(parts)


def settled(stamp: str, now_ns: int) -> bool:
    """Whether both folders were last changed more than `SETTLE` seconds ago. File times
    come from a coarse kernel clock: a file added in the same tick as the stamp was taken
    would leave the stamp unchanged, so a fresh stamp is not stored."""
    for part in stamp.split():
        if part != "-" and now_ns - int(part.split(":")[1]) < SETTLE * 1e9:
            return False
    return True


def slice_size(total: int) -> int:
    return max(SLICE, -(-total // SLICES))


_DIR_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_NOFOLLOW", 0)
_SLICE_SQL = (
    "SELECT rowid, scope, name, mtime_ns, size FROM files WHERE rowid > ? ORDER BY rowid LIMIT ?"
)


def next_slice(
    connection: sqlite3.Connection, after: int, folder: Callable[[str], Path | str]
) -> tuple[list[tuple[str, str]], int]:
    """Stat the slice of indexed files after rowid `after` (wrapping round): the
    `(scope, name)` of those whose mtime or size changed, and the cursor for the next one."""
    total = int(connection.execute("SELECT count(*) FROM files").fetchone()[0])
    size = slice_size(total)
    rows = connection.execute(_SLICE_SQL, (after, size)).fetchall()
    if len(rows) < size and after:
        rows += connection.execute(_SLICE_SQL, (0, size - len(rows))).fetchall()
    known = {(scope, name): (mtime, length) for _, scope, name, mtime, length in rows}
    now = _stat_in_folders(known, folder)
    changed = [key for key, stamp in known.items() if now.get(key) != stamp]
    cursor = rows[-1][0] if rows and len(rows) == size else 0
    return changed, int(cursor)


def _stat_in_folders(
    keys: Iterable[tuple[str, str]], folder: Callable[[str], Path | str]
) -> dict[tuple[str, str], tuple[int, int]]:
    """mtime and size of each regular file, through one no-follow descriptor per folder;
    a folder that cannot be opened leaves its files out (they count as changed)."""
    import stat

    found: dict[tuple[str, str], tuple[int, int]] = {}
    for scope in ("user", "project"):
        names = [name for key_scope, name in keys if key_scope == scope]
        if not names:
            continue
        try:
            descriptor = os.open(folder(scope), _DIR_FLAGS)
        except OSError:
            continue
        try:
            for name in names:
                try:
                    status = os.stat(name, dir_fd=descriptor, follow_symlinks=False)
                except OSError:
                    continue
                if stat.S_ISREG(status.st_mode):
                    found[(scope, name)] = (status.st_mtime_ns, status.st_size)
        finally:
            os.close(descriptor)
    return found
