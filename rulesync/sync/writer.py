"""The only module that writes: atomic replace per file, then the lock, last.

Safety (docs/mirror.md, "Safety"):

- Before the first write, every path to write or delete is checked again: no folder on its way
  is a symlink or a file, and nothing but a regular file sits at it. A failure there writes
  nothing.
- A file is written with rulesync.sync.atomic: the folder is reached from the root one name at
  a time, held open, never through a link; the bytes go to a temporary file created exclusively
  (O_EXCL, O_NOFOLLOW) under an unpredictable name beside it, `.NAME.rulesync-XXXXXXXX.tmp`,
  then renamed over the target. The rename never lands on a link: a target that is one is
  refused. The mode of a file being replaced is kept (a chmod 444 output stays 444).
- A delete touches only a regular file, reached through real folders, and removes only the
  empty real folders it leaves behind.
- When the disk fails mid-way (a full disk, a read-only file), the lock is written for exactly
  the files written so far, so the outputs and the lock agree; then the error is reported.
- Temporary files that an interrupted run left behind are removed from the folders rulesync
  writes in: only names of the exact pattern, only regular files, only when older than
  STALE_TEMP_SECONDS (a live run keeps its temporary file for milliseconds).
"""

from __future__ import annotations

import contextlib
import os
import stat
import time
from pathlib import Path

from rulesync.errors import Problem, RulesyncError, UnsafePathError, WriteError
from rulesync.sync.atomic import (
    NAME_MAX,
    TEMP_NAME,
    Blocked,
    FolderChain,
    has_dir_fd_calls,
    make_folders,
    replace_at,
    replace_in,
)
from rulesync.sync.lock import Entry, Lock, Merged, digest
from rulesync.sync.plan import Change, Plan

__all__ = ["NAME_MAX", "TEMP_NAME", "apply_plan", "remove", "write_atomic"]

STALE_TEMP_SECONDS = 60.0


def apply_plan(plan: Plan, *, force: bool = False) -> tuple[Change, ...]:
    """Write what the plan needs and return the changes made. Conflicts need `force`."""
    if plan.conflicts and not force:
        raise ValueError("apply_plan called with conflicts and no force")
    from rulesync.sync.safety import os_errors_reported

    with os_errors_reported(plan.root):
        _preflight(plan)
        if plan.rendered:
            remove_stale_temp_files(plan.root, plan.write_folders | _lock_folder(plan))
    done: list[Change] = []
    try:
        with FolderChain(plan.root, create=True) as folders:
            _apply_changes(plan, folders, done)
        new_lock = _next_lock(plan).to_bytes() if plan.rendered else None
        if new_lock is not None and new_lock != _current_bytes(plan.lock_file):
            write_atomic(_real_lock_file(plan), new_lock, root=_lock_root(plan))
    except (OSError, RulesyncError) as error:
        raise _failed_mid_way(plan, done, error) from None
    except KeyboardInterrupt:
        with contextlib.suppress(OSError, RulesyncError):
            _record_partial(plan, done)
        raise
    return tuple(done)


def _apply_changes(plan: Plan, folders: FolderChain, done: list[Change]) -> None:
    """Write and remove what the plan needs, in its order (sorted by path, so the folder
    chain walks each folder once); `done` grows with each change made."""
    for change in plan.pending:
        if change.wanted is None:
            folders.close()  # the remove may take away empty folders the chain holds
            remove(plan.root, change.path)
        else:
            executable = change.output.executable if change.output else False
            write_output(plan.root, change.path, change.wanted, executable, folders)
        done.append(change)


def _record_partial(plan: Plan, done: list[Change]) -> None:
    if done:
        lock = _partial_lock(plan, done).to_bytes()
        write_atomic(_real_lock_file(plan), lock, root=_lock_root(plan))


def _failed_mid_way(plan: Plan, done: list[Change], error: OSError | RulesyncError) -> WriteError:
    """Record what was written, so that the lock and the disk agree, and say what failed."""
    from rulesync.sync.safety import os_error_problem

    problems = error.problems if isinstance(error, RulesyncError) else ()
    first = problems[0] if problems else os_error_problem(plan.root, _as_os_error(error))
    written = f"{len(done)} of {len(plan.pending)} changes were made"
    try:
        _record_partial(plan, done)
        recorded = f"{written}, and the lock records them" if done else "nothing was written"
        summary = f"{recorded}; run `rulesync mirror` again once fixed"
    except (OSError, RulesyncError) as lock_error:
        summary = f"{written}; the lock could not be updated either ({lock_error})"
    fix = f"{first.fix}; {summary}" if first.fix else summary
    return WriteError([Problem(first.path, first.message, first.line, fix), *problems[1:]])


