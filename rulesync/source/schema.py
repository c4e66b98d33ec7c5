"""Which frontmatter keys each kind of source file accepts, and what type each must have."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Check = Callable[[Any], str | None]  # returns what is wrong, or None


def _text(value: Any) -> str | None:
    return None if isinstance(value, str) else "must be text"


def _flag(value: Any) -> str | None:
    return None if isinstance(value, bool) else "must be true or false"


def _number(value: Any) -> str | None:
    ok = isinstance(value, int | float) and not isinstance(value, bool)
    return None if ok else "must be a number"


def _positive_int(value: Any) -> str | None:
    ok = isinstance(value, int) and not isinstance(value, bool) and value > 0
    return None if ok else "must be a whole number above 0"


def _texts(value: Any) -> str | None:
    if isinstance(value, str):
        return None
    ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
    return None if ok else "must be text or a list of text"


def _anything(value: Any) -> str | None:
    return None


def _mapping(value: Any) -> str | None:
    return None if isinstance(value, dict) else "must be a mapping"


RULE_KEYS: dict[str, Check] = {
    "root": _flag,
    "description": _text,
    "globs": _texts,
}
COMMAND_KEYS: dict[str, Check] = {
    "description": _text,
    "argument-hint": _text,
    "allowed-tools": _texts,
    "model": _text,
    "disable-model-invocation": _flag,
    # Gemini CLI only, in a `gemini:` block: its prompt as written, not translated from the
    # body. `import --from gemini` sets it when a prompt has no faithful Claude form.
    "prompt": _text,
}
SKILL_KEYS: dict[str, Check] = {
    "name": _text,
    "description": _text,
    "license": _text,
    "compatibility": _text,
    "metadata": _mapping,
    "allowed-tools": _texts,
    "disable-model-invocation": _flag,
}
SUBAGENT_KEYS: dict[str, Check] = {
    "name": _text,
    "description": _text,
    "tools": _texts,
    "model": _text,
    "color": _text,
    "temperature": _number,
    "max_turns": _positive_int,
    "timeout_mins": _positive_int,
    "sandbox_mode": _text,
    # Claude Code only (2.1): passed through to .claude/agents, left out elsewhere.
    "permissionMode": _text,
    "disallowedTools": _texts,
    "skills": _texts,
    "mcpServers": _anything,
    "hooks": _mapping,
    "memory": _anything,
    "background": _flag,
    "isolation": _text,
    "effort": _text,
}

#: Keys every kind accepts besides its own: the target filter (override blocks are handled apart).
COMMON_KEYS = ("targets",)

SCHEMAS: dict[str, dict[str, Check]] = {
    "rule": RULE_KEYS,
    "command": COMMAND_KEYS,
    "skill": SKILL_KEYS,
    "subagent": SUBAGENT_KEYS,
}
