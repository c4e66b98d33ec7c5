"""Import from Codex CLI: AGENTS.md, .agents/skills (skills, and commands mirrored as skills)
and .codex/agents/*.toml."""

from __future__ import annotations

import re
from pathlib import Path

from rulesync.source.loader import SKILL_FILE

from .base import ImportContext
from .commands_md import stage_command, stage_subagent
from .context import import_context_file
from .readfront import AgentFile, ReadError
from .skills import import_skill, read_skill_file, skill_folders
from .tomlread import read_toml
from .walk import Found

NAME = "codex"
SKILLS = ".agents/skills"
#: Codex reads skills from both; mirror writes command-skills to `.codex/skills`.
SKILL_FOLDERS = (SKILLS, ".codex/skills")
_COMMAND_SOURCE = re.compile(r"(?:^|/)commands/(?P<name>.+)\.md$")
#: the TOML keys of a Codex subagent the source keeps (`developer_instructions` is the body)
AGENT_KEYS = ("name", "description", "model", "sandbox_mode")


def read(ctx: ImportContext) -> None:
    import_context_file(ctx, "AGENTS.md", follow_imports=False)
    from .nested import import_nested

    import_nested(ctx, "AGENTS.md")
    if (ctx.root / "AGENTS.override.md").is_file():
        ctx.warn("AGENTS.override.md", "not imported; Codex reads it instead of AGENTS.md")
    skill_dirs = [d for folder in SKILL_FOLDERS for d in skill_folders(ctx, folder)]
    for skill_dir in skill_dirs:
        parsed = read_skill_file(ctx, skill_dir)
        if parsed is None:
            continue
        command = _command_name(parsed.generated_from)
        if command is None:
            import_skill(ctx, skill_dir, parsed)
        else:
            _command(ctx, skill_dir, command, parsed)
    from .walk import files_below

    for found in files_below(ctx, ".codex/agents", ".toml", "Codex", nested=False):
        _subagent(ctx, found)


def _command_name(generated_from: str | None) -> str | None:
    match = _COMMAND_SOURCE.search(generated_from or "")
    return match.group("name") if match else None


def preface(command: str) -> str:
    """What mirror puts before a command's body in its Codex skill."""
    from rulesync.targets.codex import command_preface

    return command_preface(command)


def _command(ctx: ImportContext, skill_dir: Path, name: str, parsed: AgentFile) -> None:
    """A command that mirror turned into a skill: back into `.rulesync/commands/<name>.md`."""
    display = ctx.display(skill_dir / SKILL_FILE)
    body = parsed.body.strip("\n")
    head = preface(name)
    if body.startswith(head):
        body = body[len(head) :]
    else:
        ctx.warn(display, "the mirrored command's preface was edited; kept in the body")
    fields = {}
    description = parsed.data.get("description")
    if isinstance(description, str) and description != f"The /{name} command.":
        fields["description"] = description
    stage_command(ctx, name, fields, body, display)
    ctx.consumed.add(display)


def _subagent(ctx: ImportContext, found: Found) -> None:
    display, path = found.display, found.path
    try:
        data = read_toml(path.read_bytes(), display)
    except ReadError as error:
        ctx.fail(error.problem)
        return
    fields = {key: data[key] for key in AGENT_KEYS if key in data}
    for key in sorted(set(data) - {*AGENT_KEYS, "developer_instructions"}):
        ctx.warn(display, f"`{key}` has no place in the rulesync source yet; left out")
    instructions = data.get("developer_instructions")
    if not isinstance(instructions, str) or not instructions.strip():
        ctx.warn(display, "has no `developer_instructions`; the subagent's body is empty")
        instructions = ""
    name = str(fields.pop("name", path.stem))
    stage_subagent(ctx, name, fields, instructions, display)
    ctx.consume(display, found.link)