def _as_os_error(error: OSError | RulesyncError) -> OSError:
    return error if isinstance(error, OSError) else OSError(str(error))


def _partial_lock(plan: Plan, done: list[Change]) -> Lock:
    """The old lock, with exactly the changes made; no fingerprint, so the next run renders."""
    files = dict(plan.lock.files)
    merged = dict(plan.lock.merged)
    for change in done:
        files.pop(change.path, None)
        merged.pop(change.path, None)
        if change.wanted is None:
            continue
        if change.output is not None and change.output.mode == "merged":
            merged[change.path] = Merged(digest(change.wanted), change.output.names)
        else:
            previous = plan.lock.files.get(change.path)
            owners = set(change.targets) | set(previous.targets if previous else ())
            files[change.path] = Entry(digest(change.wanted), change.source, tuple(sorted(owners)))
    return Lock(files, merged, None, plan.lock.warnings)


# --- checks before the first write -------------------------------------------------------


def _preflight(plan: Plan) -> None:
    """Everything that can be known before writing: a failure here writes nothing."""
    problems = [Problem(c.path, c.reason, fix=OBSTACLE_FIX) for c in plan.pending if c.obstacle]
    folders = _Folders(plan.root)
    for change in plan.pending:
        if change.obstacle:
            continue
        problem = folders.problem(change.path)
        if problem is None and change.wanted is not None:
            problem = _target_problem(plan.root, change.path, folders.exists(change.path))
        if problem is not None:
            problems.append(problem)
    if plan.state_lock is None:  # the global lock's folder is the user's state folder
        lock = _real_lock_file(plan).relative_to(plan.root).as_posix()
        problem = folders.problem(lock) or _target_problem(plan.root, lock)
        if problem is not None:
            problems.append(problem)
    if problems:
        raise UnsafePathError(list({str(p): p for p in problems}.values()))


OBSTACLE_FIX = "move it away, then run `rulesync mirror`; rulesync writes only regular files"


def _target_problem(root: Path, relative: str, folder_exists: bool = True) -> Problem | None:
    """Something other than a regular file at a path to write, or a name too long. (In a
    folder that does not exist, nothing is at the path: no lstat.)"""
    name = relative.rpartition("/")[2]
    if len(os.fsencode(name)) > NAME_MAX:
        return Problem(
            relative,
            f"the file name is {len(os.fsencode(name))} bytes long; file systems allow {NAME_MAX}",
            fix="shorten the name of its source file",
        )
    if not folder_exists:
        return None
    try:
        mode = os.lstat(f"{root}/{relative}").st_mode
    except (FileNotFoundError, NotADirectoryError):
        return None
    if stat.S_ISREG(mode):
        return None
    what = (
        "a symlink"
        if stat.S_ISLNK(mode)
        else "a directory"
        if stat.S_ISDIR(mode)
        else "a special file"
    )
    return Problem(relative, f"is {what}, not a regular file", fix=OBSTACLE_FIX)


