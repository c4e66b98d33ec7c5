"""Claude Code: CLAUDE.md, .claude/commands, .claude/skills, .claude/agents, settings hooks."""

from __future__ import annotations

from collections.abc import Iterable

from rulesync.render.outputs import Output
from rulesync.source.model import Item
from rulesync.targets.base import (
    RenderContext,
    markdown_file,
    model_for,
    restricts_tools,
    skill_outputs,
    tool_list,
)

NAME = "claude"
# Built-in slash commands a project command would shadow or be shadowed by (Claude Code 2.1).
BUILTIN_COMMANDS = frozenset(
    [
        "add-dir",
        "agents",
        "bug",
        "clear",
        "compact",
        "config",
        "context",
        "cost",
        "doctor",
        "exit",
        "export",
        "help",
        "hooks",
        "init",
        "login",
        "logout",
        "mcp",
        "memory",
        "model",
        "permissions",
        "pr-comments",
        "resume",
        "review",
        "rewind",
        "status",
        "usage",
        "vim",
    ]
)
COMMAND_KEYS = (
    "description",
    "argument-hint",
    "allowed-tools",
    "model",
    "disable-model-invocation",
)


# Claude-only subagent fields, passed through in this order.
AGENT_EXTRAS = (
    "disallowedTools",
    "permissionMode",
    "skills",
    "mcpServers",
    "hooks",
    "memory",
    "background",
    "isolation",
    "effort",
)


def _tools_field(fields: dict[str, object]) -> str | list[str] | None:
    """Claude's comma-separated form; an empty list stays a (restricting) empty list."""
    if not restricts_tools(fields):
        return None
    tools = tool_list(fields.get("tools"))
    return ", ".join(tools) if tools else []


def _agent_file(agent: Item) -> str:
    """`database/expert.md` for `.rulesync/subagents/database/expert.md`: the source's place,
    since Claude Code reads subfolders and takes the name from the frontmatter."""
    return agent.path.rpartition("/subagents/")[2]


class Claude:
    name = NAME

    def render(self, ctx: RenderContext) -> Iterable[Output]:
        project = ctx.project
        from rulesync.render.scoped import claude_rule_outputs

        yield from claude_rule_outputs(ctx, NAME)
        skill_names = {skill.name for skill in project.for_target(project.skills, NAME)}
        for command in project.for_target(project.commands, NAME):
            if command.name in skill_names:
                ctx.warn(
                    command,
                    f"a skill named `{command.name}` exists too: Claude Code merges commands into "
                    f"skills and the skill wins, so `/{command.name}` runs the skill; rename one",
                )
            yield self._command(ctx, command)
        for skill in project.for_target(project.skills, NAME):
            yield from skill_outputs(ctx, skill, NAME, ".claude/skills")
        for agent in project.for_target(project.subagents, NAME):
            yield self._subagent(agent)
        from rulesync.targets.hooks import claude_settings
        from rulesync.targets.mcp import claude_outputs

        yield from claude_settings(ctx)
        yield from claude_outputs(ctx)

    def _command(self, ctx: RenderContext, command: Item) -> Output:
        if command.name in BUILTIN_COMMANDS:
            ctx.warn(
                command,
                f"`/{command.name}` is a Claude Code built-in command; rename the file to avoid the clash",
            )
        fields = command.fields_for(NAME)
        fields["model"] = model_for(NAME, fields.get("model"))
        content = markdown_file(
            command.path, [(k, fields.get(k)) for k in COMMAND_KEYS], command.body_for(NAME)
        )
        return Output(f".claude/commands/{command.name}.md", content, command.path, (NAME,))

    def _subagent(self, agent: Item) -> Output:
        fields = agent.fields_for(NAME)
        front = [
            ("name", agent.name),
            ("description", fields.get("description")),
            ("tools", _tools_field(fields)),
            ("model", model_for(NAME, fields.get("model"))),
            ("color", fields.get("color")),
            ("maxTurns", fields.get("max_turns")),
            *((key, fields.get(key)) for key in AGENT_EXTRAS),
        ]
        content = markdown_file(agent.path, front, agent.body_for(NAME))
        return Output(f".claude/agents/{_agent_file(agent)}", content, agent.path, (NAME,))
