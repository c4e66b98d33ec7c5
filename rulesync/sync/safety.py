"""Paths stay inside the project: outputs, lock entries and the source folder are all checked.

The rule for every path rulesync writes or deletes (an output, or an entry read from the lock):

- it is a plain relative path: no absolute path, no `.`, `..` or empty part, no backslash, no
  NUL byte;
- it does not lie in the source folder (`.rulesync/`), which holds the user's own files;
- no folder on its way is a symlink, wherever the link points: a linked folder could lead out of
  the project, into the source, or onto another output (`.claude/commands -> ../.rulesync/commands`
  would make `mirror --force` overwrite the source with its rendered copies). With no link on
  the way, and the project root resolved, two different paths are two different files;
- a folder on its way that is a file is refused before anything is written.

What sits at the path itself (a symlink, a directory, a FIFO) is the plan's concern: `check`
reports it as drift and `mirror` refuses to write over it.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path, PurePosixPath

from rulesync.errors import Problem, UnsafePathError, WriteError
from rulesync.record import Frozen

LINKED_FOLDER_FIX = (
    "replace the symlink with a real folder: rulesync writes only through real folders, since "
    "a linked one could lead outside the project, into the source or onto another output"
)
FILE_IN_THE_WAY_FIX = (
    "move the file away (rulesync needs a folder there), then run `rulesync mirror`"
)
CANNOT_CHECK_FIX = "shorten the path, or make the folder readable, then run `rulesync mirror`"
RENAME_FIX = "rename the source file; outputs stay inside the project and outside the source"


def shape_problem(relative: str) -> str | None:
    """Why `relative` is not a plain, normalised relative path (or None when it is one)."""
    if not relative:
        return "is empty"
    if "\0" in relative:
        return "contains a NUL byte"
    if "\\" in relative:
        return "contains a backslash"
    if relative.startswith("/"):
        return "is an absolute path"
    if any(part in ("", ".", "..") for part in relative.split("/")):
        return "is not a plain relative path (it has an empty, `.` or `..` part)"
    return None


class PathGuard:
    """Checks paths against one root, remembering folders already found safe.

    `source` is the source folder relative to the root (resolved); nothing may be written there.
    """

    def __init__(self, root: Path, source: str | None = None) -> None:
        self.root = root
        self._source = tuple(source.split("/")) if source else None
        self._source_path = source
        self._safe_folders: set[str] = {""}

    def problem(self, relative: str, source: str) -> Problem | None:
        """The problem of an output path, including a symlink at the path itself."""
        found = self.output_problem(relative, source)
        if found is None and os.path.islink(self.root / relative):
            target = os.readlink(self.root / relative)
            return Problem(
                source,
                f"output `{relative}` is a symlink (to {target}); rulesync will not write through it",
                fix="remove the symlink",
            )
        return found

    def output_problem(self, relative: str, source: str) -> Problem | None:
        """The problem of an output path's shape and folders (not of what sits at the path)."""
        found = self.reason(relative)
        if found is None:
            return None
        message, fix = found
        return Problem(source, f"output `{relative}` {message}", fix=fix or RENAME_FIX)

    def lock_problem(self, relative: str, lock_display: str) -> Problem | None:
        """The problem of a path read from the lock: the same rules as for an output."""
        found = self.reason(relative)
        if found is None:
            return None
        message, fix = found
        return Problem(
            lock_display,
            f"lock entry `{relative}` {message}; rulesync will not write or delete it",
            fix=fix or "restore the lock from git, or delete it and run `rulesync mirror`",
        )

    def reason(self, relative: str) -> tuple[str, str | None] | None:
        """Why rulesync may not write `relative`, and the fix when it is not in the name."""
        folder, _, name = relative.rpartition("/")
        if (
            folder in self._safe_folders  # its parts are plain, real folders, not the source
            and name not in ("", ".", "..")
            and "\\" not in name
            and "\0" not in name
            and relative[0] != "/"
            and relative != self._source_path
        ):
            return None
        shape = shape_problem(relative)
        if shape is not None:
            return shape, None
        parts = relative.split("/")
        if self._source is not None and tuple(parts[: len(self._source)]) == self._source:
            return "lies in the source folder " + "/".join(self._source), None
        return self._folder_reason("/".join(parts[:-1]))

    def _folder_reason(self, folder: str) -> tuple[str, str] | None:
        """Each folder from the deepest one known safe down to `folder`, outermost first; a
        loop, not recursion, so that a deep tree cannot exhaust the stack."""
        pending: list[str] = []
        while folder not in self._safe_folders:
            pending.append(folder)
            folder = folder.rsplit("/", 1)[0] if "/" in folder else ""
        for current in reversed(pending):
            found = self._one_folder_reason(current)
            if found is not None:
                return found
        return None

    def _one_folder_reason(self, folder: str) -> tuple[str, str] | None:
        path = self.root / folder
        try:
            mode = os.lstat(path).st_mode
        except (FileNotFoundError, NotADirectoryError):
            mode = stat.S_IFDIR  # missing: mirror creates it
        except OSError as error:  # a name too long, a folder that cannot be searched
            return f"cannot be checked at {folder} ({error.strerror})", CANNOT_CHECK_FIX
        if stat.S_ISLNK(mode):
            return (
                f"would go through the symlink {folder} (to {os.readlink(path)})",
                LINKED_FOLDER_FIX,
            )
        if not stat.S_ISDIR(mode):
            return f"needs a folder at {folder}, but a file is there", FILE_IN_THE_WAY_FIX
        self._safe_folders.add(folder)
        return None


