"""The only module that writes: atomic replace per file, then the lock, last."""

from __future__ import annotations

import os
from pathlib import Path

from rulesync.lock import Entry, Lock, digest
from rulesync.plan import Change, Plan


def apply_plan(plan: Plan, *, force: bool = False) -> tuple[Change, ...]:
    """Write what the plan needs and return the changes made. Conflicts need `force`."""
    if plan.conflicts and not force:
        raise ValueError("apply_plan called with conflicts and no force")
    done = []
    for change in plan.pending:
        if change.wanted is None:
            remove(plan.root, change.path)
        else:
            executable = change.output.executable if change.output else False
            write_atomic(plan.root / change.path, change.wanted, executable=executable)
        done.append(change)
    new_lock = _next_lock(plan)
    if plan.rendered and new_lock.to_bytes() != _current_bytes(plan.lock_file):
        write_atomic(plan.lock_file, new_lock.to_bytes())
    return tuple(done)


def write_atomic(path: Path, content: bytes, *, executable: bool = False) -> None:
    """Write to a temporary file beside the target, then rename over it: never half a file.

    The mode honours the umask, as any new file would (0o666 or 0o777 before it).
    """
    _ensure_folder(path.parent)
    temporary = path.with_name(f".{path.name}.rulesync-{os.getpid()}.tmp")
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0)
    handle = os.open(temporary, flags, 0o777 if executable else 0o666)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


_made_folders: set[Path] = set()


def _ensure_folder(folder: Path) -> None:
    if folder not in _made_folders:
        folder.mkdir(parents=True, exist_ok=True)
        _made_folders.add(folder)


def remove(root: Path, relative: str) -> None:
    """Delete an orphan and the folders it leaves empty (up to, never including, the root)."""
    path = root / relative
    path.unlink(missing_ok=True)
    folder = path.parent
    while folder != root and root in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            break
        folder = folder.parent


def _next_lock(plan: Plan) -> Lock:
    selected = set(plan.targets)
    complete = plan.fingerprint is not None
    files = (
        {}
        if complete
        else {p: e for p, e in plan.lock.files.items() if not set(e.targets) & selected}
    )
    merged = {} if complete else dict(plan.lock.merged)
    for change in plan.changes:
        if change.wanted is None:
            continue
        if change.output is not None and change.output.mode == "merged":
            merged[change.path] = digest(
                change.current if change.action == "identical" and change.current else change.wanted
            )
            continue
        previous = plan.lock.files.get(change.path)
        targets = tuple(sorted(set(change.targets) | set(previous.targets if previous else ())))
        files[change.path] = Entry(digest(change.wanted), change.source, targets)
    return Lock(files, merged, plan.fingerprint, plan.warnings if complete else ())


def _current_bytes(path: Path) -> bytes | None:
    return path.read_bytes() if path.is_file() else None
