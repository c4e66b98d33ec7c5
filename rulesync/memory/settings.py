"""The memory's hooks in the agents' settings files, merged without touching anything else.

With `memory: {hooks: true}` in rulesync.yaml, `rulesync mirror` adds two hooks per agent:

- Claude Code (`.claude/settings.json`): `SessionStart` runs `memory brief --for claude
  --hook`, whose JSON `hookSpecificOutput.additionalContext` Claude adds to the session
  (2.1.197 accepts it for SessionStart); `PostToolUse` on Write|Edit|MultiEdit runs
  `memory hook`, which indexes a memory file Claude wrote.
- Gemini CLI (`.gemini/settings.json`, 0.61.0 docs/hooks/reference.md): `SessionStart`
  (its `additionalContext` becomes the first turn) and `AfterTool` on write_file|replace.

An earlier version of one of our hooks (found by its command) is brought up to date in
place; every other hook and key is left exactly as it was.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from rulesync.errors import ConfigError, Problem

CLAUDE_SETTINGS = ".claude/settings.json"
GEMINI_SETTINGS = ".gemini/settings.json"

CLAUDE_BRIEF = 'rulesync-hook -C "$CLAUDE_PROJECT_DIR" memory brief --for claude --hook'
CLAUDE_INDEX = 'rulesync-hook -C "$CLAUDE_PROJECT_DIR" memory hook'
CLAUDE_WRITE_TOOLS = "Write|Edit|MultiEdit"
# Gemini replaces $GEMINI_PROJECT_DIR itself, shell-escaped: it must not be quoted again.
GEMINI_BRIEF = "rulesync-hook -C $GEMINI_PROJECT_DIR memory brief --for gemini --hook"
GEMINI_INDEX = "rulesync-hook -C $GEMINI_PROJECT_DIR memory hook"
GEMINI_WRITE_TOOLS = "write_file|replace"

_BRIEF_SIGNATURE = "memory brief"
_INDEX_SIGNATURE = "memory hook"


def merge_claude_memory(settings: Mapping[str, Any]) -> dict[str, Any]:
    """`settings` with the SessionStart brief and the PostToolUse indexer, each once."""
    merged = _copy(settings, CLAUDE_SETTINGS)
    brief = {"type": "command", "command": CLAUDE_BRIEF}
    index = {"type": "command", "command": CLAUDE_INDEX}
    _add(merged, CLAUDE_SETTINGS, "SessionStart", None, brief, _BRIEF_SIGNATURE)
    _add(merged, CLAUDE_SETTINGS, "PostToolUse", CLAUDE_WRITE_TOOLS, index, _INDEX_SIGNATURE)
    return merged


def merge_gemini_memory(settings: Mapping[str, Any]) -> dict[str, Any]:
    """`settings` with the SessionStart brief and the AfterTool indexer, each once."""
    merged = _copy(settings, GEMINI_SETTINGS)
    brief = {
        "name": "rulesync-memory-brief",
        "type": "command",
        "command": GEMINI_BRIEF,
        "description": "rulesync shared memory: a short brief at the start of a session",
    }
    index = {
        "name": "rulesync-memory-index",
        "type": "command",
        "command": GEMINI_INDEX,
        "description": "rulesync shared memory: index a memory file the agent wrote",
    }
    _add(merged, GEMINI_SETTINGS, "SessionStart", None, brief, _BRIEF_SIGNATURE)
    _add(merged, GEMINI_SETTINGS, "AfterTool", GEMINI_WRITE_TOOLS, index, _INDEX_SIGNATURE)
    return merged


def is_any_memory_hook(hook: object) -> bool:
    """The session-start brief or the post-write index hook, as mirror writes them."""
    return any(is_our_memory_hook(hook, what) for what in (_BRIEF_SIGNATURE, _INDEX_SIGNATURE))


def is_our_memory_hook(hook: object, signature: str) -> bool:
    if not isinstance(hook, Mapping):
        return False
    command = hook.get("command")
    return isinstance(command, str) and "rulesync" in command and signature in command


def _copy(settings: Mapping[str, Any], path: str) -> dict[str, Any]:
    if not isinstance(settings, Mapping):
        raise _error(path, "must be a JSON object")
    return copy.deepcopy(dict(settings))


def _add(
    settings: dict[str, Any],
    path: str,
    event: str,
    matcher: str | None,
    hook: dict[str, Any],
    signature: str,
) -> None:
    hooks = settings.setdefault("hooks", {})
    if not isinstance(hooks, dict):
        raise _error(path, "`hooks` must be an object")
    groups = hooks.setdefault(event, [])
    if not isinstance(groups, list):
        raise _error(path, f"`hooks.{event}` must be a list")
    for group in groups:
        entries = group.get("hooks") if isinstance(group, dict) else None
        if not isinstance(entries, list):
            continue
        for number, entry in enumerate(entries):
            if is_our_memory_hook(entry, signature):
                entries[number] = {**entry, **hook}
                return
    group = {"hooks": [hook]} if matcher is None else {"matcher": matcher, "hooks": [hook]}
    groups.append(group)


def _error(path: str, message: str) -> ConfigError:
    fix = "fix the JSON by hand, then run `rulesync mirror` again"
    return ConfigError([Problem(path, message, fix=fix)])
