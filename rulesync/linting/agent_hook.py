"""The agent hook: what an agent is about to write, read from its tool-call JSON.

Claude Code (PreToolUse) and Gemini CLI (BeforeTool) run a command hook with the tool call
as JSON on stdin, and block the call when the command exits 2, passing its stderr to the
model. Both send `tool_name`, `tool_input` and `cwd`. The tools that write files:

- Claude Code 2.1: `Write` {file_path, content}; `Edit` {file_path, old_string, new_string,
  replace_all}; `MultiEdit` {file_path, edits: [{old_string, new_string, replace_all}]}
  (older versions).
- Gemini CLI 0.61: `write_file` {file_path, content}; `replace` {file_path, old_string,
  new_string, allow_multiple}.

For an edit, the file on disk is read and the edit applied, so the new text is linted in its
context (inside a code block or not), and only findings in the new text count: an agent is
not blocked by old mistakes elsewhere in the file.

The payload and the file it names are hostile input. The file is read for context only,
never written, and only when it is a regular file of at most MAX_CONTEXT_BYTES; otherwise
the new text is linted on its own, with a note. A payload that is not a tool call we
understand (not JSON, nested too deeply, too large, the wrong shape) raises
HookPayloadError: the CLI warns and lets the write through (see docs/lint-identity.md).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, NamedTuple

from lints.finding import Finding

MIB = 1 << 20
#: More than any tool call carries: a model writes at most some 128k tokens (~0.5 MB) at once.
MAX_PAYLOAD_BYTES = 4 * MIB
#: The most of an edited file read for context; past it, the new text is linted alone. The
#: Markdown parse a finding needs runs at 0.15-0.7 MB/s on a busy machine, so a file of this
#: size is linted in well under the hook's deadline (a 0.5 MB doc took 3.2-3.9 s, Nov 2026).
MAX_CONTEXT_BYTES = MIB // 2
WRITE_TOOLS = frozenset({"Write", "write_file"})
EDIT_TOOLS = frozenset({"Edit", "MultiEdit", "replace"})

Span = tuple[int, int]
ReadFile = Callable[[str], str | None]


class HookPayloadError(ValueError):
    """The hook's stdin is not a tool call we understand."""


class PlannedWrite(NamedTuple):
    """The text a file will have after the tool call, and which parts of it are new.

    `new_parts` is None when all of `text` is new (a whole-file write, or an edit whose
    context could not be read and is linted on its own).
    """

    path: str
    text: str
    new_parts: tuple[Span, ...] | None = None

    def is_new(self, finding: Finding) -> bool:
        if self.new_parts is None:
            return True
        return any(finding.start < end and start < finding.end for start, end in self.new_parts)


class _Edit(NamedTuple):
    old: str
    new: str
    every: bool


def parse_payload(raw: str) -> dict[str, Any]:
    try:
        payload = json.loads(raw)
    except json.JSONDecodeError as error:
        raise HookPayloadError(f"stdin is not JSON ({error.msg} at line {error.lineno})") from None
    except RecursionError:
        raise HookPayloadError("stdin nests JSON too deeply to be a tool call") from None
    except ValueError as error:  # e.g. an integer of more than 4300 digits
        raise HookPayloadError(f"stdin is not a tool call ({error})") from None
    if not isinstance(payload, dict):
        raise HookPayloadError("stdin is not a JSON object with `tool_name` and `tool_input`")
    return payload


def planned_writes(payload: Mapping[str, Any], read: ReadFile) -> list[PlannedWrite]:
    """What the tool call would write; empty for tools that write no file."""
    tool = payload.get("tool_name")
    tool_input = payload.get("tool_input")
    if tool not in WRITE_TOOLS | EDIT_TOOLS:
        return []
    if not isinstance(tool_input, Mapping):
        raise HookPayloadError(f"`tool_input` of {tool} is not an object")
    path = _path(tool_input, payload.get("cwd"))
    if tool in WRITE_TOOLS:
        return [PlannedWrite(path, _string(tool_input, "content"))]
    edits = _edits(tool_input)
    current = read(path)
    planned = None if current is None else _apply(current, edits)
    if planned is None:  # the tool will fail or create the file; lint the new text alone
        return [PlannedWrite(path, edit.new) for edit in edits if edit.new]
    text, new_parts = planned
    return [PlannedWrite(path, text, tuple(new_parts))]


def new_findings(write: PlannedWrite, findings: Iterable[Finding]) -> list[Finding]:
    return [f for f in findings if write.is_new(f)]


def block_message(findings: Sequence[Finding], names: Sequence[str]) -> str:
    """What the model reads when its write is blocked: each problem and the right form."""
    paths = sorted({f.path for f in findings})
    lines = [f"rulesync lint blocked this write to {', '.join(paths)}. Fix and write again:"]
    for finding in findings:
        where = f"{finding.path}:{finding.line}:{finding.col}"
        lines.append(f"- {where}: {finding.message}")
    if names and any(f.rule == "identity" for f in findings):
        lines.append("Always spell these names exactly so: " + ", ".join(names) + ".")
    return "\n".join(lines)


def _path(tool_input: Mapping[str, Any], cwd: object) -> str:
    path = _string(tool_input, "file_path")
    if not os.path.isabs(path) and isinstance(cwd, str) and cwd:
        path = os.path.join(cwd, path)
    return path


def _string(mapping: Mapping[str, Any], key: str) -> str:
    value = mapping.get(key)
    if not isinstance(value, str):
        raise HookPayloadError(f"`tool_input.{key}` is missing or not a string")
    return value


