"""Symlinks on the way to a user-level file: followed when they stay inside HOME.

Dotfile managers (stow, chezmoi's symlink mode, yadm, a `~/dotfiles` repo) link `~/.claude`,
or `~/.claude/CLAUDE.md`, to a file they keep under version control. In a project, rulesync
refuses any symlinked folder; at user level it follows links instead, on one condition: where
they lead is inside HOME. Then the file is written at the link's target (atomically, as any
output), the link itself is left as it is, and the lock records the real path. A link that
leads outside HOME is refused (exit 2): rulesync writes nothing through it.

What sits at the real path is then judged as in a project: a file rulesync did not write is a
conflict, never overwritten without --force.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from rulesync.errors import Problem

OUTSIDE_FIX = (
    "keep the linked file inside your home folder (e.g. a ~/dotfiles repository), or replace "
    "the link with a real file or folder; rulesync never writes through a link out of HOME"
)


@dataclass(frozen=True)
class Followed:
    path: str  # the real path, relative to home
    link: str | None  # the first symlink on the way (relative to home), None when there is none


def follow(
    home: Path, logical: str, source: str, links: dict[str, bool] | None = None
) -> Followed | Problem:
    """Where writing `home/logical` lands, when every link on the way stays inside HOME.

    `links` caches which path prefixes are symlinks, across the calls of one run.
    """
    link = _first_link(home, logical, {} if links is None else links)
    if link is None:
        return Followed(logical, None)
    real = Path(os.path.realpath(home / logical))
    try:
        relative = real.relative_to(home).as_posix()
    except ValueError:
        target = os.readlink(home / link)
        return Problem(
            source,
            f"`~/{logical}` would be written through the symlink ~/{link} (to {target}), "
            f"which leads outside your home folder, to {real}",
            fix=OUTSIDE_FIX,
        )
    if relative in ("", "."):
        return Problem(source, f"`~/{logical}` resolves to your home folder", fix=OUTSIDE_FIX)
    return Followed(relative, link)


def _first_link(home: Path, logical: str, links: dict[str, bool]) -> str | None:
    parts = logical.split("/")
    base = str(home)
    for depth in range(1, len(parts) + 1):
        candidate = "/".join(parts[:depth])
        found = links.get(candidate)
        if found is None:
            found = links[candidate] = os.path.islink(f"{base}/{candidate}")
        if found:
            return candidate
    return None
