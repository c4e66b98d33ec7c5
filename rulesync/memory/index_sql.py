"""The index's statements that change one file's row, shared by the index (`index.py`) and
the post-write hook's lean path (`hook_lean.py`), which runs them without importing the store.
"""

from __future__ import annotations

TYPE_CHECKING = False  # not from typing: the post-write hook imports this module
if TYPE_CHECKING:
    import datetime as dt
    import sqlite3

    from rulesync.memory.entry import Entry, EntryText

SCHEMA_VERSION = "2"  # 2: files_recent, for `memory brief` and MEMORY.md
ROW_COLUMNS = (
    "scope, name, id, category, title, description, created, updated, last_verified, agent"
)
INSERT_FILE = (
    "INSERT INTO files(rowid, scope, name, mtime_ns, size, id, category, title,"
    " description, created, updated, last_verified, agent, problem)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
INSERT_TEXT = "INSERT INTO fts(rowid, title, description, body) VALUES (?, ?, ?, ?)"
DELETE_FILE = "DELETE FROM files WHERE rowid = ?"
DELETE_TEXT = "DELETE FROM fts WHERE rowid = ?"
NEXT_ROWID = "SELECT coalesce(max(rowid), 0) FROM files"
SET_SIGNATURE = "INSERT OR REPLACE INTO meta VALUES ('signature', ?)"
#: A write clears the folders' stamp (`freshness.DIRS_KEY`; a test keeps the two equal):
#: the next reader checks every file. The hook runs it without importing freshness.
CLEAR_DIRS_STAMP = "DELETE FROM meta WHERE key = 'brief_dirs'"
#: The stamp and rowid of one file's row, for `refresh(only=…)` and the hook.
KNOWN = "SELECT mtime_ns, size, rowid FROM files WHERE scope = ? AND name = ?"
SCHEMA_OF = "SELECT value FROM meta WHERE key = 'schema'"
LISTING_ORDER = ("feedback", "project", "reference", "user")
#: The categories named, not `category IS NOT NULL`: then SQLite counts on files_recent,
#: which covers both columns, instead of reading every row for its category through the
#: (scope, name) key (1 ms against 7 at 10,000 entries). An entry's category is one of them.
LISTING_TOTAL = (
    "SELECT count(*) FROM files WHERE category IN"
    f" ({', '.join(repr(category) for category in LISTING_ORDER)}) AND scope = ?"
)
LISTING_HAS = "SELECT 1 FROM files WHERE scope = ? AND id = ? AND problem IS NULL"
#: On the index files_recent; a file that is not an entry has no category.
LISTING_PAGE = (
    f"SELECT {ROW_COLUMNS} FROM files WHERE category = ? AND scope = ?"
    " ORDER BY updated DESC, id LIMIT ?"
)


def entry_columns(entry: Entry | EntryText | None, problem: str) -> tuple[object, ...]:
    """The `files` columns after the stamp: id … agent, then problem (NULL for an entry)."""
    if entry is None:
        return (None,) * 8 + (problem,)
    return (
        entry.id, entry.category, entry.title, entry.description, _iso(entry.created),
        _iso(entry.updated), _iso(entry.last_verified), entry.agent, None,
    )  # fmt: skip


def _iso(day: dt.date | str | None) -> str | None:
    """A date column: the ISO text of an Entry's date, or an EntryText's as it is."""
    return day if day is None or isinstance(day, str) else day.isoformat()


def folded_text(entry: Entry | EntryText) -> tuple[str, str, str]:
    """The `fts` columns after the rowid: title, description and body, folded."""
    from rulesync.memory.fold import fold

    return fold(entry.title), fold(entry.description), fold(entry.body)


def listing(
    connection: sqlite3.Connection, scope: str, limit: int, wanted: set[str]
) -> tuple[list[tuple[str, ...]], int, set[str]]:
    """The first `limit` raw rows of `scope` in MEMORY.md's order, their count, and which of
    the `wanted` ids are entries of `scope`."""
    total = int(connection.execute(LISTING_TOTAL, (scope,)).fetchone()[0])
    ids = {
        entry_id
        for entry_id in wanted
        if connection.execute(LISTING_HAS, (scope, entry_id)).fetchone() is not None
    }
    rows: list[tuple[str, ...]] = []
    for category in LISTING_ORDER:
        rows += connection.execute(LISTING_PAGE, (category, scope, limit - len(rows))).fetchall()
    return rows, total, ids
