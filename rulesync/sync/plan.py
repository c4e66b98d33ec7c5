"""The mirror plan: what each output needs, shared by `mirror` (which applies it) and `check`.

Per owned file, comparing what rendering wants with the disk and the lock:

    on disk        in lock, disk == lock   in lock, disk != lock   not in lock
    missing        create  (missing)       create  (missing)       create  (missing)
    == wanted      identical (ok)          identical (ok)          identical (ok, adopted)
    != wanted      update  (stale)         conflict (hand-edited)  conflict (hand-edited)

A locked file that nothing wants any more is an orphan: removed when unchanged, a conflict when
edited by hand. Files rulesync never wrote are never touched.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from rulesync.errors import ConfigError, UnsafePathError
from rulesync.record import Frozen
from rulesync.render.outputs import Output, Warning
from rulesync.source.config import Config, load_config
from rulesync.sync.lock import Entry, Lock, digest, lock_path, read_lock
from rulesync.sync.safety import (
    NotAFile,
    PathGuard,
    os_errors_reported,
    read_regular,
    source_folder,
)

Action = Literal["create", "update", "identical", "conflict", "remove"]
Status = Literal["missing", "stale", "hand-edited", "orphan", "ok"]


class Change(Frozen):
    """What one file needs. A `Frozen` record (rulesync.record), as there are hundreds."""

    __slots__ = (  # noqa: RUF023 - the field order: repr and replace follow it
        "path", "action", "status", "source", "wanted", "current", "targets", "reason",
        "output", "obstacle",
    )  # fmt: skip
    path: str
    action: Action
    status: Status
    source: str
    wanted: bytes | None  # None: the file should not exist
    current: bytes | None  # None: the file does not exist
    targets: tuple[str, ...]
    reason: str
    output: Output | None
    #: something other than a regular file is at the path (a symlink, a directory): drift
    #: for `check`, and `mirror` refuses to write over it
    obstacle: bool

    def __init__(
        self,
        path: str,
        action: Action,
        status: Status,
        source: str,
        wanted: bytes | None,
        current: bytes | None,
        targets: tuple[str, ...] = (),
        reason: str = "",
        output: Output | None = None,
        obstacle: bool = False,
    ) -> None:
        self._set(
            path=path, action=action, status=status, source=source, wanted=wanted,
            current=current, targets=targets, reason=reason, output=output, obstacle=obstacle,
        )  # fmt: skip


@dataclass(frozen=True)
class Plan:
    root: Path
    config: Config
    targets: tuple[str, ...]
    changes: tuple[Change, ...]
    warnings: tuple[Warning, ...]
    lock: Lock
    fingerprint: str | None  # set when the plan covers every target (a complete run)
    rendered: bool = True  # False when the fingerprint showed nothing changed
    notes: tuple[str, ...] = field(default_factory=tuple)
    #: the lock outside any project (`mirror --global`: the user's state folder), else None
    state_lock: Path | None = None
    #: `-C packages/api` in a monorepo: the plan covers only the outputs of that package
    only: str | None = None

    @property
    def conflicts(self) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.action == "conflict")

    @property
    def obstacles(self) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.obstacle)

    @property
    def pending(self) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.action != "identical")

    @property
    def lock_file(self) -> Path:
        return self.state_lock or lock_path(self.config.source_dir)

    @property
    def write_folders(self) -> set[str]:
        """The folders rulesync writes in (relative to the root): those of every output."""
        return {c.path.rpartition("/")[0] for c in self.changes}


def make_plan(root: Path, targets: Sequence[str] = ()) -> Plan:
    """Load, validate and render in memory; compare with the disk and the lock. Writes nothing.

    The source folder must stay inside the project, and every path in the lock must pass the
    checks outputs pass (rulesync.sync.safety), before anything is read from them.
    """
    with os_errors_reported(root):
        return _make_plan(root.resolve(), targets)


def _make_plan(root: Path, targets: Sequence[str]) -> Plan:
    from rulesync.source.packages import enclosing_project

    project_root, only = enclosing_project(root)
    plan = _whole_plan(project_root, targets, fast=only is None)
    return plan if only is None else package_plan(plan, only)


def _whole_plan(root: Path, targets: Sequence[str], *, fast: bool = True) -> Plan:
    from rulesync.sync.fingerprint import inputs_fingerprint

    config = load_config(root)
    guard = PathGuard(root, source_folder(root, config.source))
    selected = _select_targets(config, targets)
    lock_display = f"{config.source}/mirror.lock"
    lock = read_lock(lock_path(config.source_dir), lock_display)
    _check_lock(guard, lock, lock_display)
    complete = set(selected) == set(config.targets)
    # The fingerprint covers every target, so a partial run (dispatch syncs one target) can
    # use it too; only a complete run may record it in the lock.
    everything = inputs_fingerprint(config, config.targets)
    fingerprint = everything if complete else None
    if fast and lock.inputs == everything:
        unchanged = _unchanged_from_lock(root, config, selected, lock, fingerprint)
        if unchanged is not None:
            return unchanged
    from rulesync.render.build import build_outputs
    from rulesync.source.loader import load_project

    project = load_project(root, config)
    written = {path: merged.names for path, merged in lock.merged.items() if merged.names}
    build = build_outputs(project, selected, written=written)
    _check_paths(guard, build.outputs)
    changes = [_change(root, output, lock) for output in build.outputs]
    orphans, skipped = _orphans(root, config, lock, {o.path for o in build.outputs}, selected)
    changes += orphans
    notes = (*_eol_notes(changes), *skipped)
    return Plan(
        root, config, selected, tuple(changes), build.warnings, lock, fingerprint, True, notes
    )


def package_plan(plan: Plan, folder: str) -> Plan:
    """The part of a monorepo's plan inside one package: its folder and its Claude rules."""
    from dataclasses import replace

    inside = (f"{folder}/", f".claude/rules/{folder}/")
    changes = tuple(c for c in plan.changes if c.path.startswith(inside))
    return replace(plan, changes=changes, fingerprint=None, only=folder)


