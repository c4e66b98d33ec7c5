"""Outputs stay inside the project: no `..`, no absolute paths, no symlink that leads out."""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath

from rulesync.errors import Problem


class PathGuard:
    """Checks output paths against one root, remembering folders already found safe."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._safe_folders: set[str] = {""}

    def problem(self, relative: str, source: str) -> Problem | None:
        pure = PurePosixPath(relative)
        if pure.is_absolute() or ".." in pure.parts or not pure.parts:
            return Problem(
                source,
                f"output `{relative}` would be outside the project",
                fix="rename the source file",
            )
        if os.path.islink(self.root / relative):
            target = (self.root / relative).resolve()
            return Problem(
                source,
                f"output `{relative}` is a symlink (to {target}); rulesync will not write through it",
                fix="remove the symlink",
            )
        return self._folder_problem(
            pure.parent.as_posix() if pure.parent.parts else "", relative, source
        )

    def _folder_problem(self, folder: str, relative: str, source: str) -> Problem | None:
        if folder in self._safe_folders:
            return None
        parent = folder.rsplit("/", 1)[0] if "/" in folder else ""
        found = self._folder_problem(parent, relative, source)
        if found is not None:
            return found
        path = self.root / folder
        if os.path.islink(path):
            target = path.resolve()
            if not (target == self.root or self.root in target.parents):
                return Problem(
                    source,
                    f"output `{relative}` would go through the symlink {folder} to {target}, outside the project",
                    fix="remove the symlink",
                )
        self._safe_folders.add(folder)
        return None
