"""Codex CLI: AGENTS.md, commands as .codex/skills, skills, .codex/agents/*.toml."""

from __future__ import annotations

import re
from collections.abc import Iterable

from rulesync.render.outputs import Output
from rulesync.render.templates import generated_note, render
from rulesync.source.limits import SKILL_DESCRIPTION, fit_description, over_limit_note
from rulesync.source.model import Item
from rulesync.source.names import skill_name_problem
from rulesync.targets.base import (
    RenderContext,
    markdown_file,
    model_for,
    skill_outputs,
    tool_list,
)
from rulesync.targets.skill_layout import CODEX_COMMAND_SKILLS, skill_folder

NAME = "codex"
WRITING_TOOLS = frozenset({"Write", "Edit", "MultiEdit", "NotebookEdit", "Bash"})


def command_skill_name(command_name: str) -> str:
    """`frontend/New_Component` -> `frontend-new-component`: a valid Agent Skills name."""
    return re.sub(r"-{2,}", "-", re.sub(r"[^a-z0-9]+", "-", command_name.lower())).strip("-")


def command_preface(command_name: str) -> str:
    """What a command's Codex skill says before the command's own text."""
    slash = command_name.replace("/", ":")  # `git/commit.md` is `/git:commit` to Claude and Gemini
    return (
        f"This skill mirrors the `/{slash}` command. Where it says `$ARGUMENTS`, "
        "use what the user asked for."
    )


class Codex:
    name = NAME

    def render(self, ctx: RenderContext) -> Iterable[Output]:
        project = ctx.project
        from rulesync.render.scoped import context_outputs

        rules = context_outputs(ctx, NAME, "AGENTS.md")
        self._check_sizes(ctx, rules)
        yield from rules
        skill_names = {skill.name for skill in project.for_target(project.skills, NAME)}
        for command in project.for_target(project.commands, NAME):
            yield from self._command_skill(ctx, command, skill_names)
        for skill in project.for_target(project.skills, NAME):
            yield from skill_outputs(ctx, skill, NAME, skill_folder(ctx, skill, NAME))
        for agent in project.for_target(project.subagents, NAME):
            yield from self._subagent(ctx, agent)
        from rulesync.targets.mcp import codex_outputs

        yield from codex_outputs(ctx)

    def _check_sizes(self, ctx: RenderContext, rules: list[Output]) -> None:
        """Codex joins AGENTS.md from the root down to its working folder and reads at most
        `project_doc_max_bytes` of the joined text (0.171: "project doc exceeds remaining
        budget; truncating"): warn for each folder whose chain is longer."""
        from rulesync.render.scoped import chains, largest_sources, sources_past

        limit = int(ctx.project.config.options_for(NAME).get("max_bytes", 32768))
        for chain in chains(rules, "AGENTS.md"):
            if chain.size > limit:
                message = size_warning(
                    ctx, chain.size, limit, sources_past(chain, limit), len(chain.files)
                )
                largest = ", ".join(f"{s} ({n:,} bytes)" for s, n in largest_sources(chain))
                ctx.warn(chain.last.path, f"{message}; the largest: {largest}")

    def _command_skill(
        self, ctx: RenderContext, command: Item, skill_names: set[str]
    ) -> list[Output]:
        """Codex has no custom prompts since 0.117: a command becomes a skill of the same name,
        in `.codex/skills/`, which Gemini (with the same command as TOML) does not read."""
        name = command_skill_name(command.name)
        problem = skill_name_problem(name)
        if problem or name in skill_names:
            why = problem or f"a skill named `{name}` exists too"
            ctx.fail(
                command,
                f"cannot mirror to Codex as a skill: {why}",
                "rename the command, or add `targets:` without codex",
            )
            return []
        description = command.get(NAME, "description") or f"The /{command.name} command."
        if len(description) > SKILL_DESCRIPTION:
            ctx.warn(command, over_limit_note("a Codex skill", len(description)))
            description = fit_description(description)
        body = f"{command_preface(command.name)}\n\n{command.body_for(NAME).strip()}"
        content = markdown_file(command.path, [("name", name), ("description", description)], body)
        return [Output(f"{CODEX_COMMAND_SKILLS}/{name}/SKILL.md", content, command.path, (NAME,))]

    def _subagent(self, ctx: RenderContext, agent: Item) -> list[Output]:
        instructions = agent.body_for(NAME).strip("\n")
        if not instructions.strip():
            ctx.fail(
                agent,
                "Codex needs the subagent's instructions, but the body is empty",
                "write the system prompt below the frontmatter",
            )
            return []
        fields = agent.fields_for(NAME)
        content = render(
            "codex_agent.toml.j2",
            note=generated_note(agent.path),
            name=agent.name,
            description=fields.get("description", ""),
            model=model_for(NAME, fields.get("model")),
            sandbox_mode=fields.get("sandbox_mode") or _sandbox_from_tools(fields.get("tools")),
            instructions=instructions + "\n",
        )
        return [Output(f".codex/agents/{agent.name}.toml", content, agent.path, (NAME,))]


def size_warning(ctx: RenderContext, size: int, limit: int, past: list[str], files: int) -> str:
    """Names the rules past the limit, and the way to move them out of the root file."""
    joined = f" with the {files - 1} above it" if files > 1 else ""
    names = ", ".join(past[:8]) + (f" and {len(past) - 8} more" if len(past) > 8 else "")
    advice = (
        "give rules that apply to one folder `globs: <folder>/**`, so that they move into "
        "that folder's AGENTS.md, or move detail into skills"
    )
    if ctx.project.config.scopes == "root":
        advice = "set `scopes: nested` in rulesync.yaml to split it by scope, and " + advice
    return (
        f"is {size:,} bytes{joined}; Codex reads only the first {limit:,} "
        f"(project_doc_max_bytes) and silently drops the rest, here {names}. To fix: {advice}"
    )


def _sandbox_from_tools(tools: object) -> str | None:
    """A subagent whose Claude tools cannot write or run anything gets a read-only sandbox."""
    names = {tool.split("(", 1)[0] for tool in tool_list(tools)}
    return "read-only" if names and not names & WRITING_TOOLS else None
