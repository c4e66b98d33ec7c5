"""Our lint hook in the agents' settings files, merged without touching anything else.

Claude Code (checked against 2.1.197): `.claude/settings.json` holds
`hooks.PreToolUse: [{matcher, hooks: [{type: "command", command}]}]`. The command gets the
tool call as JSON on stdin; exit code 2 blocks the call and shows stderr to the model. The
hook runs in the session's working directory with `CLAUDE_PROJECT_DIR` set.

Gemini CLI (checked against 0.61.0, bundle/docs/hooks/reference.md and the hook runner):
`.gemini/settings.json` holds `hooks.BeforeTool: [{matcher, hooks: [{name, type, command}]}]`
with a regex matcher over tool names. Exit code 2 blocks the tool call and sends stderr to
the model as the reason, provided stdout is empty (stdout wins when present). Gemini replaces
`$GEMINI_PROJECT_DIR` in the command with the shell-escaped project path itself, so it must
not be quoted again.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from typing import Any

from rulesync.errors import ConfigError, Problem

CLAUDE_SETTINGS = ".claude/settings.json"
GEMINI_SETTINGS = ".gemini/settings.json"

CLAUDE_EVENT = "PreToolUse"
CLAUDE_MATCHER = "Write|Edit|MultiEdit"
CLAUDE_HOOK_COMMAND = 'rulesync-hook -C "$CLAUDE_PROJECT_DIR" lint --hook claude'

GEMINI_EVENT = "BeforeTool"
GEMINI_MATCHER = "write_file|replace"
GEMINI_HOOK_NAME = "rulesync-lint"
GEMINI_HOOK_COMMAND = "rulesync-hook -C $GEMINI_PROJECT_DIR lint --hook gemini"
#: Gemini CLI 0.61.0 blocks a tool call on exit code 2 from a BeforeTool hook.
GEMINI_CAN_BLOCK = True

_SIGNATURE = "lint --hook"

#: Claude Code runs `statusLine.command` on each refresh with the session as JSON on stdin.
CLAUDE_STATUS_LINE_COMMAND = "rulesync-hook status --for claude"
_STATUS_SIGNATURE = "status --for claude"


def merge_claude_hook(settings: Mapping[str, Any]) -> dict[str, Any]:
    """`settings` with our PreToolUse hook added once; everything else left as it was."""
    hook = {"type": "command", "command": CLAUDE_HOOK_COMMAND}
    return _merge(settings, CLAUDE_SETTINGS, CLAUDE_EVENT, CLAUDE_MATCHER, hook)


def merge_gemini_hook(settings: Mapping[str, Any]) -> dict[str, Any] | None:
    """`settings` with our BeforeTool hook added once; None if Gemini cannot block writes."""
    if not GEMINI_CAN_BLOCK:
        return None
    hook = {
        "name": GEMINI_HOOK_NAME,
        "type": "command",
        "command": GEMINI_HOOK_COMMAND,
        "description": "rulesync identity and umlaut lints: block misspelt names and umlauts",
    }
    return _merge(settings, GEMINI_SETTINGS, GEMINI_EVENT, GEMINI_MATCHER, hook)


def merge_claude_status_line(settings: Mapping[str, Any]) -> dict[str, Any]:
    """`settings` with our `statusLine` when it has none (or an earlier one of ours); a status
    line of the user's own is left exactly as it is."""
    if not isinstance(settings, Mapping):
        raise _error(CLAUDE_SETTINGS, "must be a JSON object")
    merged = copy.deepcopy(dict(settings))
    current = merged.get("statusLine")
    if current is None or is_our_status_line(current):
        ours = {"type": "command", "command": CLAUDE_STATUS_LINE_COMMAND}
        merged["statusLine"] = {**current, **ours} if isinstance(current, dict) else ours
    return merged


def is_our_status_line(value: object) -> bool:
    if not isinstance(value, Mapping):
        return False
    command = value.get("command")
    return isinstance(command, str) and "rulesync" in command and _STATUS_SIGNATURE in command


def is_our_hook(hook: object) -> bool:
    """Any version of our hook command: `rulesync … lint --hook …`."""
    if not isinstance(hook, Mapping):
        return False
    command = hook.get("command")
    return isinstance(command, str) and "rulesync" in command and _SIGNATURE in command


def remove_claude_status_line(settings: Mapping[str, Any]) -> dict[str, Any]:
    """`settings` without our `statusLine`; a status line of the user's own stays."""
    kept = copy.deepcopy(dict(settings))
    if is_our_status_line(kept.get("statusLine")):
        del kept["statusLine"]
    return kept


def remove_hooks(settings: Mapping[str, Any], is_ours: Callable[[object], bool]) -> dict[str, Any]:
    """`settings` without the hooks `is_ours` names. A group, event or `hooks` object left
    empty by that goes too; one that was empty before stays, and so does everything else."""
    kept = copy.deepcopy(dict(settings))
    hooks = kept.get("hooks")
    if not isinstance(hooks, dict):
        return kept
    for event, groups in list(hooks.items()):
        if not isinstance(groups, list):
            continue
        remaining = [group for group in groups if not _emptied(group, is_ours)]
        if groups and not remaining:
            del hooks[event]
        else:
            hooks[event] = remaining
    if settings.get("hooks") and not hooks:
        del kept["hooks"]
    return kept


def _emptied(group: object, is_ours: Callable[[object], bool]) -> bool:
    """Take our hooks out of `group`; True when that left it with none."""
    entries = group.get("hooks") if isinstance(group, dict) else None
    if not isinstance(group, dict) or not isinstance(entries, list):
        return False
    remaining = [entry for entry in entries if not is_ours(entry)]
    if len(remaining) == len(entries):
        return False
    group["hooks"] = remaining
    return not remaining


def _merge(
    settings: Mapping[str, Any], path: str, event: str, matcher: str, hook: dict[str, Any]
) -> dict[str, Any]:
    if not isinstance(settings, Mapping):
        raise _error(path, "must be a JSON object")
    merged = copy.deepcopy(dict(settings))
    hooks = merged.setdefault("hooks", {})
    if not isinstance(hooks, dict):
        raise _error(path, "`hooks` must be an object")
    groups = hooks.setdefault(event, [])
    if not isinstance(groups, list):
        raise _error(path, f"`hooks.{event}` must be a list")
    if not _update_existing(groups, matcher, hook):
        groups.append({"matcher": matcher, "hooks": [hook]})
    return merged


def _update_existing(groups: list[Any], matcher: str, hook: dict[str, Any]) -> bool:
    """Bring an earlier version of our hook up to date in place; False if there is none."""
    for group in groups:
        entries = group.get("hooks") if isinstance(group, dict) else None
        if not isinstance(entries, list):
            continue
        for index, entry in enumerate(entries):
            if is_our_hook(entry):
                entries[index] = {**entry, **hook}
                if len(entries) == 1:
                    group["matcher"] = matcher
                return True
    return False


def _error(path: str, message: str) -> ConfigError:
    fix = "fix the JSON by hand, then run `rulesync mirror` again"
    return ConfigError([Problem(path, message, fix=fix)])
