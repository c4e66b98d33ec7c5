"""What a folder holds, links not followed: the safety tests compare it before and after."""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path


def tree_state(folder: Path) -> dict[str, tuple[object, ...]]:
    """Every entry below `folder`: kind, content hash or link text, and mode."""
    found: dict[str, tuple[object, ...]] = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in (*dirnames, *filenames):
            path = Path(dirpath) / name
            status = os.lstat(path)
            key = path.relative_to(folder).as_posix()
            if stat.S_ISLNK(status.st_mode):
                found[key] = ("link", os.readlink(path))
            elif stat.S_ISREG(status.st_mode):
                found[key] = ("file", hashlib.sha256(path.read_bytes()).hexdigest(), status.st_mode)
            else:
                found[key] = ("other", status.st_mode)
    return found
