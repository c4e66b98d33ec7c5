"""The post-write hook's lean path: one changed entry file indexed without the store.

`Store.reindex` imports pathlib, the layout, the whole index and the store, and rewrites
MEMORY.md after every write. Here the same work runs on plain strings: the folders from
`paths.lean_layout`, the one file read through a descriptor of its folder (never via a link),
its row replaced with the index's own statements (`index_sql.py`) under the memory's write
lock, and MEMORY.md rewritten only when its block may change: a new entry, a new category
or date (a new place in the block's order), or a new title or description of an entry the
block lists; or when MEMORY.md or its block is missing.

It leaves the index and MEMORY.md exactly as `Store.reindex` would. Whenever it cannot be
sure of that (a layout only `layout.resolve` knows, no index yet or another schema, a file
that is not a valid entry, a removed file, an unchanged stamp, an OS error), it returns
None before writing anything and the hook takes the full path.
"""

from __future__ import annotations

import os

TYPE_CHECKING = False  # not from typing: this runs after every memory write, start-up counts
if TYPE_CHECKING:
    import sqlite3
    from collections.abc import Mapping
    from typing import Literal

    from rulesync.memory.entry import Entry, EntryText
    from rulesync.memory.paths import LeanLayout

SECRET = "secret"  # `reindex` returns it with the message: the hook exits 2
_OLD_ROW = (
    "SELECT rowid, mtime_ns, size, category, title, description, updated, problem"
    " FROM files WHERE scope = ? AND name = ?"
)


class _Listed:
    """A pointer line's fields, from a raw index row (what `index_md.render` needs)."""

    __slots__ = ("category", "description", "id", "title", "updated")

    def __init__(self, values: tuple[str, ...]) -> None:
        _scope, _name, self.id, self.category, self.title, self.description = values[:6]
        self.updated = values[7]  # ISO text: the block sorts it as such (no datetime)


def reindex(
    path: str, start: str, environ: Mapping[str, str], original: bytes | None = None
) -> tuple[str, str] | None:
    """("done", "") when the file is indexed (or journaled) or not ours, (SECRET, message)
    when it holds a secret, None when only the full path can tell. `path` is absolute and
    normalised; `start` is the hook's folder, absolute with symlinks resolved; `original`
    is the file's text before the write, when the agent sent it."""
    from rulesync.memory.paths import lean_layout

    layout = lean_layout(start, environ)
    if layout is None:
        return None
    scope = _scope(os.path.dirname(path), layout)
    if scope is None:
        return ("done", "")  # a file called *.md in some other `memory` folder: not ours
    if not os.path.isfile(layout.index_path):
        return None
    try:
        return _reindex(layout, scope, os.path.basename(path), original)
    except OSError:
        return None  # the full path says what is wrong, with the fix


def _scope(folder: str, layout: LeanLayout) -> str | None:
    """ "project" or "user" when `folder` is that memory folder (symlinks resolved, as the
    full path compares them), else None. The same text needs no resolving: the agent
    wrote to the folder by the path rulesync gives it (`realpath` is a Python loop with an
    lstat per component)."""
    if folder == layout.project_dir:
        return "project"  # the project's folder is the first compared, as on the full path
    real = os.path.realpath(folder)
    if real == os.path.realpath(layout.project_dir):
        return "project"
    return "user" if real == os.path.realpath(layout.user_dir) else None


def _reindex(
    layout: LeanLayout, scope: str, name: str, original: bytes | None
) -> tuple[str, str] | None:
    """Read, check and index the file under the write lock (as `Store.reindex` does), so
    two hooks on one file cannot leave the older text indexed with the newer stamp."""
    from rulesync.memory.lock import WriteLock

    with WriteLock(os.path.join(layout.index_dir, "memory.lock")).held():
        return _reindex_locked(layout, scope, name, original)


def _reindex_locked(
    layout: LeanLayout, scope: str, name: str, original: bytes | None
) -> tuple[str, str] | None:
    import stat

    from rulesync.memory import files

    folder = layout.user_dir if scope == "user" else layout.project_dir
    display = os.path.join(folder, name)
    with files.open_folder(folder, create=False) as descriptor:
        try:
            status = os.stat(name, dir_fd=descriptor, follow_symlinks=False)
        except FileNotFoundError:
            return None  # written, then removed: the full path drops its row
        if not stat.S_ISREG(status.st_mode):
            return ("done", "")  # a link or a FIFO: never indexed
        from rulesync.memory.entry import MAX_FILE

        raw = files.read_file(descriptor, name, MAX_FILE, display=display)
        if raw is None:
            return None
        from rulesync.memory.hook import secret_message

        secret = secret_message(display, raw)
        if secret is not None:
            return (SECRET, secret)
        entry = _entry(raw, name, status.st_mtime_ns)
        if entry is None:
            return None
        if original is not None and _same_line_and_place(entry, original, name):
            from rulesync.memory import pending

            if pending.can_name(name):
                pending.append(layout.index_path, scope, name)
                return ("done", "")
        done = _upsert(layout, scope, name, (status.st_mtime_ns, status.st_size), entry)
        return ("done", "") if done else None


def _entry(raw: bytes, name: str, mtime_ns: int) -> Entry | EntryText | None:
    """The file as `Index._read` parses it, or None when it is not a valid entry. A file
    as rulesync writes it is read by `parse_text` (no datetime, json or yaml); anything
    else by `parse` itself."""
    from rulesync.memory.entry import EntryError, parse, parse_text

    text = parse_text(raw, name[:-3])
    if text is not None:
        return text
    import datetime as dt

    day = dt.datetime.fromtimestamp(mtime_ns / 1e9, dt.timezone.utc).date()
    try:
        return parse(raw, name[:-3], day)
    except (EntryError, UnicodeDecodeError, RecursionError):
        return None  # the full path records why it is not an entry


