"""`MEMORY.md`: the index Claude Code loads at start-up, one pointer line per entry.

rulesync owns the block between its two marker lines and rewrites it after every change;
text outside the block (what a user or Claude wrote) is kept as it is, except pointer lines
(`- [Title](file.md) …`) to entries the block already lists, which would only repeat them.
Claude Code reads the first 200 lines and 25,000 bytes of the file, so the block is
bounded: feedback first, then project, reference and user entries, newest first, each line
cut at 150 characters, and a last line saying how many more there are.
"""

from __future__ import annotations

import os

TYPE_CHECKING = False  # not from typing: the post-write hook imports this module
if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Sequence
    from pathlib import Path
    from typing import Protocol

    class Listed(Protocol):
        """What a pointer line needs of an entry (an Entry or an index row)."""

        @property
        def id(self) -> str: ...
        @property
        def category(self) -> str: ...
        @property
        def title(self) -> str: ...
        @property
        def description(self) -> str: ...
        @property
        def updated(self) -> dt.date | str: ...  # a date, or its ISO text (an index row)


NAME = "MEMORY.md"
BEGIN = "<!-- rulesync memory: begin (generated; edit the entries, not these lines) -->"
END = "<!-- rulesync memory: end -->"
MAX_LINES = 150
MAX_LINE = 150
MAX_BYTES = 20_000
MAX_READ = 1 << 20  # the most of an existing MEMORY.md read before rewriting it
_ORDER = {"feedback": 0, "project": 1, "reference": 2, "user": 3}
#: A pointer line; `re` is imported only to read one (the post-write hook often needs none).
_POINTER = r"^\s*[-*]\s*\[[^\]]*\]\(<?([^)>]+)>?\)"


def render(
    existing: str | None,
    entries: Sequence[Listed],
    user_index: Path | str | None,
    *,
    total: int | None = None,
    ids: set[str] | None = None,
) -> str:
    """The new MEMORY.md text, given the current one (or None) and the folder's entries.

    With 10,000 entries the caller may pass only the first `MAX_LINES + 1` in block order,
    with `total` (how many there are) and `ids` (all their ids).
    """
    block = _block(entries, user_index, len(entries) if total is None else total)
    listed = {
        f"{entry_id}.md" for entry_id in (ids if ids is not None else {e.id for e in entries})
    }
    outside = _outside(existing or "", listed)
    before, after = outside
    parts = [part for part in (before.rstrip("\n"), block, after.strip("\n")) if part]
    return "\n\n".join(parts) + "\n"


def _block(entries: Sequence[Listed], user_index: Path | str | None, total: int) -> str:
    ordered = _in_block_order(entries)
    lines = [BEGIN]
    if user_index is not None:
        target = _target(str(user_index))  # never cut: a cut link points nowhere
        lines.append(f"- [User memory, all projects]({target}) — who the user is, read it first")
    size = sum(len(line.encode()) + 1 for line in lines)
    for number, entry in enumerate(ordered):
        line = _cut(
            f"- [{_label(entry.title)}]({entry.id}.md) — {entry.category}: {entry.description}"
        )
        if number >= MAX_LINES or size + len(line.encode()) > MAX_BYTES:
            rest = total - number
            lines.append(f"- … {rest} more: run `rulesync memory list` or `rulesync memory search`")
            break
        lines.append(line)
        size += len(line.encode()) + 1
    lines.append(END)
    return "\n".join(lines)


def _in_block_order(entries: Sequence[Listed]) -> list[Listed]:
    """By category, then newest first, then id: three stable sorts, least significant key
    first, so a date may be ISO text (`YYYY-MM-DD` sorts as the dates do) and the
    post-write hook never imports datetime."""
    by_id = sorted(entries, key=lambda entry: entry.id)
    newest_first = sorted(by_id, key=_iso_day, reverse=True)  # reverse keeps ties in order
    return sorted(newest_first, key=lambda entry: _ORDER[entry.category])


def _iso_day(entry: Listed) -> str:
    day = entry.updated
    return day if isinstance(day, str) else day.isoformat()


def user_pointer(user_dir: str, project_dir: str) -> str:
    """The user's MEMORY.md as the project's links to it: relative when the user folder is
    inside the project's (`memory: {dir: …}`, a committed file), else absolute."""
    if os.path.dirname(user_dir) == project_dir:
        return os.path.join(os.path.basename(user_dir), NAME)
    return os.path.join(user_dir, NAME)


def outside_targets(existing: str | None) -> set[str]:
    """The entry ids that pointer lines outside the block link to (`x.md` → `x`): only these
    need looking up to tell which outside lines repeat the block."""
    before, after = _outside(existing or "", set())
    found = set()
    for line in (before + "\n" + after).split("\n"):
        target = _pointer_target(line) or ""
        if target.endswith(".md") and "/" not in target:
            found.add(target[:-3])
    return found


def _outside(text: str, listed: set[str]) -> tuple[str, str]:
    start, end = text.find(BEGIN), text.find(END)
    if start >= 0 and end > start:
        before, after = text[:start], text[end + len(END) :]
    else:
        before, after = text, ""
    return _drop_pointers(before, listed), _drop_pointers(after, listed)


def _drop_pointers(text: str, listed: set[str]) -> str:
    kept = [line for line in text.split("\n") if not _points_at(line, listed)]
    return "\n".join(kept)


def _points_at(line: str, listed: set[str]) -> bool:
    target = _pointer_target(line)
    return target is not None and target in listed


def _pointer_target(line: str) -> str | None:
    """What a pointer line (`- [Title](x.md) …`) links to, stripped; None for other lines."""
    if "](" not in line:
        return None  # most lines: no pattern needed
    import re

    match = re.match(_POINTER, line)
    return match.group(1).strip() if match else None


def _label(title: str) -> str:
    return title.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")


def _target(path: str) -> str:
    plain = not any(char.isspace() or char in "()<>" for char in path)  # no `[\s()<>]`
    return path if plain else f"<{path}>"


def _cut(line: str) -> str:
    return line if len(line) <= MAX_LINE else line[: MAX_LINE - 1] + "…"
