"""`rulesync memory`: the shared memory of every agent, from any shell (Gemini and Codex too).

A thin layer: each command opens the store of the project (`rulesync -C DIR`), calls one
store method and prints the result as text or, with `--json`, as JSON. The store and its
index (sqlite3) are imported only when a command runs.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from rulesync.errors import EXIT_FINDINGS, EXIT_OK

if TYPE_CHECKING:
    from rulesync.memory.entry import Entry
    from rulesync.memory.index import Row
    from rulesync.memory.store import Store

CATEGORIES = ("user", "project", "feedback", "reference")
_JSON = click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
_CATEGORY = click.option(
    "--category", "-c", type=click.Choice(CATEGORIES), default=None, help="Only this category."
)
_STDIN_LIMIT = 1 << 20


@click.group()
def memory() -> None:
    """Shared memory: what is true now, for Claude, Gemini and Codex alike.

    Entries are Markdown files (user entries for every project, the others per project);
    with Claude as a target, the project's entries are Claude Code's own auto-memory folder.
    See docs/memory.md.
    """


@memory.command()
@click.option("--category", "-c", type=click.Choice(CATEGORIES), required=True)
@click.option("--title", "-t", required=True, help="A short title (one line).")
@click.option("--description", "-d", required=True, help="One line: when is this relevant?")
@click.option("--body", "-b", default="", help="Markdown text; `-` reads it from stdin.")
@click.option("--agent", default=None, help="Who writes it (default $RULESYNC_AGENT, else cli).")
@click.option("--id", "entry_id", default=None, help="The file name (default: from the title).")
@_JSON
@click.pass_obj
def add(
    root: Path,
    category: str,
    title: str,
    description: str,
    body: str,
    agent: str | None,
    entry_id: str | None,
    as_json: bool,
) -> int:
    """Add an entry. Text shaped like a secret (keys, tokens, passwords) is refused."""
    store = _open(root)
    entry = store.add(
        category=category,
        title=title,
        description=description,
        body=_body(body),
        agent=_agent(agent),
        entry_id=entry_id,
    )
    return _finish(store, as_json, entry.as_dict(), lambda: _echo(f"added {entry.id}"))


@memory.command()
@click.argument("query", nargs=-1, required=True)
@_CATEGORY
@click.option("--limit", "-n", type=click.IntRange(1, 1000), default=20, show_default=True)
@_JSON
@click.pass_obj
def search(
    root: Path, query: Sequence[str], category: str | None, limit: int, as_json: bool
) -> int:
    """Find entries: ranked full-text search (Größe finds Groesse), else substrings."""
    store = _open(root)
    rows = store.search(" ".join(query), category, limit)
    return _finish(store, as_json, [row.as_dict() for row in rows], lambda: _table(rows))


@memory.command(name="list")
@_CATEGORY
@_JSON
@click.pass_obj
def list_(root: Path, category: str | None, as_json: bool) -> int:
    """List entries, the most recently updated first."""
    store = _open(root)
    rows = store.rows(category)
    return _finish(store, as_json, [row.as_dict() for row in rows], lambda: _table(rows))


@memory.command()
@click.argument("entry_id", metavar="ID")
@_JSON
@click.pass_obj
def show(root: Path, entry_id: str, as_json: bool) -> int:
    """Print one entry with its body."""
    store = _open(root)
    entry = store.get(entry_id)
    return _finish(store, as_json, entry.as_dict(), lambda: _show(entry))


@memory.command()
@click.argument("entry_id", metavar="ID")
@click.option("--title", "-t", default=None)
@click.option("--description", "-d", default=None)
@click.option("--body", "-b", default=None, help="New Markdown text; `-` reads it from stdin.")
@click.option("--category", "-c", type=click.Choice(CATEGORIES), default=None)
@click.option("--agent", default=None, help="Who edits it (default $RULESYNC_AGENT, else cli).")
@click.option("--verified", is_flag=True, help="Mark it as checked today (last_verified).")
@_JSON
@click.pass_obj
def edit(
    root: Path,
    entry_id: str,
    title: str | None,
    description: str | None,
    body: str | None,
    category: str | None,
    agent: str | None,
    verified: bool,
    as_json: bool,
) -> int:
    """Change an entry's fields (or only confirm it with --verified)."""
    store = _open(root)
    entry = store.edit(
        entry_id,
        title=title,
        description=description,
        body=None if body is None else _body(body),
        category=category,
        agent=_agent(agent),
        verified=verified,
    )
    return _finish(store, as_json, entry.as_dict(), lambda: _echo(f"updated {entry.id}"))


