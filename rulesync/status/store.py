"""Small JSON files in the user's state folder, never in the project.

The folder is `$RULESYNC_STATE_DIR` (tests), else `$XDG_STATE_HOME/rulesync`, else
`~/.local/state/rulesync`: the same folder as dispatch's run log (rulesync.dispatch.state),
found here with os.path alone so a status line does not import pathlib.
"""

from __future__ import annotations

import os

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping

#: Larger files are not ours (or are damaged): they are ignored, never read whole.
MAX_BYTES = 256 * 1024


def state_dir(environ: Mapping[str, str]) -> str:
    chosen = environ.get("RULESYNC_STATE_DIR")
    if chosen:
        return chosen
    base = environ.get("XDG_STATE_HOME") or os.path.join(
        environ.get("HOME") or os.path.expanduser("~"), ".local", "state"
    )
    return os.path.join(os.path.expanduser(base), "rulesync")


def read_bytes(path: str, limit: int) -> bytes | None:
    """The bytes of a regular file (not followed through a symlink); None when it is absent,
    something else, unreadable or larger than `limit`."""
    try:
        fd = os.open(
            path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
        )
    except OSError:
        return None
    try:
        with os.fdopen(fd, "rb") as handle:
            if not _regular(handle.fileno()):
                return None
            raw = handle.read(limit + 1)
    except OSError:
        return None
    return raw if len(raw) <= limit else None


def write_atomically(path: str, text: bytes) -> None:
    """Write through a private temp file and a rename. Raises OSError."""
    folder = os.path.dirname(path)
    os.makedirs(folder, mode=0o700, exist_ok=True)
    temp = os.path.join(folder, f".{os.path.basename(path)}.{os.getpid()}.{os.urandom(4).hex()}")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(temp, flags, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(text)
        os.replace(temp, path)
    except BaseException:
        _remove_quietly(temp)
        raise


def try_write(path: str, text: bytes) -> bool:
    """write_atomically for caches: False instead of an error (the next run tries again)."""
    try:
        write_atomically(path, text)
    except OSError:
        return False
    return True


def _remove_quietly(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        return


def _regular(fd: int) -> bool:
    import stat

    return stat.S_ISREG(os.fstat(fd).st_mode)