def _edits(tool_input: Mapping[str, Any]) -> list[_Edit]:
    raw_edits = tool_input.get("edits")
    if raw_edits is None:
        raw_edits = [tool_input]
    if not isinstance(raw_edits, list):
        raise HookPayloadError("`tool_input.edits` is not a list")
    edits = []
    for raw in raw_edits:
        if not isinstance(raw, Mapping):
            raise HookPayloadError("an entry of `tool_input.edits` is not an object")
        every = bool(raw.get("replace_all") or raw.get("allow_multiple"))
        edits.append(_Edit(_string(raw, "old_string"), _string(raw, "new_string"), every))
    return edits


def _apply(text: str, edits: Sequence[_Edit]) -> tuple[str, list[Span]] | None:
    """`text` after the edits, and the spans of the new strings; None if an edit misses."""
    parts: list[Span] = []
    for edit in edits:
        if not edit.old:
            if text:
                return None
            text, parts = edit.new, [(0, len(edit.new))]
            continue
        found = _occurrences(text, edit)
        if not found:
            return None
        text, parts = _replaced(text, edit, found), _moved(parts, found, edit)
    return text, _merged(parts)


def _occurrences(text: str, edit: _Edit) -> list[int]:
    """Where `edit.old` starts in `text`: the first, or all without overlaps, left to right."""
    found: list[int] = []
    position = text.find(edit.old)
    while position != -1:
        found.append(position)
        if not edit.every:
            break
        position = text.find(edit.old, position + len(edit.old))
    return found


def _replaced(text: str, edit: _Edit, found: Sequence[int]) -> str:
    pieces: list[str] = []
    done = 0
    for start in found:
        pieces += (text[done:start], edit.new)
        done = start + len(edit.old)
    pieces.append(text[done:])
    return "".join(pieces)


def _moved(parts: list[Span], found: Sequence[int], edit: _Edit) -> list[Span]:
    """The new parts so far, moved to where they are after the edit, plus the edit's own.

    A part that the edit partly overwrote keeps what is left of it, joined to the new
    string. One pass over the sorted parts and occurrences: linear in their number.
    """
    delta = len(edit.new) - len(edit.old)
    width = len(edit.old)
    moved: list[Span] = []
    index = 0  # occurrences that end at or before the current position
    for part_start, part_end in _merged(parts):
        while index < len(found) and found[index] + width <= part_start:
            index += 1
        start = _new_position(part_start, found, index, width, delta, at_end=False)
        end_index = index
        while end_index < len(found) and found[end_index] + width <= part_end:
            end_index += 1
        end = _new_position(part_end, found, end_index, width, delta, at_end=True)
        moved.append((start, end))
    new_parts = [
        (start + i * delta, start + i * delta + len(edit.new)) for i, start in enumerate(found)
    ]
    return _merged(moved + new_parts)


def _new_position(
    position: int, found: Sequence[int], before: int, width: int, delta: int, *, at_end: bool
) -> int:
    """Where `position` is after the edit; `before` occurrences end at or before it.

    A position inside a replaced occurrence moves to the start (or, for the end of a part,
    the end) of the new string that replaced it.
    """
    shifted = position + before * delta
    inside = before < len(found) and found[before] < position
    if not inside:
        return shifted
    new_start = found[before] + before * delta
    return new_start + (width + delta if at_end else 0)


def _merged(parts: list[Span]) -> list[Span]:
    merged: list[Span] = []
    for start, end in sorted(parts):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


class ContextReader:
    """Reads an edit's target for context only: a regular file of at most `limit` bytes.

    Anything else (a FIFO, a device, a folder, a file too large, unreadable or not UTF-8)
    gives None, so the new text is linted alone, and a note in `notes` says why. A missing
    file gives None without a note: the edit creates it, or fails.
    """

    def __init__(self, limit: int = MAX_CONTEXT_BYTES, shown: Callable[[str], str] = str) -> None:
        self.limit = limit
        self.shown = shown
        self.notes: list[str] = []

    def __call__(self, path: str) -> str | None:
        text, reason = self._read(path)
        if reason is not None:
            self.notes.append(
                f"note: {self.shown(path)} {reason}; the new text was linted without the rest of it"
            )
        return text

    def _read(self, path: str) -> tuple[str | None, str | None]:
        """The text, or None and why not (None too for a missing file)."""
        from rulesync.regular_file import NotARegularFile, TooLarge, read_regular

        try:
            data = read_regular(path, self.limit)
        except (FileNotFoundError, NotADirectoryError):
            return None, None
        except NotARegularFile as error:
            return None, f"is {error.kind}, not a regular file"
        except TooLarge:
            return None, f"is larger than {_size(self.limit)}"
        except OSError as error:
            return None, f"cannot be read ({error.strerror or error})"
        try:
            return data.decode("utf-8").removeprefix("\ufeff"), None
        except UnicodeDecodeError:
            return None, "is not UTF-8 text"


def _size(count: int) -> str:
    """512 KiB, 4 MiB: a limit as people write it."""
    if count >= MIB and count % MIB == 0:
        return f"{count // MIB} MiB"
    return f"{count // 1024} KiB" if count % 1024 == 0 else f"{count} bytes"


def lintable_text(text: str) -> str:
    """`text` with each NUL as U+FFFD, as CommonMark reads it, so the lint sees around it.

    The Markdown parser replaces NUL with U+FFFD itself; done here first, the offsets of the
    text and the parse agree, and a name next to a NUL is still checked.
    """
    return text.replace("\x00", "\ufffd")
