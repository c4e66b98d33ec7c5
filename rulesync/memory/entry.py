"""One memory entry and its file: Markdown with a small frontmatter block.

The file is the format Claude Code's auto memory reads (`name`, `description` and `type`
at the top level; Claude Code also reads them under `metadata:`), with rulesync's own keys
beside them::

    ---
    name: build-uses-uv
    title: The build uses uv
    description: Run `uv sync` before the tests; pip is not used here.
    type: project
    created: 2026-11-27
    updated: 2026-11-27
    last_verified: 2026-11-27
    agent: claude
    ---
    Body text in Markdown.
"""

from __future__ import annotations

import datetime as dt
import json
import re

from rulesync.record import Frozen

TYPE_CHECKING = False  # not from typing: the post-write hook imports this module
if TYPE_CHECKING:
    from typing import Any

CATEGORIES = ("user", "project", "feedback", "reference")
MAX_TITLE = 120
MAX_DESCRIPTION = 300
MAX_BODY = 64 * 1024
MAX_FILE = MAX_BODY + 8 * 1024
_SLUG_CHARS = re.compile(r"[^a-z0-9]+")
_VALID_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,79}$")
_KEY = re.compile(r"^[a-z_]+$")
_AGENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$")
_PLAIN_SCALAR = re.compile(r"^\w(?:[\w .,()/+-]*[\w.)])?$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_YAML_WORDS = {"true", "false", "yes", "no", "on", "off", "null", "y", "n", "~"}
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u2028\u2029]")
_LINE_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029\u0085]")


class EntryError(ValueError):
    """An entry that cannot be written or read; the message names the field and the fix."""


class Entry(Frozen):
    """A memory entry as stored: `id` is the file name without `.md`."""

    __slots__ = (  # noqa: RUF023 - the field order: repr and replace follow it
        "id", "category", "title", "description", "body", "created", "updated",
        "last_verified", "agent",
    )  # fmt: skip
    id: str
    category: str
    title: str
    description: str
    body: str
    created: dt.date
    updated: dt.date
    last_verified: dt.date
    agent: str

    def __init__(
        self,
        id: str,
        category: str,
        title: str,
        description: str,
        body: str,
        created: dt.date,
        updated: dt.date,
        last_verified: dt.date,
        agent: str,
    ) -> None:
        self._set(
            id=id, category=category, title=title, description=description, body=body,
            created=created, updated=updated, last_verified=last_verified, agent=agent,
        )  # fmt: skip

    def as_dict(self) -> dict[str, str]:
        return {
            "id": self.id,
            "category": self.category,
            "title": self.title,
            "description": self.description,
            "created": self.created.isoformat(),
            "updated": self.updated.isoformat(),
            "last_verified": self.last_verified.isoformat(),
            "agent": self.agent,
            "body": self.body,
        }

    def edited(self, today: dt.date, **changes: Any) -> Entry:
        return self.replace(updated=today, **changes)


def slug(title: str) -> str:
    """A file name stem from a title: `Größe, Café!` → `groesse-cafe` (ASCII, ≤ 60)."""
    import unicodedata

    from rulesync.memory.fold import fold

    plain = unicodedata.normalize("NFKD", fold(title)).encode("ascii", "ignore").decode()
    stem = _SLUG_CHARS.sub("-", plain).strip("-")[:60].strip("-")
    return stem or "entry"


def check_id(entry_id: str) -> str:
    if not _VALID_ID.match(entry_id):
        raise EntryError(
            f"`{entry_id}` is not an entry id (lower-case letters, digits, - and _, "
            "up to 80 characters; `rulesync memory list` shows them)"
        )
    return entry_id


def validate(entry: Entry) -> Entry:
    """The entry unchanged, or EntryError naming the first field that is wrong."""
    check_id(entry.id)
    if entry.category not in CATEGORIES:
        raise EntryError(f"category `{entry.category}` is not one of {', '.join(CATEGORIES)}")
    _one_line("title", entry.title, MAX_TITLE)
    _one_line("description", entry.description, MAX_DESCRIPTION)
    if _CONTROL.search(entry.body):
        raise EntryError("the body holds a control character; remove it")
    if len(entry.body.encode("utf-8")) > MAX_BODY:
        raise EntryError(f"the body is longer than {MAX_BODY} bytes; keep an entry short")
    if not _AGENT.match(entry.agent):
        raise EntryError(f"agent `{entry.agent}` must be a short name such as claude or codex")
    return entry


