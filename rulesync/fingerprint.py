"""A fingerprint of everything rendering reads, so an unchanged project skips rendering.

Rendering is deterministic, so the same inputs give the same bytes: when the fingerprint and
every file on disk match the lock, there is nothing to render, and jinja2 is never imported.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path

from rulesync import __version__
from rulesync.config import Config
from rulesync.lock import LOCK_NAME
from rulesync.render import templates_dir


#: Subpackages that play no part in rendering: editing them keeps the fast path.
NOT_RENDERING = frozenset({"dispatch", "adopt", "commands"})


def inputs_fingerprint(config: Config, targets: Sequence[str]) -> str:
    hasher = hashlib.sha256()
    hasher.update(f"{__version__}\0{','.join(targets)}\0{_code_fingerprint()}\0".encode())
    hasher.update(config.path.read_bytes() if config.path.is_file() else b"")
    for path in _files_below(config.source_dir):
        if path.name == LOCK_NAME and path.parent == config.source_dir:
            continue
        hasher.update(b"\0" + path.relative_to(config.root).as_posix().encode() + b"\0")
        hasher.update(path.read_bytes())
    return hasher.hexdigest()


@cache
def _code_fingerprint() -> str:
    """Our own code and templates: a changed renderer must not reuse an old lock."""
    package = Path(__file__).resolve().parent
    roots = [package, package.parent / "lints", templates_dir()]
    hasher = hashlib.sha256()
    for root in roots:
        for path in _files_below(root):
            if package in path.parents and path.relative_to(package).parts[0] in NOT_RENDERING:
                continue
            if path.suffix in (".py", ".j2"):
                hasher.update(path.name.encode() + b"\0" + path.read_bytes())
    return hasher.hexdigest()


def _files_below(root: Path) -> Iterable[Path]:
    found: list[Path] = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        found.extend(Path(folder) / name for name in files)
    return sorted(found)