def _select_targets(config: Config, targets: Sequence[str]) -> tuple[str, ...]:
    from rulesync.errors import Problem
    from rulesync.source.names import canonical_target

    chosen: list[str] = []
    for name in targets:
        target = canonical_target(name)
        if target is None or target not in config.targets:
            enabled = ", ".join(config.targets)
            raise ConfigError(
                [
                    Problem(
                        "--target",
                        f"`{name}` is not a target of this project",
                        fix=f"use one of {enabled}, or add it to `targets:` in rulesync.yaml",
                    )
                ]
            )
        chosen.append(target)
    return tuple(t for t in config.targets if t in chosen) if chosen else config.targets


def _read(root: Path, relative: str) -> bytes | NotAFile | None:
    return read_regular(f"{root}/{relative}")


def _same(current: bytes | None, wanted: bytes) -> bool:
    """Equal, or equal but for CRLF line endings (a Windows checkout): reported, not failed."""
    if current is None:
        return False
    return current == wanted or (b"\r\n" in current and current.replace(b"\r\n", b"\n") == wanted)


def _matches_lock(current: bytes, entry: Entry | None) -> bool:
    return entry is not None and _hash_match(current, entry.sha256) is not None


def _hash_match(current: bytes, sha256: str) -> Literal["exact", "crlf"] | None:
    """Does `current` hold what was recorded: byte for byte, or but for CRLF line endings?"""
    if digest(current) == sha256:
        return "exact"
    if b"\r\n" in current and digest(current.replace(b"\r\n", b"\n")) == sha256:
        return "crlf"
    return None


def _change(root: Path, output: Output, lock: Lock) -> Change:
    current = _read(root, output.path)
    if isinstance(current, NotAFile):
        return Change(
            output.path,
            "conflict",
            "hand-edited",
            output.source,
            output.wanted(None),
            None,
            output.targets,
            current.reason,
            output,
            obstacle=True,
        )
    wanted = output.wanted(current)
    action, status, reason = _classify(output, current, wanted, lock)
    return Change(
        output.path, action, status, output.source, wanted, current, output.targets, reason, output
    )


def _classify(
    output: Output, current: bytes | None, wanted: bytes, lock: Lock
) -> tuple[Action, Status, str]:
    if current is None:
        return "create", "missing", ""
    if _same(current, wanted):
        return "identical", "ok", ""
    if output.mode == "merged" or _matches_lock(current, lock.files.get(output.path)):
        return "update", "stale", "the source changed"
    if output.path in lock.files:
        return "conflict", "hand-edited", "edited by hand since rulesync wrote it"
    return "conflict", "hand-edited", "exists, but rulesync did not write it"