class _Folders:
    """The folders on the way to each path, each checked once with lstat (never followed)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._checked: dict[str, Problem | None] = {}
        self._missing: set[str] = set()  # a folder in one of these is missing too: no lstat

    def problem(self, relative: str) -> Problem | None:
        folder = relative.rpartition("/")[0]
        return self._folder(folder, relative)

    def exists(self, relative: str) -> bool:
        """Was the folder of `relative` there? (Ask `problem` first.)"""
        return relative.rpartition("/")[0] not in self._missing

    def _folder(self, folder: str, relative: str) -> Problem | None:
        if folder in self._checked:
            return self._checked[folder]
        parent = folder.rpartition("/")[0]
        found = self._folder(parent, relative) if folder else None
        if found is None:
            if folder and parent in self._missing:
                self._missing.add(folder)
            else:
                found = _folder_problem(self.root, folder, relative, self._missing)
        self._checked[folder] = found
        return found


def _folder_problem(root: Path, folder: str, relative: str, missing: set[str]) -> Problem | None:
    path = root / folder
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        missing.add(folder)
        return None
    if stat.S_ISLNK(mode):
        return Problem(
            relative,
            f"would go through the symlink {folder}; rulesync writes only through real folders",
            fix="replace the symlink with a real folder",
        )
    if not stat.S_ISDIR(mode):
        return Problem(
            relative,
            f"needs a folder at {folder}, but a file is there",
            fix="move the file away, then run `rulesync mirror`",
        )
    if not os.access(path, os.W_OK | os.X_OK):
        return Problem(
            relative,
            f"the folder {folder or '.'} is not writable",
            fix="make it writable (chmod u+w), then run `rulesync mirror`",
        )
    return None


# --- writing one file --------------------------------------------------------------------


def write_atomic(
    path: Path, content: bytes, *, executable: bool = False, root: Path | None = None
) -> None:
    """Write to an exclusively created temporary file beside the target, then rename over it.

    A new file's mode honours the umask (0o666 or 0o777 before it); a replaced file keeps its
    mode, with the executable bits set or cleared as `executable` says. With `root`, every
    folder from the root down must be a real folder (created when missing); a target that is a
    symlink or a directory is refused either way.
    """
    parts: tuple[str, ...] = ()
    if root is None:
        path.parent.mkdir(parents=True, exist_ok=True)
        root = path.parent
    else:
        parts = path.parent.relative_to(root).parts
    with FolderChain(root, create=True) as folders:
        _write(root, parts, path.name, content, executable, folders)


def write_output(
    root: Path, relative: str, content: bytes, executable: bool, folders: FolderChain
) -> None:
    """`write_atomic` of the output `relative` (checked: plain, `/`-separated) below `root`,
    through `folders`, a chain from `root` that holds the folders open across many writes."""
    folder, _, name = relative.rpartition("/")
    parts = tuple(folder.split("/")) if folder else ()
    _write(root, parts, name, content, executable, folders)


def _write(
    root: Path,
    parts: tuple[str, ...],
    name: str,
    content: bytes,
    executable: bool,
    folders: FolderChain,
) -> None:
    create_mode = 0o777 if executable else 0o666
    try:
        if not has_dir_fd_calls():
            _write_by_path(root, parts, Path(_shown(root, parts, name)), content, executable)
            return
        folder = _open_in_chain(folders, parts)
        status = _lstat_in(folder, name)
        mode = None if status is None else _mode_to_keep(status, root, parts, name, executable)
        replace_in(folder, name, content, mode=mode, create_mode=create_mode)
    except OSError as error:  # named by the target, not by its temp file in the folder
        if error.errno is None:
            raise
        raise type(error)(error.errno, error.strerror, _shown(root, parts, name)) from None


def _shown(root: Path, parts: tuple[str, ...], name: str) -> str:
    """The target's path, as errors name it."""
    return os.path.join(root, *parts, name)


def _write_by_path(
    root: Path, parts: tuple[str, ...], path: Path, content: bytes, executable: bool
) -> None:
    """The same steps where the `*at` calls are missing (rulesync.sync.atomic)."""
    try:
        make_folders(root, parts)
    except Blocked as blocked:
        raise _blocked(blocked) from None
    status = _lstat(path)
    mode = None if status is None else _mode_to_keep(status, root, parts, path.name, executable)
    replace_at(path, content, mode=mode, create_mode=0o777 if executable else 0o666)


def _lstat_in(folder: int, name: str) -> os.stat_result | None:
    try:
        return os.stat(name, dir_fd=folder, follow_symlinks=False)
    except FileNotFoundError:
        return None


def _lstat(path: Path) -> os.stat_result | None:
    try:
        return os.lstat(path)
    except FileNotFoundError:
        return None


def _blocked(blocked: Blocked) -> UnsafePathError:
    return UnsafePathError(
        [
            Problem(
                "/".join(blocked.parts),
                "is a symlink or a file where rulesync needs a real folder",
                fix="replace it with a folder, then run `rulesync mirror`",
            )
        ]
    )


def _open_in_chain(folders: FolderChain, parts: tuple[str, ...]) -> int:
    """The target's folder, from the chain (which keeps it open); every folder from the root
    down real (made when missing)."""
    try:
        return folders.open(parts)
    except Blocked as blocked:
        raise _blocked(blocked) from None


