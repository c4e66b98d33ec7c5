"""Which existing setups a project has: the agents' own files, or the JavaScript tool's tree."""

from __future__ import annotations

from pathlib import Path

from .jsrulesync import looks_like_js_tree

#: Files and folders that show an agent was set up by hand (or by another tool).
SIGNS: dict[str, tuple[str, ...]] = {
    "claude": (
        "CLAUDE.md",
        ".claude/CLAUDE.md",
        ".claude/commands",
        ".claude/agents",
        ".claude/skills",
    ),
    "gemini": ("GEMINI.md", ".gemini/commands", ".gemini/agents"),
    "codex": ("AGENTS.md", ".codex/agents"),
}


def existing_setups(root: Path) -> list[str]:
    """The importers that would find something here, the JavaScript tool's tree first."""
    found = ["rulesync-js"] if looks_like_js_tree(root) else []
    found += [agent for agent, signs in SIGNS.items() if any((root / s).exists() for s in signs)]
    return found
