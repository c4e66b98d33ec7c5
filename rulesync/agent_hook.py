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
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, NamedTuple

from lints.finding import Finding

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
        if edit.old not in text:
            return None
        text, parts = _replace(text, edit, parts)
    return text, _merged(parts)


def _replace(text: str, edit: _Edit, parts: list[Span]) -> tuple[str, list[Span]]:
    position = 0
    while (found := text.find(edit.old, position)) != -1:
        end = found + len(edit.old)
        text = text[:found] + edit.new + text[end:]
        parts = _shift(parts, found, end, len(edit.new) - len(edit.old))
        parts.append((found, found + len(edit.new)))
        position = found + len(edit.new)
        if not edit.every:
            break
    return text, parts


def _merged(parts: list[Span]) -> list[Span]:
    merged: list[Span] = []
    for start, end in sorted(parts):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _shift(parts: list[Span], start: int, end: int, delta: int) -> list[Span]:
    """Move the known new parts as `text[start:end]` is replaced (length change `delta`)."""
    moved = []
    for part_start, part_end in parts:
        if part_end <= start:
            moved.append((part_start, part_end))
        elif part_start >= end:
            moved.append((part_start + delta, part_end + delta))
        else:  # the edit rewrote part of an earlier new string: keep what is left around it
            moved.append((min(part_start, start), max(part_end + delta, start)))
    return moved
