"""Gemini CLI: GEMINI.md, .gemini/commands/*.toml, skills, .gemini/agents (strict schema)."""

from __future__ import annotations

from collections.abc import Iterable

from rulesync.render.outputs import Output
from rulesync.render.templates import generated_note, render
from rulesync.source.model import Item
from rulesync.targets.base import (
    RenderContext,
    markdown_file,
    model_for,
    restricts_tools,
    skill_outputs,
    tool_list,
)
from rulesync.targets.claude import AGENT_EXTRAS as CLAUDE_ONLY
from rulesync.targets.gemini_syntax import git_revisions, to_gemini_prompt
from rulesync.targets.skill_layout import skill_folder

NAME = "gemini"

# Tool names as defined in Gemini CLI 0.61.0 (bundle: *_TOOL_NAME constants).
GEMINI_TOOLS = frozenset(
    [
        "read_file",
        "write_file",
        "replace",
        "run_shell_command",
        "glob",
        "grep_search",
        "list_directory",
        "web_fetch",
        "google_web_search",
        "read_many_files",
        "write_todos",
        "ask_user",
        "activate_skill",
    ]
)
CLAUDE_TO_GEMINI = {
    "Read": "read_file",
    "Write": "write_file",
    "Edit": "replace",
    "MultiEdit": "replace",
    "Bash": "run_shell_command",
    "Glob": "glob",
    "Grep": "grep_search",
    "LS": "list_directory",
    "WebFetch": "web_fetch",
    "WebSearch": "google_web_search",
    "TodoWrite": "write_todos",
    "AskUserQuestion": "ask_user",
    "Skill": "activate_skill",
}
# Gemini 0.61 renames a project command that clashes with a built-in to `workspace.<name>`.
BUILTIN_COMMANDS = frozenset(
    [
        "about",
        "agents",
        "auth",
        "bug",
        "chat",
        "clear",
        "compress",
        "copy",
        "directory",
        "docs",
        "editor",
        "extensions",
        "help",
        "hooks",
        "ide",
        "init",
        "mcp",
        "memory",
        "model",
        "permissions",
        "policies",
        "privacy",
        "quit",
        "restore",
        "resume",
        "settings",
        "setup-github",
        "skills",
        "stats",
        "terminal-setup",
        "theme",
        "tools",
        "vim",
    ]
)
# The strict local-agent schema of Gemini 0.61 (unknown keys make the file fail to load).
AGENT_KEYS = ("name", "description", "tools", "model", "temperature", "max_turns", "timeout_mins")


class Gemini:
    name = NAME

    def render(self, ctx: RenderContext) -> Iterable[Output]:
        project = ctx.project
        from rulesync.render.scoped import context_outputs

        yield from context_outputs(ctx, NAME, "GEMINI.md")
        for command in project.for_target(project.commands, NAME):
            output = self._command(ctx, command)
            if output is not None:
                yield output
        for skill in project.for_target(project.skills, NAME):
            yield from skill_outputs(ctx, skill, NAME, skill_folder(ctx, skill, NAME))
        for agent in project.for_target(project.subagents, NAME):
            yield self._subagent(ctx, agent)
        from rulesync.targets.hooks import gemini_settings
        from rulesync.targets.mcp import gemini_outputs

        yield from gemini_outputs(ctx, gemini_settings(ctx))

    def _command(self, ctx: RenderContext, command: Item) -> Output | None:
        body = command.body_for(NAME).strip("\n")
        verbatim = command.overrides.get(NAME, {}).get("prompt")
        if not isinstance(verbatim, str) and _untranslatable(ctx, command, body):
            return None
        leaf = command.name.rsplit("/", 1)[-1]
        if command.name in BUILTIN_COMMANDS:
            ctx.warn(
                command,
                f"`/{leaf}` clashes with a Gemini CLI built-in; Gemini renames it `/workspace.{leaf}`",
            )

        def warn(offset: int, message: str) -> None:
            ctx.warn(command, message, command.body_line + offset)

        if "prompt" in command.fields:
            ctx.warn(command, "`prompt:` is read only inside a `gemini:` block; ignored here")
        # A `gemini: prompt:` is Gemini's own prompt, kept as written by import
        prompt = verbatim if isinstance(verbatim, str) else to_gemini_prompt(body, warn) + "\n"
        content = render(
            "gemini_command.toml.j2",
            note=generated_note(command.path),
            description=command.get(NAME, "description"),
            prompt=prompt,
        )
        return Output(f".gemini/commands/{command.name}.toml", content, command.path, (NAME,))

    def _subagent(self, ctx: RenderContext, agent: Item) -> Output:
        fields = agent.fields_for(NAME)
        fields["name"] = agent.name
        # An empty list still restricts: leaving `tools` out would grant every tool.
        restricted = restricts_tools(fields)
        fields["tools"] = (
            self._tools(ctx, agent, tool_list(fields.get("tools"))) if restricted else None
        )
        fields["model"] = model_for(NAME, fields.get("model"))
        other_agents = {"color", "sandbox_mode", *CLAUDE_ONLY}
        dropped = sorted(k for k in fields if k not in AGENT_KEYS and k not in other_agents)
        for key in dropped:
            ctx.warn(
                agent, f"`{key}` is not in Gemini's subagent schema; left out of the Gemini file"
            )
        content = markdown_file(
            agent.path, [(k, fields.get(k)) for k in AGENT_KEYS], agent.body_for(NAME)
        )
        return Output(f".gemini/agents/{agent.name}.md", content, agent.path, (NAME,))

    def _tools(self, ctx: RenderContext, agent: Item, tools: list[str]) -> list[str]:
        mapped: list[str] = []
        for tool in tools:
            gemini = tool if tool in GEMINI_TOOLS else CLAUDE_TO_GEMINI.get(tool)
            if "(" in tool:
                ctx.warn(
                    agent,
                    f"tool `{tool}`: Gemini subagents take no tool patterns, and granting the whole tool would widen access; left out of the Gemini file (grant it in a `gemini:` block to allow it)",
                )
            elif gemini is None:
                ctx.warn(
                    agent,
                    f"tool `{tool}` has no Gemini CLI equivalent; left out of the Gemini file",
                )
            elif gemini not in mapped:
                mapped.append(gemini)
        return mapped


def _untranslatable(ctx: RenderContext, command: Item, body: str) -> bool:
    """Git's `@{u}` or `stash@{1}` would be file injection to Gemini: keep the command out."""
    found = git_revisions(body)
    for offset, text in found:
        ctx.warn(
            command,
            f"`{text}` is git's revision syntax, but Gemini CLI reads `@{{…}}` as a file to "
            "inject, even in code, and has no escape for it; the command is left out of Gemini. "
            "Put the line in an `<!-- only: claude, codex -->` passage and give Gemini its own "
            "wording, or drop gemini from the command's `targets:`",
            command.body_line + offset,
        )
    return bool(found)
