"""One atomic writer: walk to the folder holding each one open, then a temp file and a rename.

The folder is reached from a root one name at a time with O_NOFOLLOW, holding each folder open,
so a folder symlink anywhere on the way (or a file where a folder should be) is found and
refused, and no folder can be swapped for a link behind our back: every later call is made
relative to the descriptor (`*at` calls). The new bytes go to a temp file created exclusively
(O_CREAT|O_EXCL|O_NOFOLLOW) under an unpredictable name beside the target,
`.NAME.rulesync-XXXXXXXX.tmp`, which is then renamed over it: a reader sees the old bytes or
the new, never half of them.

Every writer of rulesync uses this temp name (`TEMP_NAME`), so the stale-temp cleanup in
rulesync.sync.writer knows what an interrupted run of any of them left behind.

A platform without the `*at` calls (Windows) gets the same steps by path (`make_folders`,
`replace_at`): each folder is checked with lstat on the way, which cannot hold it against a
swap, but refuses every link and file found there.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
from collections.abc import Callable, Sequence
from pathlib import Path

#: The temp files of every writer; the digits form is what versions before 0.x left.
TEMP_NAME = re.compile(r"\..+\.rulesync-(?:[0-9a-f]{8}|[0-9]{1,10})\.tmp", re.DOTALL)
NAME_MAX = 255
_TEMP_EXTRA = len(".") + len(".rulesync-") + 8 + len(".tmp")

_DIR_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_TEMP_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | getattr(os, "O_CLOEXEC", 0)


class Blocked(Exception):
    """Something other than a real folder on the way: `parts` of the walk up to it (from the
    root), and what it is ("a symlink", "a FIFO", …)."""

    def __init__(self, parts: Sequence[str], kind: str) -> None:
        super().__init__(f"{'/'.join(parts)} is {kind}")
        self.parts = tuple(parts)
        self.kind = kind


_HAS_DIR_FD_CALLS = all(
    call in os.supports_dir_fd for call in (os.open, os.stat, os.rename, os.unlink, os.mkdir)
)


def has_dir_fd_calls() -> bool:
    """The `*at` calls the walk needs (POSIX), as the platform has them when rulesync starts."""
    return _HAS_DIR_FD_CALLS


def open_folder(root: str | os.PathLike[str], parts: Sequence[str], *, create: bool) -> int:
    """The folder `root/parts…`, open, reached without following a link; missing folders are
    made when `create`. Raises Blocked, or the OSError of the call that failed (a missing
    folder without `create`: FileNotFoundError). The caller closes the descriptor."""
    folder = os.open(root, _DIR_FLAGS)
    try:
        for depth, name in enumerate(parts, start=1):
            child = _enter(folder, name, parts[:depth], create)
            os.close(folder)
            folder = child
    except BaseException:
        with contextlib.suppress(OSError):
            os.close(folder)
        raise
    return folder


class FolderChain:
    """The folders from a root down to the last one asked for, held open, for many writes.

    `open(parts)` keeps the folders it shares with the previous call and walks (as
    `open_folder` does: one name at a time, O_NOFOLLOW, each checked to be a real folder) only
    the rest, so writing a sorted list of files walks each folder once, not once per file. At
    most one descriptor per level is held. The descriptors are the chain's: close the chain
    (or leave its `with` block), never a descriptor it returned.
    """

    def __init__(self, root: str | os.PathLike[str], *, create: bool) -> None:
        self._root = root
        self._create = create
        self._names: list[str] = []
        self._descriptors: list[int] = []  # [root, root/names[0], root/names[0]/names[1], …]

    def open(self, parts: Sequence[str]) -> int:
        """The folder `root/parts…`, open; raises as `open_folder` does."""
        if not self._descriptors:
            self._descriptors.append(os.open(self._root, _DIR_FLAGS))
        shared = 0
        limit = min(len(parts), len(self._names))
        while shared < limit and self._names[shared] == parts[shared]:
            shared += 1
        self._close_below(shared)
        for depth in range(shared, len(parts)):
            child = _enter(self._descriptors[-1], parts[depth], parts[: depth + 1], self._create)
            self._descriptors.append(child)
            self._names.append(parts[depth])
        return self._descriptors[-1]

    def close(self) -> None:
        self._close_below(0)
        while self._descriptors:
            with contextlib.suppress(OSError):
                os.close(self._descriptors.pop())

    def __enter__(self) -> FolderChain:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _close_below(self, depth: int) -> None:
        """Keep the root and the first `depth` folders; close the deeper ones."""
        while len(self._names) > depth:
            self._names.pop()
            with contextlib.suppress(OSError):
                os.close(self._descriptors.pop())


def _enter(parent: int, name: str, walked: Sequence[str], create: bool) -> int:
    from rulesync.regular_file import kind_of

    if create:
        with contextlib.suppress(FileExistsError):
            os.mkdir(name, 0o777, dir_fd=parent)
    status = os.stat(name, dir_fd=parent, follow_symlinks=False)
    if not stat.S_ISDIR(status.st_mode):
        raise Blocked(walked, kind_of(status.st_mode))
    try:
        return os.open(name, _DIR_FLAGS | _NOFOLLOW, dir_fd=parent)
    except OSError as error:
        if error.errno in (errno.ELOOP, errno.ENOTDIR):  # swapped for a link since the stat
            raise Blocked(walked, "a symlink") from None
        raise


def temp_name(name: str) -> str:
    """`.NAME.rulesync-XXXXXXXX.tmp`, the name cut so that the whole stays within NAME_MAX."""
    stem = name[: NAME_MAX - _TEMP_EXTRA]
    while len(os.fsencode(stem)) > NAME_MAX - _TEMP_EXTRA:  # multi-byte characters
        stem = stem[:-1]
    return f".{stem}.rulesync-{os.urandom(4).hex()}.tmp"


def replace_in(
    folder: int,
    name: str,
    data: bytes,
    *,
    mode: int | None = None,
    create_mode: int = 0o666,
    fsync: bool = False,
    before_rename: Callable[[], None] | None = None,
) -> None:
    """Write `data` to a temp file in `folder` and rename it over `name` (a file, or a link
    whose entry is replaced, never its target). `mode`: set on the temp file (a replaced
    file keeps its own); otherwise `create_mode` less the umask. `before_rename` may check
    that the target is still what the caller read, and raise."""
    temp, descriptor = _create_temp(folder, name, create_mode)
    try:
        try:
            _fill(descriptor, data, mode, fsync)
        finally:
            os.close(descriptor)
        if before_rename is not None:
            before_rename()
        os.rename(temp, name, src_dir_fd=folder, dst_dir_fd=folder)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp, dir_fd=folder)
        raise


def _create_temp(folder: int, name: str, create_mode: int) -> tuple[str, int]:
    for _attempt in range(100):
        temp = temp_name(name)
        try:
            return temp, os.open(temp, _TEMP_FLAGS, create_mode, dir_fd=folder)
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free temp file name", name)


def _fill(descriptor: int, data: bytes, mode: int | None, fsync: bool) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(descriptor, view) :]
    if mode is not None:
        os.fchmod(descriptor, stat.S_IMODE(mode))
    if fsync:
        os.fsync(descriptor)


# --- by path, where the `*at` calls are missing ---------------------------------------------


def make_folders(root: Path, parts: Sequence[str]) -> None:
    """Make `root/parts…`, each folder a real one (lstat-checked). Raises Blocked."""
    from rulesync.regular_file import kind_of

    current = root
    for depth, name in enumerate(parts, start=1):
        current = current / name
        with contextlib.suppress(FileExistsError):
            os.mkdir(current)
        status = os.lstat(current)
        if not stat.S_ISDIR(status.st_mode):
            raise Blocked(parts[:depth], kind_of(status.st_mode))


def replace_at(
    path: Path, data: bytes, *, mode: int | None = None, create_mode: int = 0o666
) -> None:
    """`replace_in` by path: a temp file of the same pattern beside `path`, renamed over it."""
    for _attempt in range(100):
        temp = path.with_name(temp_name(path.name))
        try:
            descriptor = os.open(temp, _TEMP_FLAGS, create_mode)
            break
        except FileExistsError:
            continue
    else:
        raise FileExistsError(errno.EEXIST, "no free temp file name", str(path))
    try:
        try:
            _fill(descriptor, data, mode, fsync=False)
        finally:
            os.close(descriptor)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