def _one_line(name: str, value: str, limit: int) -> None:
    if not value.strip():
        raise EntryError(f"the {name} is empty; give a short {name}")
    if _LINE_CONTROL.search(value):
        raise EntryError(f"the {name} must be one line without control characters")
    if len(value) > limit:
        raise EntryError(f"the {name} is longer than {limit} characters; shorten it")


def render(entry: Entry) -> bytes:
    """The file's bytes: frontmatter, a blank line, the body ending in one newline."""
    fields = (
        ("name", entry.id),
        ("title", entry.title),
        ("description", entry.description),
        ("type", entry.category),
        ("created", entry.created.isoformat()),
        ("updated", entry.updated.isoformat()),
        ("last_verified", entry.last_verified.isoformat()),
        ("agent", entry.agent),
    )
    head = "".join(f"{key}: {_scalar(value)}\n" for key, value in fields)
    body = entry.body.strip("\n")
    return f"---\n{head}---\n\n{body}\n".encode()


def _scalar(value: str) -> str:
    plain = _PLAIN_SCALAR.match(value) and value.lower() not in _YAML_WORDS
    if plain and (not value[0].isdigit() or _DATE.match(value)):
        return value
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML flow scalar


def parse(raw: bytes, entry_id: str, fallback_day: dt.date) -> Entry:
    """Read an entry file; missing dates fall back to `fallback_day` (the file's mtime).

    Files that Claude Code wrote itself lack rulesync's keys: the title falls back to the
    `name`, the agent to `unknown`. A file without a category is not an entry.
    """
    text = raw.decode("utf-8")
    data, body = _split(text.removeprefix("\ufeff").replace("\r\n", "\n"))
    meta = data.get("metadata")
    fields = {**data, **meta} if isinstance(meta, dict) else data
    category = _text(fields.get("type", fields.get("category")), "")
    title = _text(fields.get("title"), "") or _text(fields.get("name"), "") or entry_id
    entry = Entry(
        id=entry_id,
        category=category,
        title=title.strip(),
        description=_text(fields.get("description"), "").strip() or title.strip(),
        body=body.strip("\n"),
        created=_day(fields.get("created"), fallback_day),
        updated=_day(fields.get("updated"), fallback_day),
        last_verified=_day(fields.get("last_verified"), fallback_day),
        agent=_text(fields.get("agent"), "unknown"),
    )
    return validate(entry)


def _split(text: str) -> tuple[dict[str, Any], str]:
    if not text.startswith("---\n"):
        raise EntryError("the file has no frontmatter (it must start with a `---` line)")
    end = text.find("\n---\n", 3)
    if end < 0:
        if text.endswith("\n---"):
            end = len(text) - 4
        else:
            raise EntryError("the frontmatter is not closed by a `---` line")
    head, body = text[4 : end + 1], text[end + 5 :]
    return _fast_fields(head) or _yaml_fields(head), body


def _fast_fields(head: str) -> dict[str, Any] | None:
    """`key: value` lines as rulesync writes them, without a YAML parser (10,000 files)."""
    fields: dict[str, Any] = {}
    for line in head.splitlines():
        key, sep, value = line.partition(": ")
        if not sep or not _KEY.match(key):
            return None
        value = value.strip()
        if value.startswith('"'):
            try:
                value = json.loads(value)
            except ValueError:
                return None
        elif value[:1] in ("'", "[", "{", "&", "*", "!", "|", ">", "#") or " #" in value:
            return None
        fields[key] = value
    return fields


def _yaml_fields(head: str) -> dict[str, Any]:
    import yaml

    try:
        data = yaml.load(head, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as error:
        raise EntryError(
            f"the frontmatter is not valid YAML ({error.__class__.__name__})"
        ) from None
    if not isinstance(data, dict):
        raise EntryError("the frontmatter is not a mapping of keys to values")
    return data


def _text(value: Any, default: str) -> str:
    return value if isinstance(value, str) else default


def _day(value: Any, default: dt.date) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return default
    return default
