"""Markdown commands and subagents (Claude's format, also Gemini's agents) into the source."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any

from rulesync.errors import Problem
from rulesync.source.names import command_name_problem

from .base import ImportContext
from .fields import as_list, pick_fields
from .readfront import AgentFile, ReadError, read_agent_file
from .sourcefile import item_source


def read_markdown(ctx: ImportContext, path: Path, display: str | None = None) -> AgentFile | None:
    shown = display or ctx.display(path)
    try:
        return read_agent_file(path.read_bytes(), shown)
    except ReadError as error:
        ctx.fail(error.problem)
    except OSError as error:
        ctx.fail(Problem(shown, f"cannot read: {error.strerror}", fix="check its permissions"))
    return None


def stage_command(
    ctx: ImportContext, name: str, fields: Mapping[str, Any], body: str, origin: str
) -> None:
    ctx.add("commands", f"{name}.md", item_source("command", fields, body), origin)


def stage_subagent(
    ctx: ImportContext,
    name: str,
    fields: Mapping[str, Any],
    body: str,
    origin: str,
    overrides: Mapping[str, Mapping[str, Any]] | None = None,
    file: str | None = None,
) -> None:
    """`subagents/<file>`, by default `<name>.md`; Claude's `database/expert.md` keeps its place."""
    content = item_source("subagent", {**fields, "name": name}, body, overrides)
    ctx.add("subagents", file or f"{name}.md", content, origin)


def markdown_commands(ctx: ImportContext, folder: str) -> None:
    """Every `*.md` below `<folder>` as Claude Code loads it: `git/commit.md` is `/git:commit`
    and stays `commands/git/commit.md` in the source. A file without frontmatter (a README.md)
    is a command too, as it is for Claude Code."""
    from .walk import markdown_below

    everything = markdown_below(ctx, folder)
    skill_style = {f.relative.parent for f in everything if f.relative.name.lower() == "skill.md"}
    for found in everything:
        if found.relative.parent in skill_style:
            ctx.warn(
                found.display,
                "not imported: a folder of commands holding a SKILL.md is one skill-style "
                "command to Claude Code; move the folder to .claude/skills/ and import again",
            )
            continue
        name = found.relative.with_suffix("").as_posix()
        wrong = next(filter(None, (command_name_problem(p) for p in name.split("/"))), None)
        if wrong:
            ctx.warn(
                found.display,
                f"not imported: {wrong}, which the source cannot hold; Claude Code still reads "
                "the file as it is (rename it to import it)",
            )
            continue
        parsed = read_markdown(ctx, found.path, found.display)
        if parsed is None:
            continue
        warn_loose(ctx, parsed, found.display)
        if found.relative.stem.lower() == "readme":
            ctx.warn(
                found.display,
                f"Claude Code loads this file as the `/{name.replace('/', ':')}` command, so it "
                "is imported as one (move it out of the folder if it is only documentation)",
            )
        fields = pick_fields(ctx, "command", parsed.data, found.display)
        hint = fields.get("argument-hint")
        if isinstance(hint, list):  # `argument-hint: [message]` is a YAML list
            fields["argument-hint"] = " ".join(f"[{part}]" for part in hint)
        stage_command(ctx, name, fields, parsed.body, found.display)
        ctx.consume(found.display, found.link)


def subagent_fields(
    ctx: ImportContext,
    parsed: AgentFile,
    display: str,
    renamed: Mapping[str, str] | None = None,
    skip: Collection[str] = (),
) -> dict[str, Any]:
    renamed = renamed or {}
    data = {renamed.get(key, key): value for key, value in parsed.data.items()}
    fields = pick_fields(ctx, "subagent", data, display, skip=skip)
    if "tools" in fields:
        fields["tools"] = as_list(fields["tools"])
    return fields


def warn_loose(ctx: ImportContext, parsed: AgentFile, display: str) -> None:
    if parsed.loose:
        ctx.warn(
            display,
            "frontmatter is not valid YAML; read as `key: text` lines (check the values)",
        )


def keeps_no_tools(ctx: ImportContext, fields: Mapping[str, Any], display: str) -> bool:
    """False for a subagent allowed no tools at all: mirror writes an empty `tools` list as no
    `tools:` key, which grants every tool, so its file is not rewritten (mirror will stop on it)."""
    if fields.get("tools") != []:
        return True
    ctx.warn(
        display,
        "`tools: []` (no tools) is kept in the source, but mirror would write it as no `tools:` "
        "key, which grants every tool; this file is left as it is",
    )
    return False