@memory.command()
@click.argument("entry_id", metavar="ID")
@_JSON
@click.pass_obj
def forget(root: Path, entry_id: str, as_json: bool) -> int:
    """Delete an entry's file and its line in MEMORY.md."""
    store = _open(root)
    row = store.forget(entry_id)
    return _finish(store, as_json, row.as_dict(), lambda: _echo(f"forgot {row.id}"))


@memory.command()
@click.option("--rebuild", is_flag=True, help="Re-index every file, not only changed ones.")
@_JSON
@click.pass_obj
def sync(root: Path, rebuild: bool, as_json: bool) -> int:
    """Index hand edits, rewrite MEMORY.md, and list files that are not valid entries."""
    store = _open(root)
    report = store.sync(rebuild=rebuild)
    data = {
        "indexed": report.indexed,
        "changed": report.changed,
        "temps_removed": report.temps_removed,
        "unreadable": [item.as_dict() for item in report.unreadable],
    }

    def text() -> None:
        _echo(f"{report.indexed} entries indexed, {report.changed} files changed")
        for item in report.unreadable:
            _echo(f"not an entry: {item.scope}/{item.name}: {item.problem}", err=True)

    _finish(store, as_json, data, text)
    return EXIT_FINDINGS if report.unreadable else EXIT_OK


@memory.command()
@click.option("--days", type=click.IntRange(min=0), default=90, show_default=True)
@_JSON
@click.pass_obj
def review(root: Path, days: int, as_json: bool) -> int:
    """List stale entries: unverified for DAYS, naming missing paths, near-duplicates,
    and entries a newer one on the same subject contradicts.

    Exits 1 when there is a finding.
    """
    from rulesync.memory.review import review as find_stale

    store = _open(root)
    findings = find_stale(store.entries(), store.layout.root, store.today(), days)

    def text() -> None:
        for finding in findings:
            _echo(f"{finding.id}: {finding.kind}: {finding.message}")
        _echo(f"{len(findings)} findings", err=True)

    _finish(store, as_json, [finding.as_dict() for finding in findings], text)
    return EXIT_FINDINGS if findings else EXIT_OK


@memory.command(name="export")
@click.option("--json", "as_json", is_flag=True, default=True, help="JSON (the only format).")
@click.pass_obj
def export_(root: Path, as_json: bool) -> int:
    """Print every entry, with its body, as one JSON document (for `import`)."""
    from rulesync.memory.transfer import export

    store = _open(root)
    return _finish(store, True, export(store.entries()), lambda: None)


@memory.command(name="import")
@click.argument("source", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path))
@click.option("--agent", default=None, help="For entries without one (default $RULESYNC_AGENT).")
@_JSON
@click.pass_obj
def import_(root: Path, source: Path, agent: str | None, as_json: bool) -> int:
    """Add the entries of an `export --json` document; existing ids are skipped.

    Every entry is checked first: one bad entry (or a secret) and nothing is written.
    """
    from rulesync.errors import Problem
    from rulesync.memory.store import MemoryStoreError
    from rulesync.memory.transfer import MAX_IMPORT_BYTES, parse_import

    store = _open(root)
    document = _read_source(source, MAX_IMPORT_BYTES)
    entries, problems = parse_import(document, store.today(), _agent(agent))
    if problems:
        raise MemoryStoreError(
            [
                Problem(str(source), f"entry {p.number}: {p.message}" if p.number else p.message)
                for p in problems
            ]
        )
    statuses = store.import_entries(entries)
    data = [{"id": entry_id, "status": status} for entry_id, status in statuses]

    def text() -> None:
        for entry_id, status in statuses:
            _echo(f"{status}: {entry_id}")

    return _finish(store, as_json, data, text)


@memory.command()
@click.option("--for", "agent", type=click.Choice(("claude", "gemini", "codex")), required=True)
@click.option("--hook", is_flag=True, help="Print the SessionStart hook JSON; never fail.")
@_JSON
@click.pass_obj
def brief(root: Path, agent: str, hook: bool, as_json: bool) -> int:
    """A short start-up brief: feedback, project status, how to find the rest (bounded)."""
    from rulesync.memory.brief import run

    return run(root, agent, as_json=as_json, hook=hook)


@memory.command()
@click.pass_obj
def hook(root: Path) -> int:
    """Post-write hook: index a memory file an agent wrote (Claude PostToolUse, Gemini AfterTool)."""
    from rulesync.memory.hook import main

    return main(sys.stdin.buffer, root)


@memory.command()
@click.option(
    "--agent", default=None, help="Who writes entries (default $RULESYNC_AGENT, else mcp)."
)
@click.pass_obj
def serve(root: Path, agent: str | None) -> int:
    """Serve the memory over MCP on stdin/stdout (tools: search, get, add, update, forget)."""
    try:
        from rulesync.memory.mcp_server import serve as run_server
    except ImportError as error:
        from rulesync.errors import Problem
        from rulesync.memory.store import MemoryStoreError

        raise MemoryStoreError(
            [
                Problem(
                    "rulesync memory serve",
                    f"the `mcp` package is missing ({error})",
                    fix="pip install 'mcp>=2,<3'",
                )
            ]
        ) from None
    return run_server(root, agent)


# -- helpers -----------------------------------------------------------------------------------


def _open(root: Path) -> Store:
    from rulesync.memory.store import open_store

    return open_store(root)


def _finish(store: Store, as_json: bool, data: Any, text: Callable[[], object]) -> int:
    from rulesync.terminal_text import printable

    for note in store.notes:
        _echo("note: " + printable(note), err=True)
    store.close()
    if as_json:
        from rulesync.terminal_text import printable_json

        click.echo(printable_json(json.dumps(data, indent=2, ensure_ascii=False)))
    else:
        text()
    return EXIT_OK


def _echo(message: str, *, err: bool = False) -> None:
    from rulesync.terminal_text import printable

    click.echo(printable(message), err=err)


def _table(rows: Sequence[Row]) -> None:
    if not rows:
        _echo("no entries", err=True)
    for row in rows:
        _echo(
            f"{row.id}  [{row.category}]  {row.updated.isoformat()}  {row.title} — {row.description}"
        )


def _show(entry: Entry) -> None:
    from rulesync.terminal_text import printable

    data = entry.as_dict()
    for key in (
        "id",
        "category",
        "title",
        "description",
        "created",
        "updated",
        "last_verified",
        "agent",
    ):
        _echo(f"{key}: {data[key]}")
    click.echo("")
    click.echo(printable(entry.body, multiline=True))


def _agent(agent: str | None) -> str:
    return agent or os.environ.get("RULESYNC_AGENT") or "cli"


def _body(body: str) -> str:
    if body != "-":
        return body
    data = sys.stdin.buffer.read(_STDIN_LIMIT + 1)
    if len(data) > _STDIN_LIMIT:
        raise click.UsageError(f"the body on stdin is longer than {_STDIN_LIMIT} bytes")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise click.UsageError("the body on stdin is not UTF-8 text") from None


def _read_source(source: Path, limit: int) -> str:
    from rulesync.errors import Problem
    from rulesync.memory.store import MemoryStoreError
    from rulesync.regular_file import read_regular

    try:
        raw = (
            sys.stdin.buffer.read(limit + 1) if str(source) == "-" else read_regular(source, limit)
        )
        if len(raw) > limit:
            raise OSError(f"it is larger than {limit} bytes")
        return raw.decode("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        message = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        raise MemoryStoreError(
            [Problem(str(source), message, fix="pass a file `export --json` wrote")]
        ) from None
