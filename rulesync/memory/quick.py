"""`rulesync memory search` without click: an agent calls it many times, start-up counts.

Only the plain form is handled here: `memory search [--json] [--limit N] [--category C]
WORDS…` run in the project directory. Anything else (`--help`, an unknown option, `-C`)
returns None and the click command handles it, with the same output.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

TYPE_CHECKING = False  # not from typing: agents run this often, start-up counts

if TYPE_CHECKING:
    from pathlib import Path

    from rulesync.memory.index import Row

_CATEGORIES = ("user", "project", "feedback", "reference")


def search(args: Sequence[str]) -> int | None:
    """The exit code of a plain search, or None when click should handle the arguments."""
    parsed = _parse(list(args))
    if parsed is None:
        return None
    query, category, limit, as_json = parsed
    from pathlib import Path

    from rulesync.errors import RulesyncError
    from rulesync.memory.store import open_store

    try:
        store = open_store(Path.cwd().resolve())
        rows = store.search(query, category, limit)
    except (RulesyncError, OSError):
        return None  # the click command reports it, with the fix
    try:
        _print(store.notes, rows, as_json)
    except BrokenPipeError:  # piped into `head`: not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
    finally:
        store.close()
    return 0


def brief(args: Sequence[str], root: Path | None = None) -> int | None:
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
    from pathlib import Path

    start = (root or Path.cwd()).resolve()
    try:
        return run(start, agent, as_json=as_json, hook=hook)
    except Exception as error:
        from rulesync.errors import RulesyncError

        if isinstance(error, (RulesyncError, OSError)):
            return None  # the click command reports it, with the fix
        raise


def _print(notes: Sequence[str], rows: Sequence[Row], as_json: bool) -> None:
    from rulesync.terminal_text import printable

    for note in notes:
        print("note: " + printable(note), file=sys.stderr)
    if as_json:
        import json

        from rulesync.terminal_text import printable_json

        print(
            printable_json(
                json.dumps([row.as_dict() for row in rows], indent=2, ensure_ascii=False)
            )
        )
        return
    if not rows:
        print("no entries", file=sys.stderr)
    for row in rows:
        line = f"{row.id}  [{row.category}]  {row.updated.isoformat()}  {row.title} — {row.description}"
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
