"""Walk an agent's folder the way Claude Code does: every `*.md` below it, at any depth,
following symlinks (Claude Code lists the folder with `rg --files --hidden --follow`).

A symlink whose target stays inside the project is followed. One that leads out of the project
is refused: the import stops with an error naming the link and its target, since the source
would otherwise hold text that lives elsewhere. Every file that is not taken (not Markdown, a
broken link, too large) is reported with a warning that names it and says why.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from rulesync.errors import Problem

from .base import ImportContext

#: Claude Code skips a Markdown file over 1 MiB in these folders.
MAX_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Found:
    """A Markdown file as the agent sees it: its place under the folder, and the real file."""

    relative: PurePosixPath  # below the walked folder, through any links: `git/commit.md`
    display: str  # project-relative, through any links: `.claude/commands/git/commit.md`
    path: Path  # the file to read (may be reached through a link)
    #: the outermost symlink on the way to the file (the folder itself, a subfolder or the
    #: file), project-relative; None when no link is passed
    link: str | None = None


def markdown_below(ctx: ImportContext, folder: str) -> list[Found]:
    """Every `*.md` file below `folder`, as Claude Code reads its agents and commands."""
    return files_below(ctx, folder, ".md", "Claude Code", MAX_BYTES)


def files_below(
    ctx: ImportContext,
    folder: str,
    suffix: str,
    agent: str,
    max_bytes: int | None = None,
    *,
    nested: bool = True,
) -> list[Found]:
    """Every `*<suffix>` file below `folder` (or in it only, unless `nested`), sorted by its
    place; a warning for every other entry, naming it and saying why. Gemini CLI reads
    `.gemini/commands/**/*.toml` alike; Codex reads `.codex/agents/*.toml`."""
    rule = _Rule(suffix, agent, max_bytes, nested)
    base = ctx.root / folder
    if os.path.islink(base) and not _inside(ctx, base, folder):
        return []
    if os.path.islink(base) and not base.exists():
        ctx.warn(folder, f"not imported: a broken symlink (to {os.readlink(base)})")
        return []
    if not base.is_dir():
        return []
    link = folder if os.path.islink(base) else None
    found = list(_walk(ctx, rule, base, PurePosixPath(), link, {base.resolve()}))
    return sorted(found, key=lambda item: item.relative.as_posix())


@dataclass(frozen=True)
class _Rule:
    suffix: str
    agent: str
    max_bytes: int | None
    nested: bool = True


def _walk(
    ctx: ImportContext,
    rule: _Rule,
    folder: Path,
    relative: PurePosixPath,
    link: str | None,
    seen: set[Path],
) -> Iterator[Found]:
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError as error:
        shown = ctx.display(folder)
        ctx.fail(Problem(shown, f"cannot list: {error.strerror}", fix="check its permissions"))
        return
    for entry in entries:
        path = Path(entry.path)
        place = relative / entry.name
        shown = ctx.display(path)
        is_link = entry.is_symlink()
        if is_link and not _inside(ctx, path, shown):
            continue
        if is_link and not path.exists():
            ctx.warn(shown, f"not imported: a broken symlink (to {os.readlink(path)})")
            continue
        outer = link or (shown if is_link else None)
        if path.is_dir() and not rule.nested:
            ctx.warn(shown, f"not imported: {rule.agent} does not look into subfolders here")
        elif path.is_dir():
            real = path.resolve()
            if real in seen or real in folder.resolve().parents:
                ctx.warn(shown, "not imported: a symlink loop (this folder is already walked)")
                continue
            yield from _walk(ctx, rule, path, place, outer, {*seen, real})
        elif not entry.name.endswith(rule.suffix):
            ctx.warn(shown, f"not imported: {rule.agent} reads only *{rule.suffix} files here")
        elif rule.max_bytes is not None and path.stat().st_size > rule.max_bytes:
            ctx.warn(shown, f"not imported: over 1 MiB, which {rule.agent} skips too")
        else:
            yield Found(place, shown, path, outer)


def _inside(ctx: ImportContext, link: Path, shown: str) -> bool:
    """True for a link that stays in the project; otherwise an error naming link and target."""
    target = Path(os.path.abspath(os.path.join(link.parent, os.readlink(link))))
    resolved = link.resolve()
    root = ctx.root
    if resolved == root or root in resolved.parents:
        return True
    ctx.fail(
        Problem(
            shown,
            f"is a symlink to {target}, outside the project; nothing was imported",
            fix="copy what it points to into the project (or remove the link), then import again",
        )
    )
    return False
