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
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

from rulesync.config import Config, load_config
from rulesync.errors import ConfigError, UnsafePathError
from rulesync.lock import Entry, Lock, digest, lock_path, read_lock
from rulesync.outputs import Output, Warning

Action = Literal["create", "update", "identical", "conflict", "remove"]
Status = Literal["missing", "stale", "hand-edited", "orphan", "ok"]


@dataclass(frozen=True)
class Change:
    path: str
    action: Action
    status: Status
    source: str
    wanted: bytes | None  # None: the file should not exist
    current: bytes | None  # None: the file does not exist
    targets: tuple[str, ...] = ()
    reason: str = ""
    output: Output | None = None


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

    @property
    def conflicts(self) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.action == "conflict")

    @property
    def pending(self) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.action != "identical")

    @property
    def lock_file(self) -> Path:
        return lock_path(self.config.source_dir)


def make_plan(root: Path, targets: Sequence[str] = ()) -> Plan:
    """Load, validate and render in memory; compare with the disk and the lock. Writes nothing."""
    from rulesync.fingerprint import inputs_fingerprint

    config = load_config(root)
    selected = _select_targets(config, targets)
    lock = read_lock(lock_path(config.source_dir), f"{config.source}/mirror.lock")
    complete = set(selected) == set(config.targets)
    # The fingerprint covers every target, so a partial run (dispatch syncs one target) can
    # use it too; only a complete run may record it in the lock.
    everything = inputs_fingerprint(config, config.targets)
    fingerprint = everything if complete else None
    if lock.inputs == everything:
        unchanged = _unchanged_from_lock(root, config, selected, lock, fingerprint)
        if unchanged is not None:
            return unchanged
    from rulesync.build import build_outputs
    from rulesync.loader import load_project

    project = load_project(root, config)
    build = build_outputs(project, selected)
    _check_paths(root, build.outputs)
    changes = [_change(root, output, lock) for output in build.outputs]
    changes += _orphans(root, lock, {o.path for o in build.outputs}, selected, complete)
    notes = tuple(_eol_notes(changes))
    return Plan(
        root, config, selected, tuple(changes), build.warnings, lock, fingerprint, True, notes
    )


def _select_targets(config: Config, targets: Sequence[str]) -> tuple[str, ...]:
    from rulesync.errors import Problem
    from rulesync.names import canonical_target

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


def _read(root: Path, relative: str) -> bytes | None:
    try:
        with open(root / relative, "rb") as stream:
            return stream.read()
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
        return None


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
    root: Path, lock: Lock, wanted: set[str], targets: Sequence[str], complete: bool
) -> list[Change]:
    """Locked files nothing renders now. A full run also orphans the files of dropped targets."""
    changes = []
    for path, entry in sorted(lock.files.items()):
        if path in wanted or not (complete or set(entry.targets) & set(targets)):
            continue
        current = _read(root, path)
        if current is None:
            continue
        if _matches_lock(current, entry):
            changes.append(
                Change(
                    path,
                    "remove",
                    "orphan",
                    entry.source,
                    None,
                    current,
                    entry.targets,
                    f"its source {entry.source} is gone",
                )
            )
        else:
            changes.append(
                Change(
                    path,
                    "conflict",
                    "orphan",
                    entry.source,
                    None,
                    current,
                    entry.targets,
                    f"its source {entry.source} is gone, and it was edited by hand",
                )
            )
    return changes


def _unchanged_from_lock(
    root: Path, config: Config, targets: tuple[str, ...], lock: Lock, fingerprint: str | None
) -> Plan | None:
    """Every locked file still holds what mirror wrote for these very inputs: all identical.

    A file that differs only by CRLF line endings still counts (with a note), as in a full plan.
    """
    changes = []
    for path, entry in sorted(lock.files.items()):
        if set(entry.targets) & set(targets):
            changes.append(
                Change(
                    path, "identical", "ok", entry.source, None, _read(root, path), entry.targets
                )
            )
    for path in sorted(lock.merged):
        changes.append(
            Change(path, "identical", "ok", "rulesync.yaml lint", None, _read(root, path))
        )
    expected = {**{p: e.sha256 for p, e in lock.files.items()}, **lock.merged}
    notes = []
    for change in changes:
        current = change.current
        if current is None:
            return None
        match = _hash_match(current, expected[change.path])
        if match is None:
            return None
        if match == "crlf":
            notes.append(_eol_note(change.path))
    unchanged = tuple(replace(c, wanted=c.current) for c in sorted(changes, key=lambda c: c.path))
    warnings = tuple(w for w in lock.warnings if _warning_targets(w, lock) & set(targets))
    return Plan(root, config, targets, unchanged, warnings, lock, fingerprint, False, tuple(notes))


def _check_paths(root: Path, outputs: Sequence[Output]) -> None:
    from rulesync.safety import PathGuard

    guard = PathGuard(root)
    problems = [p for o in outputs if (p := guard.problem(o.path, o.source)) is not None]
    if problems:
        raise UnsafePathError(problems)


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
