"""Import from Gemini CLI: GEMINI.md, .gemini/commands/*.toml, skills and .gemini/agents."""

from __future__ import annotations

import json
from typing import Any

from rulesync.source.names import command_name_problem
from rulesync.targets.gemini import CLAUDE_TO_GEMINI, GEMINI_TOOLS

from .base import ImportContext
from .commands_md import (
    keeps_no_tools,
    read_markdown,
    stage_subagent,
    subagent_fields,
    warn_loose,
)
from .context import import_context_file
from .fields import as_list
from .gemini_reverse import faithful_body
from .readfront import ReadError
from .skills import import_skill, read_skill_file, skill_folders
from .sourcefile import item_source
from .tomlread import read_toml
from .walk import Found

NAME = "gemini"
#: Gemini tool -> Claude tool. `replace` stands for both Edit and MultiEdit: it comes back as Edit.
GEMINI_TO_CLAUDE = {gemini: claude for claude, gemini in reversed(list(CLAUDE_TO_GEMINI.items()))}
#: Gemini reads `.agents/skills` before `.gemini/skills` within a tier.
SKILL_FOLDERS = (".agents/skills", ".gemini/skills")


def read(ctx: ImportContext) -> None:
    import_context_file(ctx, _context_file(ctx), follow_imports=True)
    from .nested import import_nested

    import_nested(ctx, "GEMINI.md")
    from .walk import files_below

    for found in files_below(ctx, ".gemini/commands", ".toml", "Gemini CLI"):
        _command(ctx, found)
    _skills(ctx)
    for found in files_below(ctx, ".gemini/agents", ".md", "Gemini CLI", nested=False):
        _subagent(ctx, found)


def _context_file(ctx: ImportContext) -> str:
    """GEMINI.md, or the first existing file `context.fileName` in .gemini/settings.json names."""
    names = ["GEMINI.md"]
    raw = ctx.read(".gemini/settings.json")
    if raw:
        try:
            value = json.loads(raw).get("context", {}).get("fileName")
        except (ValueError, AttributeError):
            value = None
        names = [value] if isinstance(value, str) else [*(value or []), *names]
    return next((n for n in names if isinstance(n, str) and (ctx.root / n).is_file()), "GEMINI.md")


def _command(ctx: ImportContext, found: Found) -> None:
    display = found.display
    name = found.relative.with_suffix("").as_posix()
    wrong = next(filter(None, (command_name_problem(p) for p in name.split("/"))), None)
    if wrong:
        ctx.warn(display, f"not imported: {wrong}; Gemini CLI still reads the file as it is")
        return
    try:
        data = read_toml(found.path.read_bytes(), display)
    except ReadError as error:
        ctx.fail(error.problem)
        return
    prompt = data.get("prompt")
    if not isinstance(prompt, str):
        ctx.warn(display, "has no `prompt` string; not imported")
        return
    for key in sorted(set(data) - {"prompt", "description"}):
        ctx.warn(display, f"`{key}` is not a Gemini command key; left out")

    body, verbatim = faithful_body(prompt, lambda message: ctx.warn(display, message))
    fields = {"description": data["description"]} if "description" in data else {}
    overrides = {NAME: {"prompt": verbatim}} if verbatim is not None else None
    ctx.add("commands", f"{name}.md", item_source("command", fields, body, overrides), display)
    ctx.consume(display, found.link)


def _skills(ctx: ImportContext) -> None:
    seen: dict[str, str] = {}
    for folder in SKILL_FOLDERS:
        for skill_dir in skill_folders(ctx, folder):
            shown = ctx.display(skill_dir)
            if skill_dir.name in seen:
                ctx.warn(
                    shown,
                    f"not imported: Gemini CLI uses {seen[skill_dir.name]} instead (and reports "
                    "a skill conflict); delete this folder once you have checked that nothing "
                    "in it is missing there",
                )
                continue
            parsed = read_skill_file(ctx, skill_dir)
            if parsed is None:
                continue
            if _is_command_skill(parsed.generated_from):
                ctx.warn(
                    shown,
                    f"not imported: Codex's copy of a command (rulesync wrote it from "
                    f"{parsed.generated_from}), not a skill of Gemini's; delete it, since mirror "
                    "writes Codex's command-skills to .codex/skills/, which Gemini does not read",
                )
                continue
            seen[skill_dir.name] = shown
            import_skill(ctx, skill_dir, parsed)


def _is_command_skill(generated_from: str | None) -> bool:
    return generated_from is not None and "/commands/" in f"/{generated_from}"


def _subagent(ctx: ImportContext, found: Found) -> None:
    """`.gemini/agents/*.md` as Gemini CLI loads them: a name starting with `_` and a file that
    is itself a symlink are skipped by Gemini CLI, so they are named and not imported."""
    display = found.display
    if found.relative.name.startswith("_"):
        ctx.warn(display, "not imported: Gemini CLI skips agent files whose name starts with _")
        return
    if (ctx.root / display).is_symlink():
        ctx.warn(display, "not imported: a symlinked file, which Gemini CLI does not load")
        return
    parsed = read_markdown(ctx, found.path, display)
    if parsed is None:
        return
    warn_loose(ctx, parsed, display)
    fields = subagent_fields(ctx, parsed, display)
    overrides: dict[str, dict[str, Any]] = {}
    if "tools" in fields:
        gemini_tools = as_list(fields["tools"])
        fields["tools"] = _claude_tools(ctx, display, gemini_tools)
        if any(tool not in GEMINI_TO_CLAUDE for tool in gemini_tools):
            overrides[NAME] = {"tools": gemini_tools}
            if not fields["tools"]:
                ctx.warn(
                    display,
                    "none of its tools exists in Claude Code, and an empty `tools:` list "
                    "gives Claude every tool: set `tools:` for Claude by hand",
                )
    name = str(fields.pop("name", found.relative.stem))
    stage_subagent(ctx, name, fields, parsed.body, display, overrides)
    if keeps_no_tools(ctx, fields, display):
        ctx.consume(display, found.link)


def _claude_tools(ctx: ImportContext, display: str, tools: list[str]) -> list[str]:
    claude: list[str] = []
    for tool in tools:
        if tool in GEMINI_TO_CLAUDE:
            if GEMINI_TO_CLAUDE[tool] not in claude:
                claude.append(GEMINI_TO_CLAUDE[tool])
        elif tool in GEMINI_TOOLS:
            ctx.warn(display, f"tool `{tool}` has no Claude Code equivalent; kept for Gemini only")
        else:
            ctx.warn(display, f"tool `{tool}` is unknown to rulesync; kept for Gemini only")
    return claude
