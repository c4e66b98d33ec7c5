"""`rulesync memory search` without click: an agent calls it many times, start-up counts.

Only the plain form is handled here: `memory search [--json] [--limit N] [--category C]
WORDS…` run in the project directory. Anything else (`--help`, an unknown option, `-C`)
returns None and the click command handles it, with the same output.
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False  # not from typing: agents run this often, start-up counts

if TYPE_CHECKING:
    from collections.abc import Sequence

    from rulesync.memory.index import Row

_CATEGORIES = ("user", "project", "feedback", "reference")


def search(args: Sequence[str]) -> int | None:
    """The exit code of a plain search, or None when click should handle the arguments."""
    parsed = _parse(list(args))
    if parsed is None:
        return None
    query, category, limit, as_json = parsed
    start = os.path.realpath(os.getcwd())
    found = _fresh_index_search(start, query, category, limit)
    notes: Sequence[str] = ()
    if found is None:  # the index may be stale: the store brings it up to date first
        from pathlib import Path

        from rulesync.errors import RulesyncError
        from rulesync.memory.query import as_dict
        from rulesync.memory.store import open_store

        try:
            store = open_store(Path(start))
            try:
                found = [as_dict(_raw(row)) for row in store.search(query, category, limit)]
            finally:
                store.close()
        except (RulesyncError, OSError):
            return None  # the click command reports it, with the fix
        notes = store.notes
    try:
        _print(notes, found, as_json)
    except BrokenPipeError:  # piped into `head`: not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
    return 0


def _fresh_index_search(
    start: str, query: str, category: str | None, limit: int
) -> list[dict[str, str]] | None:
    """The matches read straight from the index when `freshness.py` says it is current (the
    folders' stamp matches, the last full check is recent and the next slice of files is
    unchanged); None otherwise, and on any error: then the store does the full work.

    No store, no dataclasses, no lock: sqlite3, the stamp, one slice of stats, the query.
    """
    import time

    from rulesync.memory import freshness, pending
    from rulesync.memory.paths import layout_for
    from rulesync.memory.query import as_dict
    from rulesync.memory.query import search as run_query
    from rulesync.memory.sqlite_api import sqlite3 as sqlite_api

    sqlite3 = sqlite_api()
    try:
        layout = layout_for(start)
        if not os.path.isfile(layout.index_path) or pending.waiting(str(layout.index_path)):
            return None  # no index yet, or files the post-write hook left to index
        connection = sqlite3.connect(layout.index_path, timeout=30.0, isolation_level=None)
    except Exception:  # a config problem, a damaged index: the store path says what
        return None
    try:
        connection.execute("PRAGMA busy_timeout = 30000")
        keys = (freshness.DIRS_KEY, freshness.CHECKED_KEY, freshness.CURSOR_KEY)
        sql = "SELECT key, value FROM meta WHERE key IN (?, ?, ?)"
        meta = {str(key): str(value) for key, value in connection.execute(sql, keys)}
        age = time.time() - float(meta.get(freshness.CHECKED_KEY) or 0)
        if meta.get(freshness.DIRS_KEY) != freshness.dirs_stamp(layout):
            return None
        if not 0 <= age < freshness.FULL_CHECK_EVERY:
            return None
        folders = {"user": layout.user_dir, "project": layout.project_dir}
        after = int(meta.get(freshness.CURSOR_KEY) or 0)
        changed, cursor = freshness.next_slice(connection, after, folders.__getitem__)
        if changed:
            return None  # the store re-indexes them (from the same slice)
        connection.execute(
            "INSERT OR REPLACE INTO meta VALUES (?, ?)", (freshness.CURSOR_KEY, str(cursor))
        )
        return [as_dict(values) for values in run_query(connection, query, category, limit)]
    except (sqlite3.Error, ValueError, OSError):
        return None
    finally:
        connection.close()


def _raw(row: Row) -> tuple[str, ...]:
    return (
        row.scope, row.name, row.id, row.category, row.title, row.description,
        row.created.isoformat(), row.updated.isoformat(), row.last_verified.isoformat(),
        row.agent,
    )  # fmt: skip


def brief(args: Sequence[str], root: str | None = None) -> int | None:
    """`memory brief --for AGENT [--json] [--hook]` without click, or None for click."""
    from rulesync.memory.brief import AGENTS, run

    agent, as_json, hook = None, False, False
    rest = list(args)
    while rest:
        arg = rest.pop(0)
        if arg == "--for" and rest and rest[0] in AGENTS:
            agent = rest.pop(0)
        elif arg == "--json":
            as_json = True
        elif arg == "--hook":
            hook = True
        else:
            return None
    if agent is None or os.environ.get("RULESYNC_NO_QUICK"):
        return None
    start = os.path.realpath(root or os.getcwd())
    try:
        return run(start, agent, as_json=as_json, hook=hook)
    except Exception as error:
        from rulesync.errors import RulesyncError

        if isinstance(error, (RulesyncError, OSError)):
            return None  # the click command reports it, with the fix
        raise


def _print(notes: Sequence[str], rows: Sequence[dict[str, str]], as_json: bool) -> None:
    from rulesync.terminal_text import printable

    for note in notes:
        print("note: " + printable(note), file=sys.stderr)
    if as_json:
        import json

        from rulesync.terminal_text import printable_json

        print(printable_json(json.dumps(list(rows), indent=2, ensure_ascii=False)))
        return
    if not rows:
        print("no entries", file=sys.stderr)
    for row in rows:
        line = f"{row['id']}  [{row['category']}]  {row['updated']}  {row['title']} — {row['description']}"
        print(printable(line))


def _parse(args: list[str]) -> tuple[str, str | None, int, bool] | None:
    category: str | None = None
    limit, as_json, words = 20, False, []
    while args:
        arg = args.pop(0)
        if arg == "--json":
            as_json = True
        elif arg in ("--limit", "-n") and args and args[0].isdigit():
            limit = int(args.pop(0))
            if not 1 <= limit <= 1000:
                return None
        elif arg in ("--category", "-c") and args and args[0] in _CATEGORIES:
            category = args.pop(0)
        elif arg == "--":
            words.extend(args)
            break
        elif arg.startswith("-"):
            return None
        else:
            words.append(arg)
    if not words or os.environ.get("RULESYNC_NO_QUICK"):
        return None
    return " ".join(words), category, limit, as_json
