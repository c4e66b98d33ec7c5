"""`rulesync memory brief`: what an agent should know when a session starts, kept short.

The brief holds the feedback entries (corrections: follow them), the project entries
(where the project stands), newest first, and a pointer line per other category with the
commands that find the rest. It is bounded: at most `MAX_LINES` lines and `MAX_BYTES` bytes
of UTF-8, each entry line cut at `MAX_LINE` characters; what does not fit is counted in the
pointer lines, never cut mid-line.

Freshness without stat-ing every file: the index stores the mtime and inode of both memory
folders as they were at the last full check (`brief_dirs`). A brief whose folders still
match reads the index as it is; otherwise it runs the full check first. A file added,
removed or renamed changes its folder's mtime; an in-place edit does not, and is picked up
by the post-write hook, the next `search` or `sync`.
"""

from __future__ import annotations

import os

from rulesync.memory.freshness import DIRS_KEY, dirs_stamp

TYPE_CHECKING = False  # not from typing: a session-start hook, start-up counts
if TYPE_CHECKING:
    import sqlite3
    from collections.abc import Sequence
    from pathlib import Path
    from typing import Any

    from rulesync.memory.layout import Layout
    from rulesync.memory.paths import LeanLayout
    from rulesync.memory.store import Store

AGENTS = ("claude", "gemini", "codex")
MAX_LINES = 40
MAX_BYTES = 4096
MAX_LINE = 200
MAX_FEEDBACK = 15
MAX_PROJECT = 10


class Brief:
    """The brief's lines and the entries it shows (a plain class: no dataclasses import)."""

    def __init__(self, agent: str, counts: dict[str, int]) -> None:
        self.agent = agent
        self.counts = counts
        self.feedback: list[BriefRow] = []
        self.project: list[BriefRow] = []
        self.lines: list[str] = []

    @property
    def text(self) -> str:
        return "\n".join(self.lines) + "\n"

    def as_dict(self) -> dict[str, Any]:
        return {
            "agent": self.agent,
            "counts": self.counts,
            "feedback": [row.as_dict() for row in self.feedback],
            "project": [row.as_dict() for row in self.project],
            "text": self.text,
        }


def compose(
    agent: str, counts: dict[str, int], feedback: Sequence[BriefRow], project: Sequence[BriefRow]
) -> Brief:
    """The bounded brief for `agent` from the newest feedback and project rows."""
    brief = Brief(agent, counts)
    total = sum(counts.values())
    head = [f"# Shared memory ({total} entries; rulesync memory, for {agent})", ""]
    if not total:
        brief.lines = [*head, *_how_to(agent, empty=True)]
        return brief
    footer = ["", "## The rest", *_rest_lines(counts), *_how_to(agent, empty=False)]
    budget_lines = MAX_LINES - len(head) - len(footer)
    budget_bytes = MAX_BYTES - _size(head) - _size(footer)
    body: list[str] = []
    for heading, rows, kept in (
        ("## Feedback: corrections to follow", feedback, brief.feedback),
        ("## Project: where things stand", project, brief.project),
    ):
        section = ["", heading] if body else [heading]
        for row in rows:
            line = _entry_line(row)
            lines_left = budget_lines - len(body) - len(section) - 1
            bytes_left = budget_bytes - _size(body) - _size(section) - _size([line])
            if lines_left < 0 or bytes_left < 0:
                break
            section.append(line)
            kept.append(row)
        if kept:
            body += section
    brief.lines = [*head, *body, *footer]
    return brief


def _entry_line(row: BriefRow) -> str:
    from rulesync.terminal_text import printable

    line = printable(f"- {row.title} — {row.description} (`{row.id}`)")
    return line if len(line) <= MAX_LINE else line[: MAX_LINE - 1] + "…"


def _rest_lines(counts: dict[str, int]) -> list[str]:
    parts = [
        f"{counts.get(name, 0)} {name}" for name in ("feedback", "project", "reference", "user")
    ]
    return [f"All entries: {', '.join(parts)}. Shown above: the newest feedback and project ones."]


def _how_to(agent: str, *, empty: bool) -> list[str]:
    lines = [
        "Search before you guess: `rulesync memory search WORDS` (umlauts either way),",
        "`rulesync memory show ID`, `rulesync memory list --category reference`.",
        f"Record what others must know: `rulesync memory add -c feedback|project|reference|user -t TITLE -d ONE-LINE --agent {agent}`.",
        "Never store a secret: say where it is kept.",
    ]
    if agent == "claude":
        lines.append("Your MEMORY.md is this same store; files you write there are indexed.")
    return (["No entries yet."] if empty else []) + lines


def _size(lines: Sequence[str]) -> int:
    return sum(len(line.encode("utf-8")) + 1 for line in lines)


# -- reading the index ----------------------------------------------------------------------

_COLUMNS = "scope, id, category, title, description, created, updated, last_verified, agent"
# A file that is not an entry has a NULL category (and a problem): these queries skip it and
# run on the index files_recent(category, scope, updated, id) alone.
_NEWEST = (
    f"SELECT {_COLUMNS} FROM files WHERE category = ? AND scope = 'project'"
    " ORDER BY updated DESC, id LIMIT ?"
)
_COUNTS = "SELECT category, count(*) FROM files WHERE category IS NOT NULL GROUP BY category"
#: The index schema these queries are written for: `index.SCHEMA_VERSION` (a test checks).
INDEX_SCHEMA = "2"


