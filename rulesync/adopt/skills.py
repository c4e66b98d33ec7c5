"""A skill folder (SKILL.md plus supporting files) back into `.rulesync/skills/<name>/`."""

from __future__ import annotations

import os
from pathlib import Path

from rulesync.errors import Problem
from rulesync.source.limits import SKILL_DESCRIPTION
from rulesync.source.loader import SKILL_FILE

from .base import ImportContext
from .fields import pick_fields
from .readfront import AgentFile, ReadError, read_agent_file
from .sourcefile import item_source


def skill_folders(ctx: ImportContext, folder: str) -> list[Path]:
    """The skill folders below `folder`; every other entry is named with the reason."""
    base = ctx.root / folder
    if base.is_symlink() and not base.exists():
        ctx.warn(folder, f"not imported: a broken symlink (to {os.readlink(base)})")
    if not base.is_dir():
        return []
    if base.is_symlink() and not _inside(ctx, base):
        ctx.fail(
            Problem(
                folder,
                f"is a symlink to {base.resolve()}, outside the project; nothing was imported",
                fix="copy the skills into the project (or remove the link), then import again",
            )
        )
        return []
    found = []
    for path in sorted(base.iterdir()):
        shown = ctx.display(path)
        if path.is_symlink() and not path.exists():
            ctx.warn(shown, f"not imported: a broken symlink (to {os.readlink(path)})")
        elif not path.is_dir():
            ctx.warn(shown, "not imported: skills are folders holding a SKILL.md")
        elif not (path / SKILL_FILE).is_file():
            ctx.warn(shown, f"not imported: the folder has no {SKILL_FILE}")
        else:
            found.append(path)
    return found


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
    if not _stays_inside(ctx, skill_dir):
        return
    link = ctx.display(skill_dir) if skill_dir.is_symlink() else None
    description = parsed.data.get("description")
    if isinstance(description, str) and len(description) > SKILL_DESCRIPTION:
        ctx.warn(
            display,
            f"not imported: its description has {len(description)} characters, over the "
            f"Agent Skills limit of {SKILL_DESCRIPTION} (Codex skips such a skill); shorten it "
            "and import again",
        )
        return
    fields = pick_fields(ctx, "skill", parsed.data, display)
    if fields.get("name", name) != name:
        ctx.warn(display, f"`name: {fields['name']}` differs from the folder; named `{name}`")
    fields["name"] = name
    ctx.add("skills", f"{name}/{SKILL_FILE}", item_source("skill", fields, parsed.body), display)
    ctx.consume(display, link)
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


def _inside(ctx: ImportContext, path: Path) -> bool:
    resolved = path.resolve()
    return resolved == ctx.root or ctx.root in resolved.parents


def _stays_inside(ctx: ImportContext, skill_dir: Path) -> bool:
    """False (after an error) for a skill folder that is a symlink out of the project. A link
    inside it is fine: import replaces it with a real folder."""
    if not skill_dir.is_symlink():
        return True
    shown = ctx.display(skill_dir)
    resolved = skill_dir.resolve()
    if resolved == ctx.root or ctx.root in resolved.parents:
        return True
    ctx.fail(
        Problem(
            shown,
            f"is a symlink to {resolved}, outside the project; nothing was imported",
            fix="copy the skill into the project (or remove the link), then import again",
        )
    )
    return False


def _support_files(skill_dir: Path) -> list[Path]:
    return sorted(
        path
        for path in skill_dir.rglob("*")
        if path.is_file() and not (path.name == SKILL_FILE and path.parent == skill_dir)
    )
