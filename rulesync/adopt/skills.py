"""A skill folder (SKILL.md plus supporting files) back into `.rulesync/skills/<name>/`."""

from __future__ import annotations

import os
from pathlib import Path

from rulesync.errors import Problem
from rulesync.loader import SKILL_FILE

from .base import ImportContext
from .fields import pick_fields
from .readfront import AgentFile, ReadError, read_agent_file
from .sourcefile import item_source


def skill_folders(ctx: ImportContext, folder: str) -> list[Path]:
    base = ctx.root / folder
    if not base.is_dir():
        return []
    return sorted(p for p in base.iterdir() if p.is_dir() and (p / SKILL_FILE).is_file())


def read_skill_file(ctx: ImportContext, skill_dir: Path) -> AgentFile | None:
    display = ctx.display(skill_dir / SKILL_FILE)
    try:
        return read_agent_file((skill_dir / SKILL_FILE).read_bytes(), display)
    except ReadError as error:
        ctx.fail(error.problem)
        return None


def import_skill(ctx: ImportContext, skill_dir: Path, parsed: AgentFile) -> None:
    """Stage SKILL.md (the folder name is the skill's name) and every supporting file."""
    name = skill_dir.name
    display = ctx.display(skill_dir / SKILL_FILE)
    fields = pick_fields(ctx, "skill", parsed.data, display)
    if fields.get("name", name) != name:
        ctx.warn(display, f"`name: {fields['name']}` differs from the folder; named `{name}`")
    fields["name"] = name
    ctx.add("skills", f"{name}/{SKILL_FILE}", item_source("skill", fields, parsed.body), display)
    ctx.consumed.add(display)
    for path in _support_files(skill_dir):
        shown = ctx.display(path)
        try:
            content = path.read_bytes()
        except OSError as error:
            ctx.fail(Problem(shown, f"cannot read: {error.strerror}", fix="check its permissions"))
            continue
        relative = path.relative_to(skill_dir).as_posix()
        executable = os.access(path, os.X_OK)
        ctx.add("skills", f"{name}/{relative}", content, shown, executable=executable)
        ctx.consumed.add(shown)


def _support_files(skill_dir: Path) -> list[Path]:
    return sorted(
        path
        for path in skill_dir.rglob("*")
        if path.is_file() and not (path.name == SKILL_FILE and path.parent == skill_dir)
    )
