"""Import from Claude Code: CLAUDE.md (+ .claude/rules/ and nested CLAUDE.md files), commands,
skills and subagents. `CLAUDE.local.md` is personal: never read, never touched."""

from __future__ import annotations

from rulesync.source.names import skill_name_problem

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
LOCAL = "CLAUDE.local.md"  # personal and git-ignored: never imported, never touched
AGENTS = ".claude/agents"
#: Claude's camelCase subagent key -> the source's key for the same thing.
RENAMED_AGENT_KEYS = {"maxTurns": "max_turns"}


def read(ctx: ImportContext) -> None:
    _context(ctx)
    _rules_folder(ctx)
    from .nested import import_nested

    ctx.originals.extend(import_nested(ctx, "CLAUDE.md", follow_imports=True, personal=LOCAL))
    markdown_commands(ctx, ".claude/commands")
    for skill_dir in skill_folders(ctx, ".claude/skills"):
        parsed = read_skill_file(ctx, skill_dir)
        if parsed is not None:
            import_skill(ctx, skill_dir, parsed)
    _subagents(ctx)
    if (ctx.root / LOCAL).is_file():
        ctx.warn(LOCAL, "personal notes are not imported; Claude still reads them")


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
        same_place = bool(globs) and ctx.free_name("rules", draft.name, ".md") == name
        stage_rules(ctx, [draft], display, first_is_root=False)
        if same_place:  # mirror writes this very file again (rulesync.render.scoped)
            ctx.consume(display)
            continue
        ctx.warn(
            display,
            "imported into the rules; Claude Code reads .claude/rules/ too, so delete it after "
            "`rulesync mirror` or Claude sees this rule twice",
        )


def _subagents(ctx: ImportContext) -> None:
    """Every `*.md` below `.claude/agents/`, at any depth, as Claude Code loads them: a file
    without a `name` is not a subagent to Claude Code (a README.md), and is skipped with a note."""
    from .walk import markdown_below

    taken: dict[str, str] = {}
    for found in markdown_below(ctx, AGENTS):
        parsed = read_markdown(ctx, found.path, found.display)
        if parsed is None:
            continue
        name = _agent_name(ctx, parsed.data, found.display, taken)
        if name is None:
            continue
        taken[name] = found.display
        display = found.display
        warn_loose(ctx, parsed, display)
        fields = subagent_fields(ctx, parsed, display, RENAMED_AGENT_KEYS)
        fields.pop("name", None)
        stage_subagent(ctx, name, fields, parsed.body, display, file=found.relative.as_posix())
        if keeps_no_tools(ctx, fields, display):
            ctx.consume(display, found.link)


def _agent_name(
    ctx: ImportContext, data: dict[str, object], display: str, taken: dict[str, str]
) -> str | None:
    """The subagent's name, or None (with a note) when Claude Code would not load the file."""
    name = data.get("name")
    if not isinstance(name, str) or not name:
        ctx.warn(
            display,
            "not imported: it has no `name` in its frontmatter, so Claude Code does not load "
            "it as a subagent either",
        )
        return None
    description = data.get("description")
    if not isinstance(description, str) or not description.strip():
        ctx.warn(
            display,
            "not imported: it has no `description`, so Claude Code fails to load it too "
            "(add one and import again)",
        )
        return None
    wrong = skill_name_problem(name)
    if wrong:
        ctx.warn(
            display,
            f"not imported: {wrong}; Claude Code still reads the file as it is "
            "(rename the subagent to import it)",
        )
        return None
    if name in taken:
        ctx.warn(
            display,
            f"not imported: a subagent named `{name}` was imported from {taken[name]}; "
            "Claude Code loads only one of them too (rename one to keep both)",
        )
        return None
    return name
