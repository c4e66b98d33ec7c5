"""The SQLite index of the entry files: WAL, FTS5 with BM25, rebuilt from the files at will.

The index is a cache. Each row remembers the mtime and size of the file it came from;
`refresh` compares them with the files before every search (in full, or one slice, as
`freshness.py` decides), so a hand edit is picked up without a `sync`. A damaged index file is deleted and rebuilt, with a message.
Text is indexed folded (`fold.py`) so `Groesse` finds `Größe` and the other way round.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
import time
from collections.abc import Iterable
from pathlib import Path

from rulesync.memory import files, pending
from rulesync.memory.entry import MAX_FILE, Entry, EntryError, parse
from rulesync.memory.freshness import (
    CHECKED_KEY,
    CURSOR_KEY,
    DIRS_KEY,
    FULL_CHECK_EVERY,
    dirs_stamp,
    next_slice,
    settled,
)
from rulesync.memory.index_sql import (
    DELETE_FILE,
    DELETE_TEXT,
    INSERT_FILE,
    INSERT_TEXT,
    KNOWN,
    NEXT_ROWID,
    ROW_COLUMNS,
    SCHEMA_OF,
    SCHEMA_VERSION,
    SET_SIGNATURE,
    entry_columns,
    folded_text,
)
from rulesync.memory.index_sql import listing as raw_listing
from rulesync.memory.layout import Layout
from rulesync.memory.lock import WriteLock
from rulesync.record import Frozen

SCOPES = ("user", "project")
_SCHEMA = (
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE files(rowid INTEGER PRIMARY KEY, scope TEXT NOT NULL, name TEXT NOT NULL,"
    " mtime_ns INTEGER NOT NULL, size INTEGER NOT NULL, id TEXT, category TEXT, title TEXT,"
    " description TEXT, created TEXT, updated TEXT, last_verified TEXT, agent TEXT,"
    " problem TEXT, UNIQUE(scope, name))",
    "CREATE INDEX files_id ON files(id)",
    "CREATE INDEX files_recent ON files(category, scope, updated DESC, id)",
    "CREATE VIRTUAL TABLE fts USING fts5(title, description, body,"
    " tokenize='unicode61 remove_diacritics 2')",
)
_ROW_COLUMNS = ROW_COLUMNS
Key = tuple[str, str]


class Row(Frozen):
    """An indexed entry, without its body (`show` reads the file)."""

    __slots__ = (  # noqa: RUF023 - the field order: repr and replace follow it
        "scope", "name", "id", "category", "title", "description", "created", "updated",
        "last_verified", "agent",
    )  # fmt: skip
    scope: str
    name: str
    id: str
    category: str
    title: str
    description: str
    created: dt.date
    updated: dt.date
    last_verified: dt.date
    agent: str

    def __init__(
        self,
        scope: str,
        name: str,
        id: str,
        category: str,
        title: str,
        description: str,
        created: dt.date,
        updated: dt.date,
        last_verified: dt.date,
        agent: str,
    ) -> None:
        self._set(
            scope=scope, name=name, id=id, category=category, title=title,
            description=description, created=created, updated=updated,
            last_verified=last_verified, agent=agent,
        )  # fmt: skip

    def as_dict(self) -> dict[str, str]:
        return {
            "id": self.id,
            "scope": self.scope,
            "category": self.category,
            "title": self.title,
            "description": self.description,
            "created": self.created.isoformat(),
            "updated": self.updated.isoformat(),
            "last_verified": self.last_verified.isoformat(),
            "agent": self.agent,
        }


class Unreadable(Frozen):
    """A `*.md` file in a memory folder that is not an entry, and why."""

    __slots__ = ("scope", "name", "problem")  # noqa: RUF023 - field order
    scope: str
    name: str
    problem: str

    def __init__(self, scope: str, name: str, problem: str) -> None:
        self._set(scope=scope, name=name, problem=problem)

    def as_dict(self) -> dict[str, str]:
        return {"scope": self.scope, "name": self.name, "problem": self.problem}


class Index:
    """An open index of one project's memory (its folder and the user's)."""

    def __init__(self, layout: Layout, lock: WriteLock, notes: list[str]) -> None:
        self.layout = layout
        self._lock = lock
        self.notes = notes  # messages for the user (an index rebuilt after damage)
        self._connection: sqlite3.Connection | None = None

    def folder(self, scope: str) -> Path:
        return self.layout.user_dir if scope == "user" else self.layout.project_dir

    @property
    def connection(self) -> sqlite3.Connection:
        if self._connection is None:
            self._connection = self._open()
        return self._connection

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    # -- opening, damage and rebuilding ------------------------------------------------------

    def _open(self) -> sqlite3.Connection:
        path = self.layout.index_path
        try:
            return self._connect_checked(path)
        except sqlite3.DatabaseError as error:
            if _is_busy(error):
                raise
            self.notes.append(
                f"{path}: the memory index was damaged ({error}); rebuilt it from the files"
            )
        with self._lock.held():
            remove_index_files(path)
            return self._connect_checked(path)

    def _connect_checked(self, path: Path) -> sqlite3.Connection:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        connection = sqlite3.connect(path, timeout=30.0, isolation_level=None)
        try:
            connection.execute("PRAGMA busy_timeout = 30000")
            # The index is a cache rebuilt from the files: WAL's NORMAL sync keeps it
            # consistent (a power cut may only lose the last commits) and spares an fsync
            # per commit, which the post-write hook pays on every memory write.
            connection.execute("PRAGMA synchronous = NORMAL")
            version = _schema_version(connection)
            if version != SCHEMA_VERSION:
                with self._lock.held():
                    if _schema_version(connection) != SCHEMA_VERSION:
                        _create(connection)
            return connection
        except BaseException:
            connection.close()
            raise

    def rebuild(self) -> int:
        """Drop every row and index every file again; the number of entries indexed."""
        with self._lock.held():
            connection = self.connection
            connection.execute("BEGIN IMMEDIATE")
            try:
                connection.execute("DELETE FROM files")
                connection.execute("DELETE FROM fts")
                seen = self._scan()
                self._apply(connection, seen, {})
                connection.execute(SET_SIGNATURE, (_signature(seen),))
                connection.execute("DELETE FROM meta WHERE key = ?", (DIRS_KEY,))
                connection.execute("COMMIT")
            except BaseException:
                connection.execute("ROLLBACK")
                raise
            pending.clear(str(self.layout.index_path))  # every file was read again
        return self.count()

    # -- freshness ---------------------------------------------------------------------------

    def refresh(self, only: Iterable[Key] | None = None) -> int:
        """Bring the index up to date with the files; the number of files changed.

        `only` limits the check to those files (after a write, the one written). Without
        it, the rule of `freshness.py`: a full check when a folder's stamp changed, the
        last full check is old or the index was written since; else one slice of files.
        """
        if only is not None:
            return self._refresh_changed(self._stat(only), only, None)
        meta = self._meta()
        stamp = dirs_stamp(self.layout)
        age = time.time() - float(meta.get(CHECKED_KEY) or 0)
        if meta.get(DIRS_KEY) == stamp and 0 <= age < FULL_CHECK_EVERY:
            changed = self._apply_pending()  # refresh_all applies it on the other branch
            return changed + self._refresh_slice(int(meta.get(CURSOR_KEY) or 0))
        return self.refresh_all(stamp)

    def refresh_all(self, stamp: str | None = None) -> int:
        """Stat every file and re-index those whose mtime or size changed (`sync`).

        A full check compares one signature of the scan with the one stored after the last
        full check, and reads the rows only when they differ.
        """
        stamp = dirs_stamp(self.layout) if stamp is None else stamp  # before the scan
        changed = self._apply_pending()
        seen = self._scan()
        signature = _signature(seen)
        if signature != self._stored_signature():
            changed += self._refresh_changed(seen, None, signature)
        now = time.time_ns()
        hints = {CHECKED_KEY: repr(now / 1e9), CURSOR_KEY: "0"}
        self._set_meta({DIRS_KEY: stamp, **hints} if settled(stamp, now) else hints)
        return changed

    def _apply_pending(self) -> int:
        """Index the files the post-write hook left in the journal (`pending.py`), each
        read again whatever its mtime and size say; a journal that cannot be trusted means
        a rebuild. The number of files changed (0, and no lock, when there is no journal)."""
        index_path = str(self.layout.index_path)
        if not pending.waiting(index_path):
            return 0
        with self._lock.held():
            keys = pending.take(index_path)
            if keys is None:
                return self.rebuild()  # clears the journal
            changed = 0
            if keys:
                seen = self._stat(keys)
                changed = self._refresh_changed(seen, keys, None, keep_stamp=True, reread=True)
            pending.clear(index_path)
        return changed

    def _refresh_slice(self, after: int) -> int:
        """Stat the next slice of indexed files (by rowid, wrapping round); re-index changes."""
        changed, cursor = next_slice(self.connection, after, self.folder)
        count = 0
        if changed:
            count = self._refresh_changed(self._stat(changed), changed, None, keep_stamp=True)
        self._set_meta({CURSOR_KEY: str(cursor)})
        return count

    def _meta(self) -> dict[str, str]:
        keys = (DIRS_KEY, CHECKED_KEY, CURSOR_KEY)
        sql = "SELECT key, value FROM meta WHERE key IN (?, ?, ?)"
        return {str(key): str(value) for key, value in self.connection.execute(sql, keys)}

    def _set_meta(self, values: dict[str, str]) -> None:
        """Freshness hints, outside the write lock: a lost update only costs a full check."""
        self.connection.executemany(
            "INSERT OR REPLACE INTO meta VALUES (?, ?)", list(values.items())
        )

    def _refresh_changed(
        self,
        seen: dict[Key, files.Stamp],
        only: Iterable[Key] | None,
        signature: str | None,
        *,
        keep_stamp: bool = False,
        reread: bool = False,
    ) -> int:
        """Re-index the files whose mtime or size changed (with `reread`, every file in
        `only`, as if each had changed)."""
        with self._lock.held():
            connection = self.connection
            connection.execute("BEGIN IMMEDIATE")
            try:
                known = self._known(only)
                if reread:
                    known = {key: (-1, -1, rowid) for key, (_, _, rowid) in known.items()}
                changed = self._apply(connection, seen, known)
                connection.execute(SET_SIGNATURE, (signature or "",))
                if not keep_stamp:  # written: the next reader checks every file
                    connection.execute("DELETE FROM meta WHERE key = ?", (DIRS_KEY,))
                connection.execute("COMMIT")
            except BaseException:
                connection.execute("ROLLBACK")
                raise
        return changed

    def _stored_signature(self) -> str | None:
        found = self.connection.execute("SELECT value FROM meta WHERE key = 'signature'")
        row = found.fetchone()
        return None if row is None else str(row[0])

    def _scan(self) -> dict[Key, files.Stamp]:
        return {
            (scope, name): stamp
            for scope in SCOPES
            for name, stamp in files.scan(self.folder(scope)).items()
        }

    def _stat(self, keys: Iterable[Key]) -> dict[Key, files.Stamp]:
        import stat as stat_module

        found: dict[Key, files.Stamp] = {}
        for scope, name in keys:
            try:
                status = os.stat(self.folder(scope) / name, follow_symlinks=False)
            except FileNotFoundError:
                continue
            if stat_module.S_ISREG(status.st_mode):
                found[(scope, name)] = (status.st_mtime_ns, status.st_size)
        return found

    def _known(self, only: Iterable[Key] | None) -> dict[Key, tuple[int, int, int]]:
        if only is not None:  # a few files: look each up, not all 10,000 rows
            found = ((key, self.connection.execute(KNOWN, key).fetchone()) for key in set(only))
            return {key: tuple(values) for key, values in found if values is not None}
        rows = self.connection.execute("SELECT scope, name, mtime_ns, size, rowid FROM files")
        return {(scope, name): (mtime, size, rowid) for scope, name, mtime, size, rowid in rows}

    def _apply(
        self,
        connection: sqlite3.Connection,
        seen: dict[Key, files.Stamp],
        known: dict[Key, tuple[int, int, int]],
    ) -> int:
        gone = [
            (rowid,)
            for key, (mtime, size, rowid) in known.items()
            if seen.get(key) != (mtime, size)
        ]
        connection.executemany(DELETE_FILE, gone)
        connection.executemany(DELETE_TEXT, gone)
        fresh = [key for key, now in seen.items() if key not in known or now != known[key][:2]]
        self._insert(connection, fresh, seen)
        return len(gone) + sum(key not in known for key in fresh)

    def _insert(
        self, connection: sqlite3.Connection, keys: list[Key], seen: dict[Key, files.Stamp]
    ) -> None:
        found = connection.execute(NEXT_ROWID).fetchone()
        rowid = int(found[0])
        file_rows: list[tuple[object, ...]] = []
        text_rows: list[tuple[object, ...]] = []
        for scope in SCOPES:
            mine = [key for key in keys if key[0] == scope]
            for (_, name), (entry, problem) in zip(
                mine, self._read_all(scope, mine, seen), strict=True
            ):
                rowid += 1
                stamp = (rowid, scope, name, *seen[(scope, name)])
                file_rows.append(stamp + entry_columns(entry, problem))
                if entry is not None:
                    text_rows.append((rowid, *folded_text(entry)))
        connection.executemany(INSERT_FILE, file_rows)
        connection.executemany(INSERT_TEXT, text_rows)

    def _read_all(
        self, scope: str, keys: list[Key], seen: dict[Key, files.Stamp]
    ) -> list[tuple[Entry | None, str]]:
        """Each file read and parsed, through one descriptor of the folder."""
        if not keys:
            return []
        folder = self.folder(scope)
        try:
            with files.open_folder(folder, create=False) as descriptor:
                return [
                    self._read(descriptor, folder, name, seen[(scope, name)]) for _, name in keys
                ]
        except OSError as error:
            return [(None, f"the folder cannot be read: {error}")] * len(keys)

    @staticmethod
    def _read(
        descriptor: int, folder: Path, name: str, seen: files.Stamp
    ) -> tuple[Entry | None, str]:
        day = dt.datetime.fromtimestamp(seen[0] / 1e9, dt.timezone.utc).date()
        try:
            raw = files.read_file(descriptor, name, MAX_FILE, display=str(folder / name))
            if raw is None:
                return None, "the file vanished while it was read"
            return parse(raw, name[:-3], day), ""
        except (EntryError, UnicodeDecodeError, OSError) as error:
            return None, str(error)
        except RecursionError:
            return None, "the frontmatter is nested too deeply"

    # -- queries -----------------------------------------------------------------------------

    def count(self) -> int:
        query = "SELECT count(*) FROM files WHERE problem IS NULL"
        return int(self.connection.execute(query).fetchone()[0])

    def rows(self, category: str | None = None) -> list[Row]:
        sql = f"SELECT {_ROW_COLUMNS} FROM files WHERE problem IS NULL"
        arguments: tuple[str, ...] = ()
        if category:
            sql += " AND category = ?"
            arguments = (category,)
        sql += " ORDER BY updated DESC, id"
        return [_row(values) for values in self.connection.execute(sql, arguments)]

    def listing(self, scope: str, limit: int, wanted: set[str]) -> tuple[list[Row], int, set[str]]:
        """The first `limit` entries of `scope` in MEMORY.md's order, their count, and which
        of the `wanted` ids are entries of `scope`."""
        rows, total, ids = raw_listing(self.connection, scope, limit, wanted)
        return [_row(values) for values in rows], total, ids

    def find(self, entry_id: str) -> Row | None:
        """The entry called `entry_id`; the project's wins over the user's of the same name."""
        sql = f"SELECT {_ROW_COLUMNS} FROM files WHERE id = ? AND problem IS NULL ORDER BY scope = 'user'"
        values = self.connection.execute(sql, (entry_id,)).fetchone()
        return None if values is None else _row(values)

    def unreadable(self) -> list[Unreadable]:
        sql = (
            "SELECT scope, name, problem FROM files WHERE problem IS NOT NULL ORDER BY scope, name"
        )
        return [Unreadable(*values) for values in self.connection.execute(sql)]

    def search(self, query: str, category: str | None, limit: int) -> list[Row]:
        """Ranked full-text matches (BM25: title over description over body), else substrings."""
        from rulesync.memory import query as queries

        return [_row(values) for values in queries.search(self.connection, query, category, limit)]


def _signature(seen: dict[Key, files.Stamp]) -> str:
    import hashlib

    listing = sorted(
        f"{scope}/{name}\0{mtime}\0{size}" for (scope, name), (mtime, size) in seen.items()
    )
    return hashlib.sha256("\n".join(listing).encode("utf-8", "surrogateescape")).hexdigest()


def _row(values: tuple[str, ...]) -> Row:
    scope, name, entry_id, category, title, description, created, updated, verified, agent = values
    return Row(
        scope, name, entry_id, category, title, description,
        dt.date.fromisoformat(created), dt.date.fromisoformat(updated),
        dt.date.fromisoformat(verified), agent,
    )  # fmt: skip


def _schema_version(connection: sqlite3.Connection) -> str | None:
    tables = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    if ("meta",) not in tables:
        return None
    found = connection.execute(SCHEMA_OF).fetchone()
    return None if found is None else str(found[0])


def _create(connection: sqlite3.Connection) -> None:
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("BEGIN IMMEDIATE")
    for table in ("meta", "files", "fts"):
        connection.execute(f"DROP TABLE IF EXISTS {table}")
    for statement in _SCHEMA:
        connection.execute(statement)
    connection.execute("INSERT INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
    connection.execute("COMMIT")


def _is_busy(error: sqlite3.DatabaseError) -> bool:
    text = str(error).lower()
    return "locked" in text or "busy" in text


def remove_index_files(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal", pending.SUFFIX):
        with contextlib.suppress(FileNotFoundError):
            (path.parent / (path.name + suffix)).unlink()
