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

from rulesync.record import Frozen

TYPE_CHECKING = False  # not from typing: the post-write hook imports this module
if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Mapping
    from typing import Any, TypeVar

    _Valid = TypeVar("_Valid", "Entry", "EntryText")

CATEGORIES = ("user", "project", "feedback", "reference")
MAX_TITLE = 120
MAX_DESCRIPTION = 300
MAX_BODY = 64 * 1024
MAX_FILE = MAX_BODY + 8 * 1024
# No compiled patterns at import: the post-write hook parses one entry, and `re` alone costs
# it about 10 ms of start-up. The checks below are sets of characters (exact, `\Z` anchored).
_SLUG_CHARS = r"[^a-z0-9]+"
_PLAIN_SCALAR = r"^\w(?:[\w .,()/+-]*[\w.)])?\Z"
_DATE = r"^\d{4}-\d{2}-\d{2}\Z"
_YAML_WORDS = {"true", "false", "yes", "no", "on", "off", "null", "y", "n", "~"}
_LOWER = "abcdefghijklmnopqrstuvwxyz"
_DIGITS = "0123456789"
# `text.strip(CHARS)` is empty exactly when every character of `text` is one of CHARS.
_ID_FIRST = _LOWER + _DIGITS
_ID_CHARS = _LOWER + _DIGITS + "_-"
_KEY_CHARS = _LOWER + "_"
_AGENT_FIRST = _LOWER + _LOWER.upper() + _DIGITS
_AGENT_CHARS = _AGENT_FIRST + "_.-"
# Every one of these is a character `str.isprintable()` refuses (categories Cc, Zl, Zp), so
# printable text holds none of them: one C call for almost every text (a rebuild checks
# 10,000 entries). \t and \n are allowed in a body.
_CONTROL = tuple(map(chr, [*range(0x09), *range(0x0B, 0x20), 0x7F, 0x2028, 0x2029]))
_LINE_CONTROL = tuple(map(chr, [*range(0x20), 0x7F, 0x2028, 0x2029, 0x85]))


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
    import re
    import unicodedata

    from rulesync.memory.fold import fold

    plain = unicodedata.normalize("NFKD", fold(title)).encode("ascii", "ignore").decode()
    stem = re.sub(_SLUG_CHARS, "-", plain).strip("-")[:60].strip("-")
    return stem or "entry"


def check_id(entry_id: str) -> str:
    if not _is_id(entry_id):
        raise EntryError(
            f"`{entry_id}` is not an entry id (lower-case letters, digits, - and _, "
            "up to 80 characters; `rulesync memory list` shows them)"
        )
    return entry_id


def validate(entry: _Valid) -> _Valid:
    """The entry unchanged, or EntryError naming the first field that is wrong."""
    check_id(entry.id)
    if entry.category not in CATEGORIES:
        raise EntryError(f"category `{entry.category}` is not one of {', '.join(CATEGORIES)}")
    _one_line("title", entry.title, MAX_TITLE)
    _one_line("description", entry.description, MAX_DESCRIPTION)
    if _has_control(entry.body):
        raise EntryError("the body holds a control character; remove it")
    if len(entry.body.encode("utf-8")) > MAX_BODY:
        raise EntryError(f"the body is longer than {MAX_BODY} bytes; keep an entry short")
    if not _is_agent(entry.agent):
        raise EntryError(f"agent `{entry.agent}` must be a short name such as claude or codex")
    return entry


def _one_line(name: str, value: str, limit: int) -> None:
    if not value.strip():
        raise EntryError(f"the {name} is empty; give a short {name}")
    if _has_line_control(value):
        raise EntryError(f"the {name} must be one line without control characters")
    if len(value) > limit:
        raise EntryError(f"the {name} is longer than {limit} characters; shorten it")


def _is_id(text: str) -> bool:
    """`^[a-z0-9][a-z0-9_-]{0,79}\\Z`: a name rulesync writes files under."""
    return 0 < len(text) <= 80 and text[0] in _ID_FIRST and not text.strip(_ID_CHARS)


def _is_agent(text: str) -> bool:
    """`^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}\\Z`."""
    return 0 < len(text) <= 40 and text[0] in _AGENT_FIRST and not text.strip(_AGENT_CHARS)


def _has_control(body: str) -> bool:
    """`[\\x00-\\x08\\x0b-\\x1f\\x7f\\u2028\\u2029]` in the body (tabs and newlines are fine)."""
    printable = body.replace("\n", " ").replace("\t", " ").isprintable()
    return not printable and _holds(body, _CONTROL)


def _has_line_control(value: str) -> bool:
    """`[\\x00-\\x1f\\x7f\\u2028\\u2029\\u0085]` in a one-line field."""
    return not value.isprintable() and _holds(value, _LINE_CONTROL)


def _holds(text: str, chars: tuple[str, ...]) -> bool:
    """Whether any of `chars` is in `text` (each test is one fast scan)."""
    return any(char in text for char in chars)


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
    import json
    import re

    plain = re.match(_PLAIN_SCALAR, value) and value.lower() not in _YAML_WORDS
    if plain and (not value[0].isdigit() or re.match(_DATE, value)):
        return value
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML flow scalar