def _orphans(
    root: Path, config: Config, lock: Lock, wanted: set[str], targets: Sequence[str]
) -> tuple[list[Change], list[str]]:
    """Locked files nothing renders now. A full run also orphans the files of dropped targets.

    Only regular files are ever removed: something else at a locked path (a symlink, a
    directory) is not what rulesync wrote, so it is left alone, with a note.
    """
    complete = set(targets) == set(config.targets)
    changes, notes = [], []
    for path, entry in sorted(lock.files.items()):
        if path in wanted or not (complete or set(entry.targets) & set(targets)):
            continue
        current = _read(root, path)
        if current is None:
            continue
        if isinstance(current, NotAFile):
            notes.append(f"{path}: {current.reason}; left alone, and dropped from the lock")
            continue
        why = _orphan_reason(entry, config.targets)
        edited = not _matches_lock(current, entry)
        changes.append(
            Change(
                path,
                "conflict" if edited else "remove",
                "orphan",
                entry.source,
                None,
                current,
                entry.targets,
                f"{why}, and it was edited by hand" if edited else why,
            )
        )
    return changes, notes


def _orphan_reason(entry: Entry, enabled: Sequence[str]) -> str:
    dropped = [t for t in entry.targets if t not in enabled]
    if entry.targets and len(dropped) == len(entry.targets):
        names = " and ".join(dropped)
        plural = "s" if len(dropped) > 1 else ""
        were = "were" if len(dropped) > 1 else "was"
        return f"target{plural} {names} {were} dropped from rulesync.yaml"
    return f"its source {entry.source} is gone"


def _unchanged_from_lock(
    root: Path, config: Config, targets: tuple[str, ...], lock: Lock, fingerprint: str | None
) -> Plan | None:
    """Every locked file still holds what mirror wrote for these very inputs: all identical.

    A file that differs only by CRLF line endings still counts (with a note), as in a full plan.
    """
    owned = [(p, e.source, e.targets, e.sha256) for p, e in sorted(lock.files.items())]
    chosen = [w for w in owned if set(w[2]) & set(targets)]
    chosen += [(p, "rulesync.yaml lint", (), m.sha256) for p, m in sorted(lock.merged.items())]
    changes, notes = [], []
    for path, source, owners, sha256 in chosen:
        current = _read(root, path)
        if not isinstance(current, bytes):
            return None  # missing, or a symlink or folder now: the full plan says which
        match = _hash_match(current, sha256)
        if match is None:
            return None
        if match == "crlf":
            notes.append(_eol_note(path))
        changes.append(Change(path, "identical", "ok", source, current, current, owners))
    unchanged = tuple(sorted(changes, key=lambda c: c.path))
    warnings = tuple(w for w in lock.warnings if _warning_targets(w, lock) & set(targets))
    return Plan(root, config, targets, unchanged, warnings, lock, fingerprint, False, tuple(notes))


def _check_paths(guard: PathGuard, outputs: Sequence[Output]) -> None:
    problems = [p for o in outputs if (p := guard.output_problem(o.path, o.source)) is not None]
    if problems:
        raise UnsafePathError(problems)


def _check_lock(guard: PathGuard, lock: Lock, display: str) -> None:
    """Every path in the lock is checked as an output path is, before any is read or removed."""
    paths = [*lock.files, *lock.merged]
    problems = [p for path in paths if (p := guard.lock_problem(path, display)) is not None]
    if problems:
        raise ConfigError(problems)


def _eol_notes(changes: Sequence[Change]) -> list[str]:
    return [
        _eol_note(c.path)
        for c in changes
        if c.current is not None
        and c.wanted is not None
        and c.current != c.wanted
        and _same(c.current, c.wanted)
    ]


def _eol_note(path: str) -> str:
    return (
        f"{path}: CRLF line endings on disk; content matches (rulesync writes LF: set "
        "`* text=auto eol=lf` in .gitattributes to silence this)"
    )


def _warning_targets(warning: Warning, lock: Lock) -> set[str]:
    """The targets a stored warning concerns: those of the files its path produced."""
    found = {t for p, e in lock.files.items() if warning.path in (p, e.source) for t in e.targets}
    return found or {"claude", "gemini", "codex"}
