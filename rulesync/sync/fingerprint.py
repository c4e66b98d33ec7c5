"""A fingerprint of everything rendering reads, so an unchanged project skips rendering.

Rendering is deterministic, so the same inputs give the same bytes: when the fingerprint and
every file on disk match the lock, there is nothing to render, and jinja2 is never imported.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from rulesync import __version__
from rulesync.render.templates import templates_dir
from rulesync.source.config import Config
from rulesync.source.raw_read import read_bytes
from rulesync.sync.lock import LOCK_NAME

#: Subpackages that play no part in rendering: editing them keeps the fast path.
NOT_RENDERING = frozenset({"dispatch", "adopt", "commands", "__pycache__"})


def inputs_fingerprint(config: Config, targets: Sequence[str]) -> str:
    """The config, every source file (path and bytes), the targets and our own code."""
    hasher = hashlib.sha256()
    hasher.update(f"{__version__}\0{','.join(targets)}\0{_code_fingerprint()}\0".encode())
    hasher.update(_read(str(config.path)))
    lock = os.path.join(str(config.source_dir), LOCK_NAME)
    prefix = len(str(config.root)) + 1
    for source in _sources(config):
        for path in _files_below(source, skip=frozenset({"__pycache__"}), fence=str(config.root)):
            if path != lock:
                hasher.update(b"\0" + path[prefix:].encode() + b"\0")
                hasher.update(_read(path).replace(b"\r\n", b"\n"))
    return hasher.hexdigest()


def _sources(config: Config) -> list[str]:
    """The source folder, and those of the monorepo's packages (rulesync.source.packages)."""
    if not config.packages:
        return [str(config.source_dir)]
    from rulesync.source.packages import package_sources

    return [str(config.source_dir), *(str(config.root / s) for s in package_sources(config))]


@cache
def _code_fingerprint() -> str:
    """Our rendering code and templates, by relative name and content.

    A changed renderer must not reuse an old lock. The lock is committed, so this must be the
    same on every machine for the same code: no absolute paths, no modification times.
    """
    package = Path(__file__).resolve().parent.parent
    roots = {"rulesync": package, "lints": package.parent / "lints", "templates": templates_dir()}
    hasher = hashlib.sha256()
    for label, root in roots.items():
        start = len(str(root)) + 1
        for path in _files_below(str(root), skip=NOT_RENDERING):
            if path.endswith((".py", ".j2")):
                hasher.update(f"{label}/{path[start:]}\0".encode() + _read(path) + b"\0")
    return hasher.hexdigest()


def _files_below(
    root: str, *, skip: frozenset[str], fence: str | None = None, seen: set[str] | None = None
) -> list[str]:
    """Every file below `root`, sorted; folders named in `skip` are left out.

    With a `fence`, a symlinked folder that stays inside it is walked too, each real folder
    once, as the loader reads it (links that leave, or loop, are the loader's errors).
    """
    found: list[str] = []
    seen = seen if seen is not None else {os.path.realpath(root)}
    try:
        entries = sorted(os.scandir(root), key=lambda e: e.name)
    except (FileNotFoundError, NotADirectoryError):
        return found
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            if entry.name not in skip:
                found.extend(_files_below(entry.path, skip=skip, fence=fence, seen=seen))
        elif entry.is_file():
            found.append(entry.path)
        elif fence is not None and entry.is_dir() and _new_inside(entry.path, fence, seen):
            found.extend(_files_below(entry.path, skip=skip, fence=fence, seen=seen))
    return found


def _new_inside(folder: str, fence: str, seen: set[str]) -> bool:
    real = os.path.realpath(folder)
    fence = os.path.realpath(fence)
    if real in seen or not real.startswith(fence + os.sep):
        return False
    seen.add(real)
    return True


def _read(path: str) -> bytes:
    try:
        return read_bytes(path)
    except FileNotFoundError:
        return b""
