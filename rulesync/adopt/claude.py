"""Import from Claude Code: CLAUDE.md (+ .claude/rules/), commands, skills and subagents."""

from __future__ import annotations

from .base import ImportContext
from .commands_md import (
    keeps_no_tools,
    markdown_commands,
    read_markdown,
    stage_subagent,
    subagent_fields,
    warn_loose,
)
from .context import RuleDraft, import_context_file, stage_rules
from .fields import as_list, pick_fields
from .skills import import_skill, read_skill_file, skill_folders

NAME = "claude"
#: Claude's camelCase subagent key -> the source's key for the same thing.
RENAMED_AGENT_KEYS = {"maxTurns": "max_turns"}


def read(ctx: ImportContext) -> None:
    _context(ctx)
    _rules_folder(ctx)
    markdown_commands(ctx, ".claude/commands")
    for skill_dir in skill_folders(ctx, ".claude/skills"):
        parsed = read_skill_file(ctx, skill_dir)
        if parsed is not None:
            import_skill(ctx, skill_dir, parsed)
    _subagents(ctx)
    if (ctx.root / "CLAUDE.local.md").is_file():
        ctx.warn("CLAUDE.local.md", "personal notes are not imported; Claude still reads them")


def _context(ctx: ImportContext) -> None:
    if (ctx.root / "CLAUDE.md").is_file():
        import_context_file(ctx, "CLAUDE.md", follow_imports=True)
        if (ctx.root / ".claude/CLAUDE.md").is_file():
            ctx.warn(".claude/CLAUDE.md", "not imported: CLAUDE.md at the root was imported")
    elif (ctx.root / ".claude/CLAUDE.md").is_file():
        import_context_file(ctx, ".claude/CLAUDE.md", follow_imports=True)
        ctx.warn(
            ".claude/CLAUDE.md",
            "mirror writes CLAUDE.md at the project root; delete this file after "
            "`rulesync mirror`, or Claude reads the rules twice",
        )


def _rules_folder(ctx: ImportContext) -> None:
    """`.claude/rules/**/*.md`, scoped with `paths:`, become rules with `globs`."""
    for path in ctx.files_below(".claude/rules", "**/*.md"):
        parsed = read_markdown(ctx, path)
        if parsed is None:
            continue
        display = ctx.display(path)
        warn_loose(ctx, parsed, display)
        data = dict(parsed.data)
        globs = as_list(data.pop("paths", None))
        fields = pick_fields(ctx, "rule", data, display, skip=("root",))
        name = path.relative_to(ctx.root / ".claude/rules").with_suffix("").as_posix()
        description = fields.get("description")
        draft = RuleDraft(
            name.replace("/", "-"),
            parsed.body,
            tuple(globs),
            description if isinstance(description, str) else None,
        )
        stage_rules(ctx, [draft], display, first_is_root=False)
        ctx.warn(
            display,
            "imported into the rules; Claude Code reads .claude/rules/ too, so delete it after "
            "`rulesync mirror` or Claude sees this rule twice",
        )


def _subagents(ctx: ImportContext) -> None:
    for path in ctx.files_below(".claude/agents", "*.md"):
        parsed = read_markdown(ctx, path)
        if parsed is None:
            continue
        display = ctx.display(path)
        warn_loose(ctx, parsed, display)
        fields = subagent_fields(ctx, parsed, display, RENAMED_AGENT_KEYS)
        name = str(fields.pop("name", path.stem))
        stage_subagent(ctx, name, fields, parsed.body, display)
        if keeps_no_tools(ctx, fields, display):
            ctx.consumed.add(display)
