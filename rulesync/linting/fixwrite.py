"""Rewrite one file of the project for `lint --fix`: never through a link, never half-done.

The path is walked from the project root one folder at a time with O_NOFOLLOW, holding each
folder open, so a folder symlink anywhere in the path, or a `..` that climbs out, is found
and refused, and no folder can be swapped for a link behind our back. The file itself must
be a regular file (not a symlink, FIFO or device). The new text goes to a temp file with an
unpredictable name, created exclusively (O_CREAT|O_EXCL|O_NOFOLLOW) in the same folder with
the file's mode, and is renamed over the file: a reader sees the old text or the new, and a
file hard-linked elsewhere keeps its old text there.

The walk and the write are rulesync's one atomic writer (rulesync.sync.atomic), shared with
mirror: it works on folder descriptors, so it needs `*at` calls (POSIX). Where they are
missing, nothing is fixed and the file is reported.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import NamedTuple

from rulesync.regular_file import kind_of, read_regular_fd
from rulesync.sync import atomic

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_READ_FLAGS = os.O_RDONLY | _NOFOLLOW | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)


class NotFixable(Exception):
    """The file may be linted but not rewritten; `reason` says why, for the report."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class FixTarget(NamedTuple):
    """A regular file inside the project, reached without links, and its folder held open."""

    folder: int  # descriptor of the file's folder
    name: str
    data: bytes
    status: os.stat_result

    def replace(self, data: bytes) -> None:
        """Write `data` to a temp file beside the file, with its mode, and rename it over."""

        def unchanged() -> None:
            _check_unchanged(self.folder, self.name, self.status)

        atomic.replace_in(
            self.folder,
            self.name,
            data,
            mode=self.status.st_mode,
            create_mode=0o600,
            fsync=True,
            before_rename=unchanged,
        )

    def close(self) -> None:
        os.close(self.folder)


def open_for_fix(root: Path, path: Path) -> FixTarget:
    """The file at `path` (relative to `root`, or absolute inside it), read for fixing.

    Raises NotFixable when it is outside the project, reached through a symlink, or not a
    regular file; OSError when it cannot be read. The caller closes the result.
    """
    if not atomic.has_dir_fd_calls():
        raise NotFixable("this platform cannot rewrite it safely (no *at system calls)")
    folders, name = _components(root, path)
    try:
        folder = atomic.open_folder(root, folders, create=False)
    except atomic.Blocked as blocked:
        where = blocked.parts[-1]
        if blocked.kind == "a symlink":
            raise NotFixable(f"its folder `{where}` is a symlink") from None
        raise NotFixable(f"`{where}` in its path is {blocked.kind}, not a folder") from None
    try:
        return _read_target(folder, name)
    except BaseException:
        os.close(folder)
        raise


def _components(root: Path, path: Path) -> tuple[list[str], str]:
    full = os.path.normpath(path if path.is_absolute() else root / path)
    inside = os.path.relpath(full, root)
    parts = inside.split(os.sep)
    if inside == os.curdir or parts[0] == os.pardir or os.path.isabs(inside):
        raise NotFixable("it is outside the project")
    return parts[:-1], parts[-1]


def _read_target(folder: int, name: str) -> FixTarget:
    status = os.stat(name, dir_fd=folder, follow_symlinks=False)
    if stat.S_ISLNK(status.st_mode):
        raise NotFixable("it is a symlink")
    if not stat.S_ISREG(status.st_mode):
        raise NotFixable(f"it is {kind_of(status.st_mode)}")
    try:
        descriptor = os.open(name, _READ_FLAGS, dir_fd=folder)
    except OSError as error:
        if error.errno == errno.ELOOP:  # swapped for a link since the stat
            raise NotFixable("it is a symlink") from None
        raise
    try:
        opened = os.fstat(descriptor)
        if (opened.st_dev, opened.st_ino) != (status.st_dev, status.st_ino):
            raise NotFixable("it changed while it was being read")
        return FixTarget(folder, name, read_regular_fd(descriptor), opened)
    finally:
        os.close(descriptor)


def _check_unchanged(folder: int, name: str, read: os.stat_result) -> None:
    now = os.stat(name, dir_fd=folder, follow_symlinks=False)
    if (now.st_dev, now.st_ino) != (read.st_dev, read.st_ino) or not stat.S_ISREG(now.st_mode):
        raise NotFixable("it changed while it was being fixed")
