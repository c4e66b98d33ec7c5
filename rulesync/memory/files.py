"""The only code that touches entry folders: atomic writes, deletes and scans, never via links.

A write goes to a temp file created exclusively (`O_CREAT | O_EXCL | O_NOFOLLOW`) in the
same folder, is flushed to disk, then renamed over the target: a reader (or a crash, even
SIGKILL) sees the old file or the new one, never half of one. The folder is opened once
with `O_NOFOLLOW` and every call is relative to that descriptor, so a folder swapped for a
symlink after the check is not followed either. An existing symlink, FIFO or other
non-regular file in the target's place is refused, never replaced.
"""

from __future__ import annotations

import errno
import os
import stat

TYPE_CHECKING = False  # not from typing: the post-write hook imports this module
if TYPE_CHECKING:
    from pathlib import Path
    from types import TracebackType

TEMP_SUFFIX = ".rulesync-tmp"
_DIR_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_NOFOLLOW", 0)
_NEW_FLAGS = (
    os.O_WRONLY
    | os.O_CREAT
    | os.O_EXCL
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_CLOEXEC", 0)
)
_READ_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_CLOEXEC", 0)
)


class UnsafeFile(OSError):
    """The target is a symlink or not a regular file: rulesync will not write through it."""


#: What freshness checks compare for one file: (mtime in ns, size in bytes). A plain tuple:
#: a search builds 10,000 of them.
Stamp = tuple[int, int]


def before_rename() -> None:
    """A no-op between writing the temp file and renaming it: tests kill the process here."""


def open_folder(folder: Path | str, *, create: bool) -> OpenFolder:
    """`with open_folder(…) as descriptor:` a descriptor of `folder` (created 0700 when
    asked), refusing a symlinked folder, closed on leaving the block."""
    return OpenFolder(folder, create=create)


class OpenFolder:
    """The context manager of `open_folder` (a class, not `contextlib`: the post-write hook
    would import it, with functools and collections, for this one `with`)."""

    __slots__ = ("_create", "_descriptor", "_folder")

    def __init__(self, folder: Path | str, *, create: bool) -> None:
        self._folder = folder
        self._create = create
        self._descriptor = -1

    def __enter__(self) -> int:
        if self._create:
            os.makedirs(self._folder, mode=0o700, exist_ok=True)
        try:
            self._descriptor = os.open(self._folder, _DIR_FLAGS)
        except OSError as error:
            if error.errno in (errno.ELOOP, errno.ENOTDIR):
                raise UnsafeFile(
                    errno.ELOOP, "the folder is a symlink or not a folder", str(self._folder)
                ) from None
            raise
        return self._descriptor

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        os.close(self._descriptor)
        self._descriptor = -1


def write_atomic(folder: int, name: str, data: bytes, *, display: str) -> None:
    """Replace `name` in the open folder with `data`, all or nothing."""
    _refuse_unsafe(folder, name, display)
    temp = f".{name}.{os.urandom(6).hex()}{TEMP_SUFFIX}"
    descriptor = os.open(temp, _NEW_FLAGS, 0o600, dir_fd=folder)
    try:
        try:
            _write_all(descriptor, data)
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
        before_rename()
        os.replace(temp, name, src_dir_fd=folder, dst_dir_fd=folder)
    except BaseException:
        _unlink_quietly(folder, temp)
        raise
    os.fsync(folder)


def read_file(folder: int, name: str, limit: int, *, display: str) -> bytes | None:
    """The bytes of regular file `name`, None when absent; a symlink or FIFO is refused."""
    from rulesync.regular_file import read_regular_fd

    try:
        descriptor = os.open(name, _READ_FLAGS, dir_fd=folder)
    except FileNotFoundError:
        return None
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise UnsafeFile(errno.ELOOP, "it is a symlink", display) from None
        raise
    try:
        return read_regular_fd(descriptor, limit)
    finally:
        os.close(descriptor)


def delete(folder: int, name: str, *, display: str) -> None:
    _refuse_unsafe(folder, name, display)
    os.unlink(name, dir_fd=folder)
    os.fsync(folder)


def scan(folder: Path) -> dict[str, Stamp]:
    """The `*.md` entry files of `folder` (not MEMORY.md, not hidden, not links), or {}."""
    found: dict[str, Stamp] = {}
    try:
        with os.scandir(folder) as listing:
            for item in listing:
                name = item.name
                if name.startswith(".") or not name.endswith(".md") or name == "MEMORY.md":
                    continue
                status = item.stat(follow_symlinks=False)
                if stat.S_ISREG(status.st_mode):
                    found[name] = (status.st_mtime_ns, status.st_size)
    except (FileNotFoundError, NotADirectoryError):
        return {}
    return found


def leftover_temps(folder: int) -> list[str]:
    return [name for name in os.listdir(folder) if name.endswith(TEMP_SUFFIX) and name[:1] == "."]


def check_writable(path: Path) -> None:
    """Raise UnsafeFile when `path` exists and is not a regular file (a symlink, a FIFO)."""
    parent = path.parent
    if not parent.exists():
        return
    with open_folder(parent, create=False) as descriptor:
        _refuse_unsafe(descriptor, path.name, str(path))


def _refuse_unsafe(folder: int, name: str, display: str) -> None:
    try:
        status = os.stat(name, dir_fd=folder, follow_symlinks=False)
    except FileNotFoundError:
        return
    if not stat.S_ISREG(status.st_mode):
        from rulesync.regular_file import kind_of

        raise UnsafeFile(
            errno.EEXIST,
            f"it is {kind_of(status.st_mode)}; rulesync writes only regular files",
            display,
        )


def _write_all(descriptor: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(descriptor, view) :]


def _unlink_quietly(folder: int, name: str) -> None:
    try:  # noqa: SIM105 - contextlib.suppress would cost the post-write hook its import
        os.unlink(name, dir_fd=folder)
    except OSError:
        pass
