"""The importers, by the name `rulesync import --from` takes. A new one is a module and a line."""

from __future__ import annotations

from . import claude, codex, gemini, jsrulesync
from .base import Reader

READERS: dict[str, Reader] = {
    "claude": claude.read,
    "gemini": gemini.read,
    "codex": codex.read,
    "rulesync-js": jsrulesync.read,
}
#: What each importer looks for, for the message when it finds nothing.
LOOKS_FOR: dict[str, str] = {
    "claude": "CLAUDE.md, .claude/rules/, .claude/commands/, .claude/skills/, .claude/agents/",
    "gemini": "GEMINI.md, .gemini/commands/, .gemini/skills/, .agents/skills/, .gemini/agents/",
    "codex": "AGENTS.md, .agents/skills/, .codex/skills/, .codex/agents/",
    "rulesync-js": "rulesync.jsonc and .rulesync/{rules,commands,skills,subagents}/",
}
