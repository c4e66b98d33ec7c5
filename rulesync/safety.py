"""Outputs stay inside the project: no `..`, no absolute paths, no symlink that leads out."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from rulesync.errors import Problem


def path_problem(root: Path, relative: str, source: str) -> Problem | None:
    pure = PurePosixPath(relative)
    if pure.is_absolute() or ".." in pure.parts or not pure.parts:
        return Problem(
            source,
            f"output `{relative}` would be outside the project",
            fix="rename the source file",
        )
    current = root
    for part in pure.parts:
        current = current / part
        if current.is_symlink():
            target = current.resolve()
            if current.name == pure.name and current == root / relative:
                return Problem(
                    source,
                    f"output `{relative}` is a symlink (to {target}); rulesync will not write through it",
                    fix="remove the symlink",
                )
            if not (target == root or root in target.parents):
                return Problem(
                    source,
                    f"output `{relative}` would go through the symlink {current.relative_to(root)} to {target}, outside the project",
                    fix="remove the symlink",
                )
    return None