def parse(raw: bytes, entry_id: str, fallback_day: dt.date) -> Entry:
    """Read an entry file; missing dates fall back to `fallback_day` (the file's mtime).

    Files that Claude Code wrote itself lack rulesync's keys: the title falls back to the
    `name`, the agent to `unknown`. A file without a category is not an entry.
    """
    text = raw.decode("utf-8")
    head, body = _parts(text.removeprefix("\ufeff").replace("\r\n", "\n"))
    fields = _merged(_fast_fields(head) or _yaml_fields(head))
    category, title, description, agent = _strings(fields, entry_id)
    entry = Entry(
        id=entry_id,
        category=category,
        title=title,
        description=description,
        body=body.strip("\n"),
        created=_day(fields.get("created"), fallback_day),
        updated=_day(fields.get("updated"), fallback_day),
        last_verified=_day(fields.get("last_verified"), fallback_day),
        agent=agent,
    )
    return validate(entry)


class EntryText:
    """An entry as the index stores it: its dates as ISO text (`YYYY-MM-DD`)."""

    __slots__ = (  # noqa: RUF023 - Entry's field order
        "id", "category", "title", "description", "body", "created", "updated",
        "last_verified", "agent",
    )  # fmt: skip

    def __init__(self, entry_id: str, fields: Mapping[str, Any], body: str) -> None:
        self.id = entry_id
        self.category, self.title, self.description, self.agent = _strings(fields, entry_id)
        self.body = body.strip("\n")
        self.created: str | None = _iso_day(fields.get("created"))
        self.updated: str | None = _iso_day(fields.get("updated"))
        self.last_verified: str | None = _iso_day(fields.get("last_verified"))


def parse_text(raw: bytes, entry_id: str) -> EntryText | None:
    """`parse` for the post-write hook, without datetime, json, re or yaml: what `parse`
    gives, with its dates as ISO text, for a file in rulesync's flat frontmatter with every
    date written as `YYYY-MM-DD`. None when only `parse` can tell: another frontmatter, a
    date missing or written otherwise, or a file that is not a valid entry."""
    try:
        text = raw.decode("utf-8")
        head, body = _parts(text.removeprefix("\ufeff").replace("\r\n", "\n"))
    except (UnicodeDecodeError, EntryError):
        return None
    fields = _fast_fields(head)
    if not fields:
        return None
    entry = EntryText(entry_id, _merged(fields), body)
    if None in (entry.created, entry.updated, entry.last_verified):
        return None
    try:
        return validate(entry)
    except EntryError:
        return None


def _parts(text: str) -> tuple[str, str]:
    """The frontmatter's lines (each ending in a newline) and the text after it."""
    if not text.startswith("---\n"):
        raise EntryError("the file has no frontmatter (it must start with a `---` line)")
    end = text.find("\n---\n", 3)
    if end < 0:
        if text.endswith("\n---"):
            end = len(text) - 4
        else:
            raise EntryError("the frontmatter is not closed by a `---` line")
    return text[4 : end + 1], text[end + 5 :]


def _merged(data: dict[str, Any]) -> dict[str, Any]:
    """The top-level keys, with those under `metadata:` (Claude Code reads both) winning."""
    meta = data.get("metadata")
    return {**data, **meta} if isinstance(meta, dict) else data


def _strings(fields: Mapping[str, Any], entry_id: str) -> tuple[str, str, str, str]:
    """Category, title, description and agent, with parse's fallbacks."""
    category = _text(fields.get("type", fields.get("category")), "")
    title = _text(fields.get("title"), "") or _text(fields.get("name"), "") or entry_id
    description = _text(fields.get("description"), "").strip() or title.strip()
    return category, title.strip(), description, _text(fields.get("agent"), "unknown")


def _fast_fields(head: str) -> dict[str, Any] | None:
    """`key: value` lines as rulesync writes them, without a YAML parser (10,000 files)."""
    fields: dict[str, Any] = {}
    for line in head.splitlines():
        key, sep, value = line.partition(": ")
        if not sep or not key or key.strip(_KEY_CHARS):
            return None
        value = value.strip()
        if value.startswith('"'):
            quoted = _json_string(value)
            if quoted is None:
                return None
            value = quoted
        elif value[:1] in ("'", "[", "{", "&", "*", "!", "|", ">", "#") or " #" in value:
            return None
        fields[key] = value
    return fields


def _json_string(value: str) -> str | None:
    """`json.loads(value)` for a stripped value that starts with `"`, when it gives a string;
    None when json.loads fails. The C scanner's own string reader: `json` imports `re`."""
    try:
        from _json import scanstring

        text, end = scanstring(value, 1, True)
    except Exception:  # no _json, or an error: json.loads decides
        # (the C reader raises json's error only once json.decoder is imported)
        return _json_loads_string(value)
    return text if end == len(value) else None  # more after the string: "Extra data"


def _json_loads_string(value: str) -> str | None:
    import json

    try:
        loaded = json.loads(value)
    except ValueError:
        return None
    return loaded if isinstance(loaded, str) else None


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


def _iso_day(value: object) -> str | None:
    """`_day(value, …).isoformat()` when `value[:10]` is a date written `YYYY-MM-DD` in
    ASCII digits; None for anything else (`parse` decides, with datetime)."""
    if not isinstance(value, str):
        return None
    day = value[:10]
    if len(day) != 10 or not day.isascii() or day[4] != "-" or day[7] != "-":
        return None
    year, month, date = day[:4], day[5:7], day[8:]
    if not (year.isdigit() and month.isdigit() and date.isdigit()):
        return None
    if int(year) < 1 or not 1 <= int(month) <= 12:
        return None
    return day if 1 <= int(date) <= _days_in(int(year), int(month)) else None


def _days_in(year: int, month: int) -> int:
    if month == 2:
        leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
        return 29 if leap else 28
    return 30 if month in (4, 6, 9, 11) else 31


def _day(value: Any, default: dt.date) -> dt.date:
    import datetime as dt

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
