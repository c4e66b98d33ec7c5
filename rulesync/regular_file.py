"""Read a file only when it is a regular file, without blocking, and only as much as allowed.

One reader for everything rulesync reads from a project it does not trust: the lint and the
memory (which follow a symlink at the path), and mirror, check and import (`follow=False`:
a symlink at the path is reported, never followed; see rulesync.sync.safety.read_regular).

A path handed to rulesync may name a FIFO (opening it for reading waits for a writer for
ever), `/dev/zero` (endless), a socket or a terminal. The type is checked with `stat` (or
`lstat`) before the file is opened, so such a file is never opened; it is opened with
O_NONBLOCK and O_NOCTTY all the same (and O_NOFOLLOW when not following), and checked again
with `fstat` on the open descriptor, in case the path was swapped in between. The size is
checked before reading and bounded while reading (a file may grow).
"""

from __future__ import annotations

import errno
import os
import stat

_CHUNK = 1 << 20
_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_CLOEXEC", 0)
)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


class NotARegularFile(OSError):
    """The path names a FIFO, socket, device, directory or (not followed) a symlink; `kind`
    says which: "a FIFO", "a symlink (to x)", …."""

    def __init__(self, kind: str) -> None:
        super().__init__(f"it is {kind}, not a regular file")
        self.kind = kind


class TooLarge(OSError):
    """The file holds more than the caller's limit of bytes."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"it is larger than {limit} bytes")
        self.limit = limit


def kind_of(mode: int) -> str:
    """What a file of this `st_mode` is, for messages: "a FIFO", "a directory", …."""
    kinds = (
        (stat.S_ISDIR, "a directory"),
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISLNK, "a symlink"),
        (stat.S_ISREG, "a regular file"),
    )
    return next((name for test, name in kinds if test(mode)), "of an unknown kind")


def read_regular(
    path: str | os.PathLike[str], limit: int | None = None, *, follow: bool = True
) -> bytes:
    """The bytes of the regular file at `path`; a symlink at the path is followed unless
    `follow` is False (then it is a NotARegularFile, "a symlink (to x)").

    Raises NotARegularFile, TooLarge (more than `limit` bytes), or the OSError of the call
    that failed. A path with a NUL character in it raises FileNotFoundError.
    """
    descriptor = open_regular(path, limit, follow=follow)
    try:
        return _read_bounded(descriptor, limit)
    finally:
        os.close(descriptor)


def open_regular(
    path: str | os.PathLike[str], limit: int | None = None, *, follow: bool = True
) -> int:
    """A read-only descriptor of the regular file at `path` (the caller closes it), checked
    as `read_regular` checks it; raises what `read_regular` raises."""
    try:
        before = os.stat(path) if follow else os.lstat(path)
    except ValueError:  # an embedded NUL: no file can have that name
        raise FileNotFoundError(f"no such file: {path!r}") from None
    if stat.S_ISLNK(before.st_mode):
        raise _symlink(path)
    _check(before, limit)
    try:
        descriptor = os.open(path, _OPEN_FLAGS if follow else _OPEN_FLAGS | _NOFOLLOW)
    except OSError as error:
        if not follow and error.errno in (errno.ELOOP, errno.EMLINK) and os.path.islink(path):
            raise _symlink(path) from None  # swapped for a link since the lstat
        raise
    try:
        _check(os.fstat(descriptor), limit)
    except BaseException:
        os.close(descriptor)
        raise
    return descriptor


def read_regular_fd(descriptor: int, limit: int | None = None) -> bytes:
    """Like `read_regular` for a descriptor the caller opened (and closes)."""
    _check(os.fstat(descriptor), limit)
    return _read_bounded(descriptor, limit)


def _symlink(path: str | os.PathLike[str]) -> NotARegularFile:
    try:
        return NotARegularFile(f"a symlink (to {os.readlink(path)})")
    except OSError:  # gone or replaced since: still not a file to read
        return NotARegularFile("a symlink")


def _check(status: os.stat_result, limit: int | None) -> None:
    if not stat.S_ISREG(status.st_mode):
        raise NotARegularFile(kind_of(status.st_mode))
    if limit is not None and status.st_size > limit:
        raise TooLarge(limit)


def _read_bounded(descriptor: int, limit: int | None) -> bytes:
    chunks: list[bytes] = []
    total = 0
    while True:
        want = _CHUNK if limit is None else min(_CHUNK, limit + 1 - total)
        chunk = os.read(descriptor, want)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        total += len(chunk)
        if limit is not None and total > limit:
            raise TooLarge(limit)
