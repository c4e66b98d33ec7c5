"""Length limits each agent puts on a description, and fitting text into one.

Checked against the CLIs' own loaders (Claude Code 2.1, Gemini CLI 0.61, Codex CLI 0.169):

- skills (Agent Skills spec, enforced by Codex, which skips a skill over it): 1024 characters;
- subagents: no limit in Claude Code (`description: string`), Gemini CLI (`z.string().min(1)`)
  or Codex (`.codex/agents/*.toml`);
- slash commands: no limit in Claude Code or Gemini CLI. A command that Codex gets as a skill
  meets the skill limit there.
"""

from __future__ import annotations

SKILL_DESCRIPTION = 1024
ELLIPSIS = "…"


def fit_description(text: str, limit: int = SKILL_DESCRIPTION) -> str:
    """`text`, or its first `limit` characters cut at a word and ended with `…`."""
    if len(text) <= limit:
        return text
    head = text[: limit - len(ELLIPSIS)]
    cut = head.rstrip().rsplit(None, 1)[0] if " " in head.strip() else head
    return cut.rstrip() + ELLIPSIS


def over_limit_note(what: str, length: int, limit: int = SKILL_DESCRIPTION) -> str:
    """The warning printed when a target's limit shortens a description."""
    return (
        f"`description` has {length} characters; {what} takes at most {limit}, so that file "
        f"gets the first {limit} (ending in `{ELLIPSIS}`). Shorten it in the source to choose "
        "the words yourself"
    )
