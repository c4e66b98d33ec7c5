"""One lock file serialises every write to the memory (files, MEMORY.md and the index).

Twenty agents writing at once then queue for a few milliseconds each instead of racing, and
SQLite never has two writers to report "database is locked" about. The kernel drops the
lock when its holder dies, even by SIGKILL. Re-entrant within a process.
"""

from __future__ import annotations

import os

TYPE_CHECKING = False  # not from typing: the post-write hook takes this lock
if TYPE_CHECKING:
    from pathlib import Path
    from types import TracebackType

_FLAGS = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)


class WriteLock:
    """The memory's write lock at `path`; `with lock.held():` waits for it and holds it."""

    def __init__(self, path: Path | str) -> None:
        self.path = path
        self._depth = 0
        self._descriptor = -1

    def held(self) -> WriteLock:
        """`with lock.held():` the lock itself is the context manager (not `contextlib`: the
        post-write hook would import it, with functools and collections, for this `with`)."""
        return self

    def __enter__(self) -> None:
        if self._depth == 0:
            self._acquire()
        self._depth += 1

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._depth -= 1
        if self._depth == 0:
            os.close(self._descriptor)
            self._descriptor = -1

    def _acquire(self) -> None:
        import fcntl

        os.makedirs(os.path.dirname(self.path), mode=0o700, exist_ok=True)
        descriptor = os.open(self.path, _FLAGS, 0o600)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX)
        except BaseException:
            os.close(descriptor)
            raise
        self._descriptor = descriptor
