"""The memory store: add, edit and forget entries; every write keeps the index and MEMORY.md true.

Each write runs under the memory's write lock and in this order: validate everything
(fields, secrets, the target file), write the entry atomically, re-index that one file,
rewrite the folder's MEMORY.md atomically. A crash at any point leaves the old entry or the
new one, and an index or MEMORY.md that the next command brings up to date.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from rulesync.errors import Problem, RulesyncError
from rulesync.memory import files, index_md
from rulesync.memory.entry import (
    MAX_FILE,
    Entry,
    EntryError,
    check_id,
    parse,
    render,
    slug,
    validate,
)
from rulesync.memory.index import Index, Row, Unreadable
from rulesync.memory.layout import Layout
from rulesync.memory.lock import WriteLock
from rulesync.record import Frozen

TYPE_CHECKING = False  # not from typing: the post-write hook imports this module
if TYPE_CHECKING:
    from typing import TypeVar

    T = TypeVar("T")

_MEMORY_INDEX_LIMIT = index_md.MAX_READ
_MAX_SUFFIX = 1000


class MemoryStoreError(RulesyncError):
    """A memory command the user can fix: a bad field, a secret, an unknown id, an unsafe file."""


class SyncReport(Frozen):
    __slots__ = ("indexed", "changed", "unreadable", "temps_removed")  # noqa: RUF023 - field order
    indexed: int
    changed: int
    unreadable: list[Unreadable]
    temps_removed: int

    def __init__(
        self, indexed: int, changed: int, unreadable: list[Unreadable], temps_removed: int
    ) -> None:
        self._set(
            indexed=indexed, changed=changed, unreadable=unreadable, temps_removed=temps_removed
        )


def today_utc() -> dt.date:
    return dt.datetime.now(dt.timezone.utc).date()


class Store:
    """One project's memory, with the user's global entries beside it."""

    def __init__(self, layout: Layout, today: Callable[[], dt.date] = today_utc) -> None:
        self.layout = layout
        self.today = today
        self.lock = WriteLock(layout.lock_path)
        self.notes: list[str] = []  # for the user: an index rebuilt after damage
        self.index = Index(layout, self.lock, self.notes)

    def close(self) -> None:
        self.index.close()

    # -- reading -----------------------------------------------------------------------------

    def search(self, query: str, category: str | None = None, limit: int = 20) -> list[Row]:
        return self._indexed(lambda: self.index.search(query, category, limit))

    def rows(self, category: str | None = None) -> list[Row]:
        return self._indexed(lambda: self.index.rows(category))

    def get(self, entry_id: str) -> Entry:
        return self._read(self._row(entry_id))

    def entries(self) -> list[Entry]:
        return [self._read(row) for row in self.rows()]

    # -- writing -----------------------------------------------------------------------------

    def add(
        self,
        *,
        category: str,
        title: str,
        description: str,
        body: str,
        agent: str,
        entry_id: str | None = None,
    ) -> Entry:
        day = self.today()
        draft = Entry(
            entry_id or slug(title), category, title, description, body, day, day, day, agent
        )
        checked = self._checked(draft)
        with self.lock.held():
            self._fresh()
            if entry_id is not None and self._taken(entry_id):
                raise _error(
                    entry_id, "an entry with this id exists", "choose another id, or edit it"
                )
            final = (
                checked if entry_id is not None else checked.replace(id=self._free_id(checked.id))
            )
            self._write(final)
        return final

    def import_entries(self, entries: Sequence[Entry]) -> list[tuple[str, str]]:
        """Write each checked entry whose id is free: `(id, "added" | "skipped")` per entry.

        The index and each MEMORY.md are brought up to date once, after all the files.
        """
        checked = [self._checked(entry) for entry in entries]
        for scope in {_scope_of(entry) for entry in checked}:
            self._check_memory_md(scope)
        statuses = []
        written: list[tuple[str, str]] = []
        with self.lock.held():
            self._fresh()
            for entry in checked:
                if self._taken(entry.id):
                    statuses.append((entry.id, "skipped"))
                    continue
                written.append(self._write_file(entry, _scope_of(entry)))
                statuses.append((entry.id, "added"))
            self._after_write(written)
        return statuses

    def edit(
        self,
        entry_id: str,
        *,
        title: str | None = None,
        description: str | None = None,
        body: str | None = None,
        category: str | None = None,
        agent: str | None = None,
        verified: bool = False,
    ) -> Entry:
        with self.lock.held():
            row = self._row(entry_id)
            old = self._read(row)
            if category and (category == "user") != (row.scope == "user"):
                raise _error(
                    entry_id,
                    f"cannot move an entry between the user's and the project's memory ({old.category} → {category})",
                    "forget it and add it again",
                )
            changes = {
                key: value
                for key, value in (("title", title), ("description", description), ("body", body), ("category", category), ("agent", agent))
                if value is not None
            }  # fmt: skip
            today = self.today()
            new = old.edited(today, **changes)
            if verified:
                new = new.replace(last_verified=today)
            self._write(self._checked(new), scope=row.scope)
        return new

    def forget(self, entry_id: str) -> Row:
        with self.lock.held():
            row = self._row(entry_id)
            folder = self.index.folder(row.scope)
            path = folder / row.name
            with self._guard(path), files.open_folder(folder, create=False) as descriptor:
                files.delete(descriptor, row.name, display=str(folder / row.name))
            self._after_write([(row.scope, row.name)])
        return row

    def sync(self, *, rebuild: bool = False) -> SyncReport:
        """Pick up hand edits (or rebuild the index), rewrite both MEMORY.md files, tidy temps."""
        with self.lock.held():
            changed = self._guarded_index(self.index.rebuild if rebuild else self.index.refresh_all)
            removed = sum(self._remove_temps(scope) for scope in ("user", "project"))
            for scope in ("user", "project"):
                if self.index.folder(scope).is_dir():
                    self._write_memory_md(scope)
            return SyncReport(self.index.count(), changed, self.index.unreadable(), removed)

    def reindex(self, scope: str, name: str) -> None:
        """Index one file an agent wrote with its own tools, then rewrite its MEMORY.md."""
        with self.lock.held():
            self._after_write([(scope, name)])

    def guarded_index(self, action: Callable[[], T]) -> T:
        """`action` on the index; a damaged index is rebuilt from the files once, with a note."""
        return self._guarded_index(action)

    # -- internals ---------------------------------------------------------------------------

    def _checked(self, entry: Entry) -> Entry:
        from rulesync.memory.secrets import find_secret

        try:
            validate(entry)
        except EntryError as error:
            raise _error(entry.id, str(error), "fix the value and run the command again") from None
        secret = find_secret(
            {"title": entry.title, "description": entry.description, "body": entry.body}
        )
        if secret is not None:
            raise _error(
                entry.id,
                f"refused: the {secret.field} (line {secret.line}) holds what looks like {secret.kind}",
                "say where the secret is kept (a vault, an environment variable), never its value",
            )
        return entry

    def _write(self, entry: Entry, scope: str | None = None) -> None:
        scope = scope or _scope_of(entry)
        self._check_memory_md(scope)  # refuse before writing anything, not half-way
        self._after_write([self._write_file(entry, scope)])

    def _check_memory_md(self, scope: str) -> None:
        path = self.index.folder(scope) / index_md.NAME
        with self._guard(path):
            files.check_writable(path)

    def _write_file(self, entry: Entry, scope: str) -> tuple[str, str]:
        folder = self.index.folder(scope)
        name = f"{entry.id}.md"
        with self._guard(folder / name), files.open_folder(folder, create=True) as descriptor:
            files.write_atomic(descriptor, name, render(entry), display=str(folder / name))
        return scope, name

    def _after_write(self, keys: list[tuple[str, str]]) -> None:
        """Re-index the files just written or deleted, then rewrite their MEMORY.md files."""
        if not keys:
            return
        self._guarded_index(lambda: self.index.refresh(only=keys))
        for scope in sorted({scope for scope, _name in keys}):
            self._write_memory_md(scope)

    def _write_memory_md(self, scope: str) -> None:
        folder = self.index.folder(scope)
        pointer = self._user_pointer() if scope == "project" else None
        path = folder / index_md.NAME
        with self._guard(path), files.open_folder(folder, create=True) as descriptor:
            raw = files.read_file(descriptor, index_md.NAME, _MEMORY_INDEX_LIMIT, display=str(path))
            existing = None if raw is None else raw.decode("utf-8", "replace")
            wanted = index_md.outside_targets(existing)
            rows, total, ids = self.index.listing(scope, index_md.MAX_LINES + 1, wanted)
            text = index_md.render(existing, rows, pointer, total=total, ids=ids)
            if text != existing:
                files.write_atomic(descriptor, index_md.NAME, text.encode(), display=str(path))

    def _user_pointer(self) -> Path:
        """The user's MEMORY.md as the project's links to it: relative when the user folder
        is inside the project's (`memory: {dir: …}`, a committed file), else absolute."""
        return Path(index_md.user_pointer(str(self.layout.user_dir), str(self.layout.project_dir)))

    def _remove_temps(self, scope: str) -> int:
        folder = self.index.folder(scope)
        if not folder.is_dir():
            return 0
        with self._guard(folder), files.open_folder(folder, create=False) as descriptor:
            temps = files.leftover_temps(descriptor)
            for name in temps:
                files.delete(descriptor, name, display=str(folder / name))
        return len(temps)

    def _fresh(self) -> None:
        self._guarded_index(self.index.refresh)

    def _indexed(self, query: Callable[[], T]) -> T:
        self._fresh()
        return self._guarded_index(query)

    def _guarded_index(self, action: Callable[[], T]) -> T:
        """Run an index action; a damaged index is rebuilt from the files once, with a note."""
        try:
            return action()
        except sqlite3.DatabaseError as error:
            if "locked" in str(error) or "busy" in str(error):
                raise
            path = self.layout.index_path
            self.notes.append(
                f"{path}: the memory index was damaged ({error}); rebuilt it from the files"
            )
            self.index.close()
            with self.lock.held():
                from rulesync.memory.index import remove_index_files

                remove_index_files(path)
                self.index.rebuild()
            return action()

    def _row(self, entry_id: str) -> Row:
        try:
            check_id(entry_id)
        except EntryError as error:
            raise _error(entry_id, str(error), None) from None
        row = self._indexed(lambda: self.index.find(entry_id))
        if row is None:
            raise _error(
                entry_id, "no memory entry has this id", "run `rulesync memory list` to see the ids"
            )
        return row

    def _read(self, row: Row) -> Entry:
        folder = self.index.folder(row.scope)
        path = folder / row.name
        with self._guard(path):
            with files.open_folder(folder, create=False) as descriptor:
                raw = files.read_file(descriptor, row.name, MAX_FILE, display=str(path))
            if raw is None:
                raise _error(row.id, "the entry's file vanished", "run `rulesync memory sync`")
            try:
                return parse(raw, row.id, row.updated)
            except (EntryError, UnicodeDecodeError) as error:
                raise _error(str(path), str(error), "fix the file by hand") from None

    def _taken(self, entry_id: str) -> bool:
        name = f"{entry_id}.md"
        return any(
            (self.index.folder(scope) / name).exists()
            or (self.index.folder(scope) / name).is_symlink()
            for scope in ("user", "project")
        )

    def _free_id(self, stem: str) -> str:
        if not self._taken(stem):
            return stem
        for number in range(2, _MAX_SUFFIX):
            candidate = f"{stem[:70]}-{number}"
            if not self._taken(candidate):
                return candidate
        raise _error(
            stem, "too many entries share this title", "give the entry a more specific title"
        )

    @staticmethod
    @contextmanager
    def _guard(path: Path) -> Iterator[None]:
        """OS errors on `path` become a message naming the file and the fix, not a traceback."""
        try:
            yield
        except files.UnsafeFile as error:
            raise _error(
                str(path),
                f"not written: {error.strerror}",
                "move the link or file away; rulesync writes only regular files",
            ) from None
        except UnicodeDecodeError:
            raise _error(str(path), "not valid UTF-8", "fix the file by hand") from None
        except OSError as error:
            raise _error(
                str(error.filename or path),
                error.strerror or str(error),
                "check the folder's permissions and free space",
            ) from None


def _scope_of(entry: Entry) -> str:
    return "user" if entry.category == "user" else "project"


def _error(where: str, message: str, fix: str | None) -> MemoryStoreError:
    return MemoryStoreError([Problem(where, message, fix=fix)])


def open_store(start: Path, environ: dict[str, str] | None = None) -> Store:
    """The store of the project holding `start`, laid out as `layout.resolve` decides."""
    import os

    from rulesync.memory.layout import claude_is_target, project_root, resolve

    root = project_root(start)
    env = dict(os.environ if environ is None else environ)
    return Store(resolve(root, env, claude=claude_is_target(root)))