class BriefRow:
    """One entry as the brief shows it (a plain class: the fast path imports no typing)."""

    __slots__ = FIELDS = (
        "scope", "id", "category", "title", "description", "created", "updated",
        "last_verified", "agent",
    )  # fmt: skip

    def __init__(self, *values: str) -> None:
        for name, value in zip(self.FIELDS, values, strict=True):
            setattr(self, name, str(value))

    scope: str
    id: str
    category: str
    title: str
    description: str
    created: str
    updated: str
    last_verified: str
    agent: str

    def as_dict(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in self.FIELDS}


def build(store: Store, agent: str) -> Brief:
    """The brief from the store's index after the full freshness check (the slow path)."""
    return store.guarded_index(lambda: _build(store, agent))


def _build(store: Store, agent: str) -> Brief:
    stamp = dirs_stamp(store.layout)
    store.rows()  # the full mtime+size check (and a rebuild if the index is damaged)
    connection = store.index.connection
    with store.lock.held():
        connection.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (DIRS_KEY, stamp))
    return _query(connection, agent)


def fast(layout: Layout | LeanLayout, agent: str) -> Brief | None:
    """The brief read straight from the index, or None when it may be stale or unreadable.

    No store, no lock, no dataclasses: only sqlite3 and one stat per memory folder.
    """
    from rulesync.memory import pending
    from rulesync.memory.sqlite_api import sqlite3 as sqlite_api

    sqlite3 = sqlite_api()
    if not os.path.isfile(layout.index_path) or pending.waiting(str(layout.index_path)):
        return None  # no index yet, or files the post-write hook left to index
    try:
        connection = sqlite3.connect(layout.index_path, timeout=30.0, isolation_level=None)
    except sqlite3.Error:
        return None
    try:
        connection.execute("PRAGMA busy_timeout = 30000")
        stored = connection.execute("SELECT value FROM meta WHERE key = ?", (DIRS_KEY,)).fetchone()
        if stored is None or stored[0] != dirs_stamp(layout):
            return None
        return _query(connection, agent)
    except sqlite3.Error:
        return None  # damaged, or an older schema: the slow path rebuilds it, with a note
    finally:
        connection.close()


def _query(connection: sqlite3.Connection, agent: str) -> Brief:
    counts = {str(category): int(number) for category, number in connection.execute(_COUNTS)}
    feedback = [BriefRow(*v) for v in connection.execute(_NEWEST, ("feedback", MAX_FEEDBACK))]
    project = [BriefRow(*v) for v in connection.execute(_NEWEST, ("project", MAX_PROJECT))]
    return compose(agent, counts, feedback, project)


def hook_output(brief: Brief) -> str:
    """The brief as the JSON a SessionStart hook prints (Claude Code and Gemini CLI alike):
    `json.dumps(…, ensure_ascii=False)` of one object, with json's own C string encoder
    (the `json` package imports `re`: a third of the brief's start-up)."""
    try:
        from _json import encode_basestring
    except ImportError:  # another Python
        import json

        output = {"hookEventName": "SessionStart", "additionalContext": brief.text}
        return json.dumps({"hookSpecificOutput": output}, ensure_ascii=False)
    return (
        '{"hookSpecificOutput": {"hookEventName": "SessionStart", "additionalContext": '
        + encode_basestring(brief.text)
        + "}}"
    )


def run(root: str | Path, agent: str, *, as_json: bool, hook: bool) -> int:
    """Print the brief; as a hook (`--hook`), a failure is a note on stderr and exit 0."""
    import sys

    from rulesync.terminal_text import printable

    try:
        brief, notes = _brief(root, agent)
    except Exception as error:  # a session-start hook never fails the session
        if not hook:
            raise
        print(f"rulesync memory brief: no brief ({printable(str(error))})", file=sys.stderr)
        return 0
    for note in notes:
        print("note: " + printable(note), file=sys.stderr)
    if hook:
        print(hook_output(brief))
    elif as_json:
        import json

        from rulesync.terminal_text import printable_json

        print(printable_json(json.dumps(brief.as_dict(), indent=2, ensure_ascii=False)))
    else:
        print(printable(brief.text, multiline=True), end="")
    return 0


def _brief(root: str | Path, agent: str) -> tuple[Brief, list[str]]:
    from rulesync.memory.paths import layout_for

    quick = fast(layout_for(os.fspath(root)), agent)
    if quick is not None:
        return quick, []
    from pathlib import Path

    from rulesync.memory.layout import claude_is_target, project_root, resolve
    from rulesync.memory.store import Store

    start = project_root(Path(root))
    layout = resolve(start, os.environ, claude=claude_is_target(start))

    store = Store(layout)
    try:
        return build(store, agent), store.notes
    finally:
        store.close()


def for_dispatch(root: Path, agent: str) -> str | None:
    """The brief to put before a dispatched prompt, or None: an agent without one, or a
    project without memory (no project memory folder, or no entry at all)."""
    if agent not in AGENTS:
        return None
    from rulesync.memory.layout import claude_is_target, project_root, resolve

    start = project_root(root)
    layout = resolve(start, os.environ, claude=claude_is_target(start))
    if not layout.project_dir.is_dir():
        return None
    made, _notes = _brief(root, agent)
    if not sum(made.counts.values()):
        return None
    return made.text
