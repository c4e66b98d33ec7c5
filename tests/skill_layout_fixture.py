"""A project with every kind of skill placement: shared, one agent only, differing, commands."""

from __future__ import annotations


def skill(name: str, body: str, extra: str = "") -> str:
    return f'---\nname: {name}\ndescription: "The {name} skill."\n{extra}---\n{body}\n'


LAYOUT_PROJECT = {
    "rulesync.yaml": "targets: [claude, gemini, codex]\n",
    ".rulesync/rules/main.md": "---\nroot: true\n---\n# Rules\n\nBe brief.\n",
    ".rulesync/skills/shared/SKILL.md": skill("shared", "For everyone."),
    ".rulesync/skills/gemini-only/SKILL.md": skill(
        "gemini-only", "Gemini alone.", "targets: [claude, gemini]\n"
    ),
    ".rulesync/skills/codex-only/SKILL.md": skill(
        "codex-only", "Codex alone.", "targets: [codex]\n"
    ),
    ".rulesync/skills/differs/SKILL.md": skill(
        "differs", "Same.\n<!-- only: gemini -->\nGemini's part.\n<!-- /only -->"
    ),
    ".rulesync/commands/fix.md": "---\ndescription: Fix a bug\n---\nFix $ARGUMENTS.\n",
    ".rulesync/commands/git/sync.md": "---\ndescription: Sync\n---\nPull and push.\n",
}
SKILLS = {"shared", "gemini-only", "codex-only", "differs"}
#: what each CLI must list, each name once
GEMINI_SKILLS = {"shared", "gemini-only", "differs"}
GEMINI_COMMANDS = {"fix", "git:sync"}
CODEX_SKILLS = {"shared", "codex-only", "differs", "fix", "git-sync"}
CLAUDE_SKILLS = {"shared", "gemini-only", "differs"}