def _same_line_and_place(entry: Entry | EntryText, original: bytes, name: str) -> bool:
    """Whether the text before the write was a valid entry in rulesync's flat frontmatter
    (every date written out, so no date comes from a file time) with the same category,
    title, description and `updated` date as the file now: then MEMORY.md's block keeps
    its line and its place, and the file can wait in the journal for the next reader."""
    from rulesync.memory.entry import parse_text

    before = parse_text(original, name[:-3])
    if before is None:
        return False
    # An `entry` parsed in full has its dates as `date`s, never equal to this text: one may
    # come from the file's mtime, and only the index knows the old one.
    fields = ("category", "title", "description", "updated")
    return all(getattr(before, field) == getattr(entry, field) for field in fields)


def _upsert(
    layout: LeanLayout, scope: str, name: str, stamp: tuple[int, int], entry: Entry | EntryText
) -> bool:
    """Replace the file's row (and MEMORY.md when its block may change); False, with
    nothing written, when the full path must decide. The caller holds the write lock."""
    from rulesync.memory.sqlite_api import sqlite3 as sqlite_api

    sqlite3 = sqlite_api()
    try:
        connection = sqlite3.connect(layout.index_path, timeout=30.0, isolation_level=None)
    except sqlite3.Error:
        return False
    try:
        connection.execute("PRAGMA busy_timeout = 30000")
        connection.execute("PRAGMA synchronous = NORMAL")  # as `Index` opens it
        old = _replace_row(connection, scope, name, stamp, entry)
        if old is False:
            return False
        if _block_may_change(layout, scope, entry, old):
            _write_memory_md(connection, layout, scope)
        return True
    except sqlite3.Error:
        return False  # damaged, or another schema: the full path rebuilds, with a note
    finally:
        connection.close()


def _replace_row(
    connection: sqlite3.Connection,
    scope: str,
    name: str,
    stamp: tuple[int, int],
    entry: Entry | EntryText,
) -> tuple[object, ...] | Literal[False] | None:
    """`Index.refresh(only=[(scope, name)])` for one valid entry: the old row's category,
    title, description, updated and problem (None for a new file), or False (nothing
    written) when the full path must decide."""
    from rulesync.memory import index_sql

    found = connection.execute(index_sql.SCHEMA_OF).fetchone()
    if found is None or str(found[0]) != index_sql.SCHEMA_VERSION:
        return False
    connection.execute("BEGIN IMMEDIATE")
    try:
        old = connection.execute(_OLD_ROW, (scope, name)).fetchone()
        if old is not None and (old[1], old[2]) == stamp:
            connection.execute("ROLLBACK")
            return False  # the index has this file already: nothing lean to do
        if old is not None:
            connection.execute(index_sql.DELETE_FILE, (old[0],))
            connection.execute(index_sql.DELETE_TEXT, (old[0],))
        rowid = int(connection.execute(index_sql.NEXT_ROWID).fetchone()[0]) + 1
        columns = index_sql.entry_columns(entry, "")
        connection.execute(index_sql.INSERT_FILE, (rowid, scope, name, *stamp, *columns))
        connection.execute(index_sql.INSERT_TEXT, (rowid, *index_sql.folded_text(entry)))
        connection.execute(index_sql.SET_SIGNATURE, ("",))
        connection.execute(index_sql.CLEAR_DIRS_STAMP)
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    return None if old is None else tuple(old[3:])


def _block_may_change(
    layout: LeanLayout, scope: str, entry: Entry | EntryText, old: tuple[object, ...] | None
) -> bool:
    """False only when MEMORY.md's block stays as it is: an entry that was indexed before,
    with the same category and date (so the same place in the block's order), whose
    pointer line is the same or is not in the block at all (beyond its first 150 lines)."""
    from rulesync.memory import files, index_md, index_sql

    if old is None or old[4] is not None:
        return True  # a new entry, or a file that was not one: the count and the ids change
    if old[0] != entry.category or old[3] != index_sql.entry_columns(entry, "")[5]:
        return True
    folder = layout.user_dir if scope == "user" else layout.project_dir
    display = os.path.join(folder, index_md.NAME)
    with files.open_folder(folder, create=False) as descriptor:
        raw = files.read_file(descriptor, index_md.NAME, index_md.MAX_READ, display=display)
    if raw is None:
        return True  # gone: the full path would write it again
    text = raw.decode("utf-8", "replace")
    start, end = text.find(index_md.BEGIN), text.find(index_md.END)
    if start < 0 or end < start:
        return True
    if (old[1], old[2]) == (entry.title, entry.description):
        return False
    return f"]({entry.id}.md)" in text[start:end]


def _write_memory_md(connection: sqlite3.Connection, layout: LeanLayout, scope: str) -> None:
    """`Store._write_memory_md` on strings: the block rewritten when its text changed."""
    from rulesync.memory import files, index_md, index_sql

    folder = layout.user_dir if scope == "user" else layout.project_dir
    display = os.path.join(folder, index_md.NAME)
    with files.open_folder(folder, create=True) as descriptor:
        raw = files.read_file(descriptor, index_md.NAME, index_md.MAX_READ, display=display)
        existing = None if raw is None else raw.decode("utf-8", "replace")
        wanted = index_md.outside_targets(existing)
        rows, total, ids = index_sql.listing(connection, scope, index_md.MAX_LINES + 1, wanted)
        pointer = None
        if scope == "project":
            pointer = index_md.user_pointer(layout.user_dir, layout.project_dir)
        listed = [_Listed(values) for values in rows]
        text = index_md.render(existing, listed, pointer, total=total, ids=ids)
        if text != existing:
            files.write_atomic(descriptor, index_md.NAME, text.encode(), display=display)
