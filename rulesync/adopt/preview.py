"""Render the source `import` would write, without writing it, and compare with the disk.

The staged source (with rulesync.yaml and the source files already there) is copied into a
temporary folder and rendered there, so `--dry-run` and the report before any write are exact.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from rulesync.errors import ConfigError, Problem, RulesyncError, UnsafePathError
from rulesync.render.outputs import Output, Warning
from rulesync.source.config import CONFIG_NAME
from rulesync.sync.lock import LOCK_NAME, Lock, digest
from rulesync.sync.safety import PathGuard

from .jsrulesync import BACKUP_FOLDER
from .sourcefile import SourceFile

#: identical: adopted as is · rewrite: import writes it (its content is in the source) ·
#: create / update / conflict: what the next `rulesync mirror` does with it.
OutputAction = Literal["identical", "rewrite", "create", "update", "conflict"]


@dataclass(frozen=True)
class OutputPreview:
    path: str
    action: OutputAction
    current: bytes | None
    wanted: bytes
    source: str


@dataclass(frozen=True)
class Preview:
    outputs: tuple[OutputPreview, ...]
    warnings: tuple[Warning, ...]


def preview_outputs(
    root: Path,
    source: str,
    staged: Sequence[SourceFile],
    consumed: Collection[str],
    lock: Lock,
    links: Collection[str] = (),
) -> Preview:
    """What mirror would render from the staged source, compared with the disk and the lock.
    Outputs at or below a symlink that import replaces (`links`) are not refused for it."""
    outputs, warnings = _render_staged(root, source, staged)
    guard = PathGuard(root, source)
    replaced = frozenset(links)
    unsafe = [
        p
        for o in outputs
        if not _below_any(o.path, replaced) and (p := guard.problem(o.path, o.source)) is not None
    ]
    if unsafe:
        raise UnsafePathError(unsafe)
    previews = tuple(_classify(root, output, consumed, lock) for output in outputs)
    return Preview(previews, warnings)


def _below_any(path: str, links: Collection[str]) -> bool:
    """Is `path`, or a folder above it, one of `links`? (A set lookup per folder.)"""
    parts = path.split("/")
    return any("/".join(parts[:end]) in links for end in range(1, len(parts) + 1))


def _render_staged(
    root: Path, source: str, staged: Sequence[SourceFile]
) -> tuple[tuple[Output, ...], tuple[Warning, ...]]:
    from rulesync.render.build import build_outputs
    from rulesync.source.config import load_config
    from rulesync.source.loader import load_project

    with tempfile.TemporaryDirectory(prefix="rulesync-import-") as folder:
        stage = Path(folder)
        _copy_existing(root, stage, source)
        for file in staged:
            _stage_file(stage, file)
        try:
            config = load_config(stage)
            build = build_outputs(load_project(stage, config), config.targets)
        except ConfigError as error:
            raise _from_import(error, staged) from None
    return build.outputs, build.warnings


def _stage_file(stage: Path, file: SourceFile) -> None:
    target = stage / file.path
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(file.content)
    except OSError as error:  # the existing source has a folder or a file in the way
        raise RulesyncError(
            [
                Problem(
                    file.path,
                    f"cannot be imported from {file.origin}: {error.strerror} in the existing source",
                    fix="move the file or folder that is in the way, then import again",
                )
            ]
        ) from None


def _copy_existing(root: Path, stage: Path, source: str) -> None:
    """Copy rulesync.yaml and the source into the stage, reading each real folder once.

    Links are followed only while they stay inside the project, as the loader does; a link
    that leaves, dangles or loops is refused here, before anything is written anywhere.
    """
    config = root / CONFIG_NAME
    if config.is_file() and not config.is_symlink():
        shutil.copyfile(config, stage / CONFIG_NAME)
    top = root / source
    if top.is_dir():
        _copy_tree(root.resolve(), top, stage / source)


def _copy_tree(root: Path, top: Path, destination: Path) -> None:
    seen = {os.path.realpath(top)}
    pending = [(top, destination)]
    while pending:
        folder, target = pending.pop()
        target.mkdir(parents=True, exist_ok=True)
        for entry in sorted(os.scandir(folder), key=lambda e: e.name):
            if entry.name in (LOCK_NAME, BACKUP_FOLDER):
                continue
            path = Path(entry.path)
            real = _real_inside(root, path) if entry.is_symlink() else os.path.realpath(path)
            if entry.is_dir():
                if real in seen or any(real == s or s.startswith(real + os.sep) for s in seen):
                    raise _link_problem(
                        root, path, "leads to a folder that is read already (a loop)"
                    )
                seen.add(real)
                pending.append((path, target / entry.name))
            elif entry.is_file():
                shutil.copyfile(real, target / entry.name)


def _real_inside(root: Path, path: Path) -> str:
    real = os.path.realpath(path)
    if not os.path.exists(real):
        raise _link_problem(root, path, "points at nothing")
    if not real.startswith(str(root) + os.sep):
        raise _link_problem(root, path, f"leads outside the project (to {os.readlink(path)})")
    return real


def _link_problem(root: Path, path: Path, why: str) -> RulesyncError:
    shown = os.path.relpath(path, root)
    return RulesyncError(
        [Problem(shown, f"is a symlink that {why}", fix="remove the link, then import again")]
    )


def _from_import(error: ConfigError, staged: Sequence[SourceFile]) -> RulesyncError:
    """Name the agent file each problem comes from: the source file does not exist yet."""
    origins = {file.path: file.origin for file in staged}
    problems = [
        p.replace(message=f"{p.message} (imported from {origins[p.path]})")
        if p.path in origins
        else p
        for p in error.problems
    ]
    summary = Problem(
        "import",
        "the imported source would not be valid; nothing was written",
        fix="fix the agent files named above and run the import again",
    )
    return RulesyncError([*problems, summary])


def _classify(root: Path, output: Output, consumed: Collection[str], lock: Lock) -> OutputPreview:
    path = root / output.path
    current = path.read_bytes() if path.is_file() else None
    wanted = output.wanted(current)

    def preview(action: OutputAction) -> OutputPreview:
        return OutputPreview(output.path, action, current, wanted, output.source)

    if current is not None and _same(current, wanted):
        return preview("identical")
    if output.path in consumed and output.mode == "owned":
        return preview("rewrite")
    if current is None:
        return preview("create")
    entry = lock.files.get(output.path)
    if output.mode == "merged" or (entry is not None and digest(current) == entry.sha256):
        return preview("update")
    return preview("conflict")


def _same(current: bytes, wanted: bytes) -> bool:
    return current == wanted or current.replace(b"\r\n", b"\n") == wanted
