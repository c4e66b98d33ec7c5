"""A project output path -> the user-level path (relative to HOME) the same agent reads.

Rendering is the project's (rulesync.targets); only where each file goes differs:

    CLAUDE.md               -> <claude>/CLAUDE.md        (~/.claude unless CLAUDE_CONFIG_DIR)
    .claude/commands|skills|agents/...  -> <claude>/commands|skills|agents/...
    GEMINI.md               -> <gemini>/GEMINI.md        (~/.gemini unless GEMINI_CLI_HOME)
    .gemini/commands|skills|agents/...  -> <gemini>/commands|skills|agents/...
    AGENTS.md               -> <codex>/AGENTS.md         (~/.codex unless CODEX_HOME)
    .codex/skills|agents/...            -> <codex>/skills|agents/...
    .agents/skills/...      -> ~/.agents/skills/...      (Gemini CLI and Codex both read it)

Files with no user-level home are skipped, with the reason: hook and MCP settings
(`.claude/settings.json`, `.gemini/settings.json`, `.mcp.json`, `.codex/config.toml`) are the
user's own settings files at user level, and rulesync does not merge into them.
"""

from __future__ import annotations

from collections.abc import Mapping

CONTEXT_FILES = {"CLAUDE.md": "claude", "GEMINI.md": "gemini", "AGENTS.md": "codex"}
FOLDERS = {
    ".claude": ("claude", ("commands", "skills", "agents")),
    ".gemini": ("gemini", ("commands", "skills", "agents")),
    ".codex": ("codex", ("skills", "agents")),
    ".agents": ("agents", ("skills",)),
}
SETTINGS = {".claude/settings.json", ".gemini/settings.json", ".mcp.json", ".codex/config.toml"}
SETTINGS_WHY = (
    "hook and MCP settings are not mirrored at user level: there they live in your own "
    "settings file, which rulesync does not merge into"
)


def user_path(path: str, agent_dirs: Mapping[str, str]) -> str | tuple[None, str]:
    """The home-relative path for a project output, or (None, why it has no user-level home)."""
    if path in CONTEXT_FILES:
        return f"{agent_dirs[CONTEXT_FILES[path]]}/{path}"
    if path in SETTINGS:
        return None, SETTINGS_WHY
    top, _, rest = path.partition("/")
    kind, _, below = rest.partition("/")
    found = FOLDERS.get(top)
    if found is None or kind not in found[1] or not below:
        return None, "no user-level location is known for it"
    return f"{agent_dirs[found[0]]}/{kind}/{below}"