def _mode_to_keep(
    status: os.stat_result, root: Path, parts: tuple[str, ...], name: str, executable: bool
) -> int:
    """The mode of the file being replaced; refuses links and folders."""
    if not stat.S_ISREG(status.st_mode):
        what = "a symlink" if stat.S_ISLNK(status.st_mode) else "not a regular file"
        problem = f"is {what}; rulesync will not write over it"
        raise UnsafePathError([Problem(_shown(root, parts, name), problem, fix=OBSTACLE_FIX)])
    mode = status.st_mode & 0o777
    return mode | ((mode & 0o444) >> 2) if executable else mode & ~0o111


# --- deleting ----------------------------------------------------------------------------


def remove(root: Path, relative: str) -> None:
    """Delete an orphan and the folders it leaves empty (up to, never including, the root).

    Each folder on the way is checked with lstat first: the delete never follows a link, and
    only a regular file is removed.
    """
    parts = relative.split("/")
    for depth in range(1, len(parts)):
        folder = root.joinpath(*parts[:depth])
        if not stat.S_ISDIR(os.lstat(folder).st_mode):
            raise UnsafePathError(
                [
                    Problem(
                        relative,
                        f"{'/'.join(parts[:depth])} is no longer a real folder; nothing removed there",
                        fix="replace it with a folder, then run `rulesync mirror`",
                    )
                ]
            )
    path = root / relative
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):
            return  # not what rulesync wrote: left alone
    except FileNotFoundError:
        return
    os.unlink(path)
    for depth in range(len(parts) - 1, 0, -1):
        try:
            os.rmdir(root.joinpath(*parts[:depth]))
        except OSError:
            break


# --- stale temporary files ---------------------------------------------------------------


def remove_stale_temp_files(root: Path, folders: set[str]) -> list[str]:
    """Remove what interrupted runs left in these (checked, relative) folders; return them."""
    removed = []
    deadline = time.time() - STALE_TEMP_SECONDS
    for folder in sorted(folders):
        try:
            entries = list(os.scandir(root / folder))
        except (FileNotFoundError, NotADirectoryError):
            continue
        for entry in entries:
            if TEMP_NAME.fullmatch(entry.name) and _stale(entry, deadline):
                with contextlib.suppress(OSError):  # best effort: it never blocks a mirror
                    os.unlink(entry.path)
                    removed.append(f"{folder}/{entry.name}" if folder else entry.name)
    return removed


def _stale(entry: os.DirEntry[str], deadline: float) -> bool:
    try:
        status = entry.stat(follow_symlinks=False)
    except OSError:
        return False
    return stat.S_ISREG(status.st_mode) and status.st_mtime < deadline


# --- the lock ----------------------------------------------------------------------------


def _real_lock_file(plan: Plan) -> Path:
    """The lock, reached through the resolved source folder (checked to be in the project)."""
    if plan.state_lock is not None:
        return plan.state_lock
    return plan.config.source_dir.resolve() / plan.lock_file.name


def _lock_root(plan: Plan) -> Path | None:
    """The root the lock's folders are checked from; none for the user's state folder."""
    return None if plan.state_lock is not None else plan.root


def _lock_folder(plan: Plan) -> set[str]:
    if plan.state_lock is not None:
        return set()
    return {_real_lock_file(plan).parent.relative_to(plan.root).as_posix()}


def _next_lock(plan: Plan) -> Lock:
    selected = set(plan.targets)
    complete = plan.fingerprint is not None
    files = (
        {}
        if complete
        else {
            p: e
            for p, e in plan.lock.files.items()
            if not set(e.targets) & selected or not _in_plan_scope(plan, p)
        }
    )
    merged = {} if complete else dict(plan.lock.merged)
    for change in plan.changes:
        if change.wanted is None:
            continue
        if change.output is not None and change.output.mode == "merged":
            written = (
                change.current if change.action == "identical" and change.current else change.wanted
            )
            merged[change.path] = Merged(digest(written), change.output.names)
            continue
        previous = plan.lock.files.get(change.path)
        targets = tuple(sorted(set(change.targets) | set(previous.targets if previous else ())))
        files[change.path] = Entry(digest(change.wanted), change.source, targets)
    return Lock(files, merged, plan.fingerprint, plan.warnings if complete else ())


def _in_plan_scope(plan: Plan, path: str) -> bool:
    """Is `path` one the plan decides about? (A package's plan leaves the rest of the lock.)"""
    if plan.only is None:
        return True
    return path.startswith((f"{plan.only}/", f".claude/rules/{plan.only}/"))


def _current_bytes(path: Path) -> bytes | None:
    from rulesync.sync.safety import read_regular

    current = read_regular(path)
    return current if isinstance(current, bytes) else None