def source_folder(root: Path, source: str) -> str:
    """The source folder, resolved, relative to the root; refused when it leaves the project.

    Called before anything in the source is read, and before the lock is written there.
    """
    path = root / source
    try:
        real = path.resolve()
    except (OSError, RuntimeError) as error:  # a link loop: RuntimeError before Python 3.13
        raise UnsafePathError(
            [
                Problem(
                    source,
                    f"the source folder cannot be resolved ({error})",
                    fix=f"make {source} a real folder inside the project",
                )
            ]
        ) from None
    if real == root:
        raise UnsafePathError(
            [
                Problem(
                    source, "the source folder is the project root", fix="use `source: .rulesync`"
                )
            ]
        )
    if root not in real.parents:
        shown = os.readlink(path) if os.path.islink(path) else str(real)
        raise UnsafePathError(
            [
                Problem(
                    source,
                    f"the source folder leads outside the project (to {shown}); rulesync "
                    "would read the rules and write its lock there",
                    fix=f"make {source} a real folder inside the project "
                    f"(e.g. `rm {source} && cp -r {shown} {source}`)",
                )
            ]
        )
    return real.relative_to(root).as_posix()


# --- what sits at a path ----------------------------------------------------------------


class NotAFile(Frozen):
    """Something other than a regular file at an output path; rulesync will not touch it."""

    __slots__ = ("what",)
    what: str  # "a symlink (to x)", "a directory", "a FIFO", ...

    def __init__(self, what: str) -> None:
        self._set(what=what)

    @property
    def reason(self) -> str:
        return f"is {self.what}; rulesync writes regular files"


def read_regular(path: Path | str) -> bytes | NotAFile | None:
    """The bytes of a regular file, None when nothing is there, or what is there instead.

    Never follows a symlink at the path, and never blocks on a FIFO (rulesync.regular_file).
    """
    from rulesync.regular_file import NotARegularFile
    from rulesync.regular_file import read_regular as read_file

    try:
        return read_file(path, follow=False)
    except (FileNotFoundError, NotADirectoryError):
        return None
    except NotARegularFile as error:
        return NotAFile(error.kind)


# --- OS errors as messages ---------------------------------------------------------------

_FIXES = {
    errno.ENOSPC: "free some disk space, then run `rulesync mirror` again",
    errno.EDQUOT: "free some space within your quota, then run `rulesync mirror` again",
    errno.EACCES: "check the permissions of the file and its folder, then run `rulesync mirror` again",
    errno.EPERM: "check the permissions and flags (chattr/chflags immutable) of the file, then run "
    "`rulesync mirror` again",
    errno.EROFS: "the file system is read-only: run rulesync on a writable checkout",
    errno.ENAMETOOLONG: "shorten the name of the source file",
    errno.EISDIR: "a directory is where rulesync writes a file: move it away",
    errno.ENOTDIR: "a file is where rulesync needs a folder: move it away",
}


def os_error_problem(root: Path, error: OSError) -> Problem:
    """A Problem naming the file (relative to the project when inside it) and the fix."""
    name = str(error.filename) if error.filename is not None else str(root)
    with suppress(ValueError):
        name = PurePosixPath(Path(name).relative_to(root)).as_posix()
    message = error.strerror or str(error)
    fix = _FIXES.get(error.errno or 0, "fix the cause, then run `rulesync mirror` again")
    return Problem(name, message, fix=fix)


@contextmanager
def os_errors_reported(root: Path, written: str = "") -> Iterator[None]:
    """Turn an OSError into a WriteError (exit 2, file and fix), never a traceback."""
    try:
        yield
    except OSError as error:
        problem = os_error_problem(root, error)
        if written:
            problem = Problem(problem.path, f"{problem.message}; {written}", fix=problem.fix)
        raise WriteError([problem]) from None
