"""Names the user types: targets and their aliases, skill names, "did you mean" hints."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

TARGETS: tuple[str, ...] = ("claude", "gemini", "codex")
TARGET_ALIASES: dict[str, str] = {
    "claude": "claude",
    "claudecode": "claude",
    "gemini": "gemini",
    "geminicli": "gemini",
    "codex": "codex",
    "codexcli": "codex",
}

# Agent Skills spec: 1-64 chars of a-z, 0-9 and "-", no leading, trailing or double "-".
_SKILL_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_COMMAND_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


def canonical_target(name: str) -> str | None:
    """`claudecode` -> `claude`; None for an unknown name."""
    return TARGET_ALIASES.get(name.strip().lower())


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A " (did you mean `x`?)" hint, or "" when nothing is close."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean `{close[0]}`?" if close else ""


def skill_name_problem(name: str) -> str | None:
    """Why `name` breaks the Agent Skills naming rules, or None when it is fine."""
    if not 1 <= len(name) <= 64:
        return f"name `{name}` must be 1-64 characters long"
    if not _SKILL_NAME.match(name):
        return (
            f"name `{name}` may use only a-z, 0-9 and single hyphens, "
            "with no hyphen at the start or end"
        )
    return None


def command_name_problem(name: str) -> str | None:
    """Why a command file name cannot become a slash command, or None when it is fine."""
    if not _COMMAND_NAME.match(name):
        return (
            f"command name `{name}` may use only letters, digits, `_`, `.` and `-`, "
            "starting with a letter or digit"
        )
    return None
