"""`rulesync import --global`: adopt hand-written user-level files into the personal folder.

The agent's user files are staged as a project (rulesync.personal.staging) and read by the
project importer, so commands, skills, subagents and the context file are read exactly as in
a project. Only the source is taken from it: the files it would write into `.rulesync/` go to
the personal folder. Then, as in a project, the adopted user files are rewritten as
`mirror --global` renders them (their content is now in the source) and recorded in the
global lock; every other change is left for `rulesync mirror --global`.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from rulesync.errors import Problem, RulesyncError
from rulesync.personal.locations import Locations
from rulesync.render.outputs import Warning
from rulesync.sync.lock import Lock


@dataclass(frozen=True)
class SourceWrite:
    destination: Path
    shown: str
    content: bytes
    executable: bool
    action: str  # create | update
    origin: str


@dataclass(frozen=True, order=True)
class Rewrite:
    path: str  # relative to home
    current: bytes | None
    wanted: bytes  # the preview's render (the note as mirror --global writes it)


@dataclass(frozen=True)
class GlobalImport:
    agent: str
    writes: tuple[SourceWrite, ...]
    rewrites: tuple[Rewrite, ...]  # user files rewritten as rendered (content now in source)
    consumed: frozenset[str]  # home paths the import read
    copied: dict[str, bytes]
    warnings: tuple[Warning, ...]

    @property
    def nothing_to_do(self) -> bool:
        return not self.writes and not self.rewrites


def detect_agent(where: Locations) -> str | None:
    """The one agent with a user-level context file rulesync did not write; None when every
    one there is rulesync's own; otherwise the user must say which."""
    from rulesync.sync.lock import read_lock

    lock = read_lock(where.lock_file, where.shown(where.lock_file))
    contexts = (("claude", "CLAUDE.md"), ("gemini", "GEMINI.md"), ("codex", "AGENTS.md"))
    present = [
        (agent, f"{where.agent_dirs[agent]}/{name}")
        for agent, name in contexts
        if os.path.lexists(where.home / where.agent_dirs[agent] / name)
    ]
    found = [agent for agent, logical in present if _hand_written(where, logical, lock)]
    if len(found) == 1:
        return found[0]
    if present and not found:
        return None
    why = f"found {', '.join(found)}" if found else "found no user-level context file"
    raise RulesyncError(
        [Problem("--from", why, fix="say which: --global --from claude|gemini|codex")]
    )


def _hand_written(where: Locations, logical: str, lock: Lock) -> bool:
    from rulesync.personal.links import Followed, follow
    from rulesync.sync.lock import digest
    from rulesync.sync.safety import read_regular

    followed = follow(where.home, logical, logical)
    if not isinstance(followed, Followed):
        return True  # named, so that the import reports the link
    content = read_regular(where.home / followed.path)
    if not isinstance(content, bytes):
        return content is not None
    entry = lock.files.get(followed.path)
    return entry is None or digest(content) != entry.sha256


def plan_global_import(
    where: Locations, agent: str, targets: Sequence[str] | None, force: bool
) -> GlobalImport:
    from rulesync.sync.lock import read_lock

    if agent not in ("claude", "gemini", "codex"):
        raise RulesyncError(
            [Problem("--from", f"{agent} has no user-level files", fix="use claude|gemini|codex")]
        )
    lock = read_lock(where.lock_file, where.shown(where.lock_file))
    folder = Path(tempfile.mkdtemp(prefix="rulesync-import-global-"))
    try:
        return _plan(where, agent, targets, force, folder, lock)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _plan(
    where: Locations,
    agent: str,
    targets: Sequence[str] | None,
    force: bool,
    folder: Path,
    lock: Lock,
) -> GlobalImport:
    from rulesync.adopt.importing import plan_import
    from rulesync.personal.staging import stage

    staged = stage(folder, where, agent, lock)
    if not staged.origins:
        return GlobalImport(agent, (), (), frozenset(), {}, tuple(staged.warnings))
    try:
        plan = plan_import(folder, agent, targets=targets, force=force)
    except RulesyncError as error:
        raise type(error)(
            [p.replace(path=staged.shown(p.path, where)) for p in error.problems]
        ) from None
    writes = tuple(_write(where, staged.shown(c.file.origin, where), c) for c in plan.source_writes)
    consumed = frozenset(staged.origins[p] for p in plan.consumed if p in staged.origins)
    from rulesync.personal.plan import personal_note

    personal = where.shown(where.config_dir)
    rewrites = tuple(
        sorted(
            Rewrite(staged.origins[o.path], o.current, personal_note(_unstaged(o.wanted), personal))
            for o in plan.outputs_with("rewrite")
            if o.path in staged.origins
        )
    )
    warnings = (
        *staged.warnings,
        *(replace(w, path=staged.shown(w.path, where)) for w in plan.warnings),
    )
    return GlobalImport(agent, writes, rewrites, consumed, dict(staged.copied), tuple(warnings))


def _unstaged(content: bytes) -> bytes:
    """The staged project's render, with source paths as the personal folder names them."""
    for prefix in (b"<!-- rulesync:source ", b"Generated by rulesync from "):
        content = content.replace(prefix + b".rulesync/", prefix)
    return content


def _write(where: Locations, origin: str, change: object) -> SourceWrite:
    from rulesync.adopt.importing import SourceChange

    assert isinstance(change, SourceChange)
    path = change.file.path
    if path == "rulesync.yaml":
        relative = "rulesync.yaml"
    elif path.startswith(".rulesync/"):
        relative = path.removeprefix(".rulesync/")
    else:
        raise RulesyncError([Problem(path, "import staged a file outside the source")])
    destination = where.config_dir / relative
    return SourceWrite(
        destination,
        where.shown(destination),
        change.file.content,
        change.file.executable,
        change.action,
        origin,
    )


@dataclass(frozen=True)
class GlobalImportDone:
    written: tuple[str, ...]
    rewritten: tuple[str, ...]
    adopted: int


def apply_global_import(where: Locations, plan: GlobalImport) -> GlobalImportDone:
    """Write the source, then take over the adopted user files (unchanged since they were read)."""
    from rulesync.adopt.writeback import _restricted, _taken_over
    from rulesync.personal.plan import make_global_plan
    from rulesync.sync.safety import os_errors_reported
    from rulesync.sync.writer import apply_plan, write_atomic

    with os_errors_reported(where.home, "nothing of the agents' files was changed"):
        where.config_dir.mkdir(parents=True, exist_ok=True)
        for write in plan.writes:
            write_atomic(
                write.destination,
                write.content,
                executable=write.executable,
                root=where.config_dir,
            )
    mirror = make_global_plan(locations=where)
    chosen = tuple(
        c
        for c in mirror.changes
        if _taken_over(c, plan.consumed)
        and (c.action == "identical" or plan.copied.get(c.path) == c.current)
    )
    apply_plan(_restricted(mirror, chosen), force=True)
    return GlobalImportDone(
        tuple(w.shown for w in plan.writes),
        tuple(c.path for c in chosen if c.action != "identical"),
        sum(1 for c in chosen if c.action == "identical"),
    )
