"""Helpers for the adoption tests: hash a tree, run import → mirror → check."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any


def tree_hash(root: Path) -> dict[str, str]:
    """Every entry below `root` (links as links, not followed) with its content or target."""
    found: dict[str, str] = {}
    for folder, dirs, files in os.walk(root):
        for name in sorted(dirs + files):
            path = Path(folder) / name
            relative = path.relative_to(root).as_posix()
            if path.is_symlink():
                found[relative] = f"link:{os.readlink(path)}"
            elif path.is_file():
                found[relative] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def adopt(run_cli: Callable[..., Any], root: Path, agent: str) -> tuple[Any, Any, Any]:
    """import, then mirror, then check: the three results."""
    imported = run_cli("-C", root, "import", "--from", agent)
    mirrored = run_cli("-C", root, "mirror")
    checked = run_cli("-C", root, "check")
    return imported, mirrored, checked


def links_below(root: Path) -> list[str]:
    return sorted(
        (Path(f) / n).relative_to(root).as_posix()
        for f, dirs, files in os.walk(root)
        for n in dirs + files
        if (Path(f) / n).is_symlink()
    )
