"""Where each agent's skills go, so that every CLI sees each skill once and no command twice.

What the CLIs read, checked against their own loaders (Claude Code 2.1.197, Gemini CLI 0.61.0,
Codex CLI 0.171.0; see tests/test_cli_skill_loaders.py):

- Claude Code: `.claude/skills/` only.
- Gemini CLI: `.gemini/skills/*/SKILL.md` and `.agents/skills/*/SKILL.md` (one level deep). A
  name found in both is a "Skill conflict"; the `.agents/skills` copy wins.
- Codex CLI: `.codex/skills/` (the project's config folder) and `.agents/skills/`, recursively;
  it dedupes by path, not by name, so a name in both is listed twice.

Hence: a skill that Gemini and Codex both get, with the same bytes, is written once to the
shared `.agents/skills/`. Anything only one of the two gets goes to that agent's own folder
while the other is a target too, because both would see a copy in `.agents/skills/`. Codex's
command-skills are for Codex alone (Gemini has the same commands as TOML), so they always go to
`.codex/skills/`.
"""

from __future__ import annotations

from rulesync.source.model import Item
from rulesync.targets.base import RenderContext, skill_outputs

SHARED = ".agents/skills"
OWN = {"claude": ".claude/skills", "gemini": ".gemini/skills", "codex": ".codex/skills"}
CODEX_COMMAND_SKILLS = OWN["codex"]
AUTO = "auto"


def skill_folder(ctx: RenderContext, skill: Item, target: str) -> str:
    """The folder `target`'s copy of `skill` goes under (the skill is `<folder>/<name>/`)."""
    if target not in ("gemini", "codex"):
        return OWN[target]
    if is_shared(ctx, skill):
        return SHARED
    other = "codex" if target == "gemini" else "gemini"
    configured = ctx.project.config.targets
    if target == "gemini":
        choice = gemini_choice(ctx)
        if choice not in (AUTO, SHARED):
            return choice
        return SHARED if choice == SHARED and other not in configured else OWN["gemini"]
    return OWN["codex"] if other in configured else SHARED


def gemini_choice(ctx: RenderContext) -> str:
    """`gemini: {skills_dir: …}`: `auto` (the default), or a folder."""
    choice = str(ctx.project.config.options_for("gemini").get("skills_dir", AUTO)).rstrip("/")
    return choice or AUTO


def is_shared(ctx: RenderContext, skill: Item) -> bool:
    """Both agents are targets, both get the skill, it renders the same, and nothing forbids it."""
    both = ("gemini", "codex")
    if not all(t in ctx.project.config.targets and t in skill.targets for t in both):
        return False
    if gemini_choice(ctx) not in (AUTO, SHARED):
        return False
    return _rendered(ctx, skill, "gemini") == _rendered(ctx, skill, "codex")


def _rendered(ctx: RenderContext, skill: Item, target: str) -> list[tuple[str, bytes, bool]]:
    return [(o.path, o.content, o.executable) for o in skill_outputs(ctx, skill, target, "")]
