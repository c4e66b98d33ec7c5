"""Symlinks that import replaces: `CLAUDE.md -> AGENTS.md`, `.claude/commands/git -> …`.

mirror never writes through a symlink. When the user imports, the text read through a link
is now in the source, so import replaces the link itself with real files: a file link becomes
a regular file holding the same bytes (then rewritten as mirror renders it), a folder link
becomes a real folder holding copies of the same files. The link's target is never written,
moved or deleted. Every link is checked again right before it is replaced: it must still be a
symlink, inside the project, to something inside the project.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable
from pathlib import Path

from rulesync.errors import Problem, RulesyncError

from .base import ImportContext

#: The context files mirror writes, which a project often links to each other.
CONTEXT_FILES = ("CLAUDE.md", "GEMINI.md", "AGENTS.md")


def adopt_context_links(ctx: ImportContext, relative: str) -> bool:
    """Before `relative` (a context file) is imported: False (after an error) when it is a link
    out of the project. Otherwise every context file that is the same file (`CLAUDE.md` and
    `GEMINI.md` both linked to `AGENTS.md`) is taken over by the import, and the links among
    them are marked for replacement, with a warning that says so."""
    path = ctx.root / relative
    if path.is_symlink() and not inside(ctx.root, path):
        ctx.fail(
            Problem(
                relative,
                f"is a symlink to {path.resolve()}, outside the project; nothing was imported",
                fix="copy the file into the project in place of the link, then import again",
            )
        )
        return False
    real = path.resolve()
    same = [
        n for n in CONTEXT_FILES if (ctx.root / n).exists() and (ctx.root / n).resolve() == real
    ]
    links = [n for n in same if (ctx.root / n).is_symlink()]
    for name in same:
        ctx.consume(name, name if name in links else None)
    if links:
        shared = ctx.display(real) if ctx.root in real.parents else str(real)
        ctx.warn(
            relative,
            f"{' and '.join(links)} {'is a symlink' if len(links) == 1 else 'are symlinks'} to "
            f"{shared}: the shared text is imported once, and import replaces "
            f"{'the link' if len(links) == 1 else 'each link'} with its own rendered file "
            "(nothing is written through a link)",
        )
    return True


def inside(root: Path, link: Path) -> bool:
    resolved = link.resolve()
    return resolved == root or root in resolved.parents


def check_links(root: Path, links: Iterable[str]) -> None:
    """Before anything is written: every folder link can be replaced by a copy that holds
    nothing from outside the project. Raises RulesyncError."""
    for relative in sorted(set(links)):
        path = root / relative
        _recheck(root, path, relative)
        if path.is_dir():
            _check_inner_links(root, path, relative)


def replace_links(root: Path, links: Iterable[str]) -> tuple[str, ...]:
    """Replace each link with a real file or folder holding what it showed. Outer links first;
    a link below one already replaced was copied with it. Returns the links replaced."""
    done: set[str] = set()
    for relative in sorted(set(links), key=lambda p: (p.count("/"), p)):
        parts = relative.split("/")
        if any("/".join(parts[:end]) in done for end in range(1, len(parts))):
            continue  # copied with the folder link above it
        path = root / relative
        _recheck(root, path, relative)
        if path.is_dir():
            _check_inner_links(root, path, relative)
            _replace_folder_link(path)
        else:
            _replace_file_link(path)
        done.add(relative)
    return tuple(sorted(done))


def _recheck(root: Path, path: Path, relative: str) -> None:
    if not path.is_symlink() or not path.exists() or not inside(root, path):
        raise RulesyncError(
            [
                Problem(
                    relative,
                    "changed while import ran (no longer a symlink inside the project)",
                    fix="run the import again",
                )
            ]
        )


def _check_inner_links(root: Path, folder: Path, relative: str) -> None:
    """The copy follows links inside the folder: each must stay inside the project, and a
    loop is refused, before anything is changed."""
    seen = {folder.resolve()}
    for current, dirs, files in os.walk(folder, followlinks=True):
        for name in [*dirs, *files]:
            entry = Path(current) / name
            if entry.is_symlink() and entry.exists() and not inside(root, entry):
                shown = entry.relative_to(root).as_posix()
                raise RulesyncError(
                    [
                        Problem(
                            shown,
                            f"is a symlink to {entry.resolve()}, outside the project; "
                            f"{relative} cannot be replaced by a copy, so nothing was imported",
                            fix="copy what it points to into the project, then import again",
                        )
                    ]
                )
        for name in list(dirs):
            real = (Path(current) / name).resolve()
            if real in seen or real in Path(current).resolve().parents:
                shown = (Path(current) / name).relative_to(root).as_posix()
                raise RulesyncError(
                    [
                        Problem(
                            shown,
                            f"loops back; {relative} cannot be replaced by a copy, so nothing "
                            "was imported",
                            fix="remove the looping link, then import again",
                        )
                    ]
                )
            seen.add(real)


def _temporary(path: Path) -> Path:
    """A name of the writers' temp pattern beside `path`, so the stale-temp cleanup knows it."""
    from rulesync.sync.atomic import temp_name

    return path.with_name(temp_name(path.name))


def _replace_file_link(path: Path) -> None:
    """A regular file with the same bytes takes the link's place in one rename; the rename
    replaces the link entry itself, never its target (rulesync.sync.atomic)."""
    from rulesync.sync.atomic import replace_in

    content = path.read_bytes()
    folder = os.open(path.parent, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        replace_in(folder, path.name, content)
    finally:
        os.close(folder)


def _replace_folder_link(path: Path) -> None:
    """A copy of the folder is made beside the link, then the link is removed and the copy
    renamed into its place. Links inside the copied folder are copied as what they show."""
    temporary = _temporary(path)
    shutil.copytree(path, temporary, symlinks=False, ignore_dangling_symlinks=True)
    try:
        os.unlink(path)  # the link only: unlink never follows it
        os.rename(temporary, path)
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise
