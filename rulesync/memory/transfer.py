"""`export --json` and `import`: every entry as one JSON document, and back.

An import is checked whole before anything is written: a bad field or a secret in any
entry refuses them all. An entry whose id exists is left alone and reported as skipped.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rulesync.memory.entry import Entry, EntryError, check_id, validate
from rulesync.memory.secrets import find_secret

FORMAT = "rulesync-memory/1"
MAX_IMPORT_BYTES = 64 << 20
_FIELDS = ("id", "category", "title", "description", "body")


def export(entries: Sequence[Entry]) -> dict[str, Any]:
    return {"format": FORMAT, "entries": [entry.as_dict() for entry in entries]}


@dataclass(frozen=True)
class ImportProblem:
    number: int
    message: str


def parse_import(text: str, today: dt.date, agent: str) -> tuple[list[Entry], list[ImportProblem]]:
    """The entries of an export document, or the problems of each bad one (1-based)."""
    try:
        document = json.loads(text)
    except ValueError as error:
        return [], [ImportProblem(0, f"not JSON: {error}")]
    items = document.get("entries") if isinstance(document, dict) else None
    if not isinstance(items, list):
        return [], [ImportProblem(0, 'expected {"entries": [...]} as `export --json` writes it')]
    entries: list[Entry] = []
    problems: list[ImportProblem] = []
    for number, item in enumerate(items, start=1):
        try:
            entries.append(_entry(item, today, agent))
        except EntryError as error:
            problems.append(ImportProblem(number, str(error)))
    return entries, problems


def _entry(item: Any, today: dt.date, agent: str) -> Entry:
    if not isinstance(item, dict):
        raise EntryError("an entry must be a JSON object")
    for key in _FIELDS:
        if not isinstance(item.get(key), str):
            raise EntryError(f"`{key}` is missing or not a string")
    entry = Entry(
        id=check_id(item["id"]),
        category=item["category"],
        title=item["title"],
        description=item["description"],
        body=item["body"],
        created=_day(item.get("created"), today),
        updated=_day(item.get("updated"), today),
        last_verified=_day(item.get("last_verified"), today),
        agent=item["agent"] if isinstance(item.get("agent"), str) else agent,
    )
    secret = find_secret(
        {"title": entry.title, "description": entry.description, "body": entry.body}
    )
    if secret is not None:
        raise EntryError(
            f"`{entry.id}`: the {secret.field} (line {secret.line}) holds what looks like {secret.kind}"
        )
    return validate(entry)


def _day(value: Any, default: dt.date) -> dt.date:
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise EntryError(f"`{value}` is not a date (YYYY-MM-DD)") from None
    return default
