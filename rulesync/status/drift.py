"""The drift state of the project (`rules ok`, `rules drift`), cheap enough for a status line.

The answer is `rulesync check`'s (rulesync.sync.plan.make_plan, whose fingerprint fast path skips
rendering), but even that path costs the import of the config, lock and safety modules and
a read of every source file: 60 to 120 ms. So the answer is kept in the memo
(rulesync.status.memo) with a signature of file *stats*, no reads: rulesync.yaml, every file
in the source folder, the lock, every output the plan covered, and rulesync's own code. When
the signature matches, the memo answers in a millisecond or two; when anything changed, the
plan is made once and the memo updated.
"""

from __future__ import annotations

import os
import time
import zlib

from rulesync.status.memo import REC, SEP, Memo

CONFIG_NAME = "rulesync.yaml"
LOCK_NAME = "mirror.lock"
MAX_WATCHED = 100_000
#: A file changed less than this many seconds ago may change again within one clock tick.
RACY_S = 2.0
OK, DRIFT, ERROR = "ok", "drift", "error"
_SKIP_CODE = frozenset({"dispatch", "adopt", "commands", "status", "__pycache__"})


def drift_state(root: str, memo: Memo) -> str | None:
    """OK, DRIFT or ERROR for the project at `root`; None when it is not a rulesync project."""
    if not os.path.isfile(os.path.join(root, CONFIG_NAME)):
        return None
    known = _from_memo(root, memo.get("drift", root))
    if known is not None:
        return known
    state, source, outputs = _check(root)
    if state == ERROR:
        # not kept: an error may lie outside the watched files (a rule pack missing from the
        # user's cache until `rulesync sources fetch`), so it is asked again on each refresh
        return state
    if _recently_changed(root, source, outputs, time.time()):
        return state  # a file written this very moment may change again unseen: not kept
    watched = REC.join(outputs)
    value = SEP.join((state, source, signature(root, source, outputs), watched))
    memo.put("drift", root, value)
    return state


def known_in_sync(root: str, memo: Memo) -> bool:
    """True only when the memo says OK and every file it watched is as it was then.

    Dispatch asks this before putting the rules in place: a yes spares it the plan (its
    imports and a read of every source file). Nothing is computed on a no.
    """
    return _from_memo(root, memo.get("drift", root)) == OK


def _from_memo(root: str, value: str | None) -> str | None:
    parts = (value or "").split(SEP)
    if len(parts) != 4 or parts[0] not in (OK, DRIFT, ERROR):
        return None
    state, source, recorded, watched = parts
    outputs = watched.split(REC) if watched else []
    return state if signature(root, source, outputs) == recorded else None


def _check(root: str) -> tuple[str, str, list[str]]:
    """Make the plan as `check` does: (state, source folder, the outputs it covered)."""
    from pathlib import Path

    from rulesync.sync.plan import make_plan

    try:
        plan = make_plan(Path(root))
    except Exception:  # a config or source error, a damaged lock: `check` says what
        return ERROR, ".rulesync", []
    state = DRIFT if plan.pending or plan.obstacles else OK
    watched = {c.path for c in plan.changes} | set(plan.lock.files) | set(plan.lock.merged)
    outputs = sorted(watched)[:MAX_WATCHED]
    return state, plan.config.source, [o for o in outputs if SEP not in o and REC not in o]


def signature(root: str, source: str, outputs: list[str]) -> str:
    """CRC-32 and Adler-32 of the stats of every file the answer depends on."""
    parts: list[str] = [_code_stats(), _stat_line(root, CONFIG_NAME)]
    if _inside(root, source) is not None:
        parts.append(_stat_line(root, source))  # a folder swapped for a link is a change
        parts.append(_stat_line(root, f"{source}/{LOCK_NAME}"))
        parts.extend(_stat_line(root, rel) for rel in _files_below(root, source))
    parts.extend(_stat_line(root, rel) for rel in _folders_of(outputs))
    parts.extend(_stat_line(root, rel) for rel in outputs)
    data = "\n".join(parts).encode("utf-8", "surrogateescape")
    return f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}{len(parts)}"


def _folders_of(outputs: list[str]) -> list[str]:
    """Every folder on the way to an output, each once: the plan refuses a linked one."""
    folders: set[str] = set()
    for relative in outputs:
        folder = relative.rpartition("/")[0]
        while folder and folder not in folders:
            folders.add(folder)
            folder = folder.rpartition("/")[0]
    return sorted(folders)


def _recently_changed(root: str, source: str, outputs: list[str], now: float) -> bool:
    """Whether a watched file changed within RACY_S of `now`.

    File times move in clock ticks (a few ms), so a file rewritten in the same tick, at the
    same size, looks unchanged by its stats; as git does with its index, an answer about such
    a file is not kept. The next call checks again, and keeps it once the files are quiet.
    """
    paths = [CONFIG_NAME, *outputs]
    if _inside(root, source) is not None:
        paths += [f"{source}/{LOCK_NAME}", *_files_below(root, source)]
    for relative in paths:
        path = _inside(root, relative)
        try:
            changed = os.lstat(path).st_mtime if path is not None else 0.0
        except (OSError, ValueError):
            continue
        if changed > now - RACY_S:
            return True
    return False


def _inside(root: str, relative: str) -> str | None:
    if not relative or os.path.isabs(relative) or ".." in relative.replace("\\", "/").split("/"):
        return None
    return os.path.join(root, relative)


def _stat_line(root: str, relative: str) -> str:
    path = _inside(root, relative)
    if path is None:
        return f"{relative}\0refused"
    try:
        info = os.lstat(path)
    except (OSError, ValueError):
        return f"{relative}\0absent"
    return f"{relative}\0{info.st_mtime_ns}\0{info.st_size}\0{info.st_ino}\0{info.st_mode}"


def _files_below(root: str, relative: str) -> list[str]:
    found: list[str] = []
    pending = [relative]
    while pending and len(found) < MAX_WATCHED:
        folder = pending.pop()
        try:
            with os.scandir(os.path.join(root, folder)) as entries:
                for entry in entries:
                    name = f"{folder}/{entry.name}"
                    if entry.is_dir(follow_symlinks=False):
                        pending.append(name)
                    found.append(name)
        except OSError:
            continue
    return sorted(found)


def _code_stats() -> str:
    """rulesync's version and the stats of its rendering code: a new renderer, a new answer."""
    from rulesync import __version__

    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    lines = [__version__]
    beside = (os.path.join(os.path.dirname(package), name) for name in ("templates", "lints"))
    pending = [package, *(folder for folder in beside if os.path.isdir(folder))]
    while pending:
        folder = pending.pop()
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    if entry.is_dir(follow_symlinks=False):
                        if entry.name not in _SKIP_CODE:
                            pending.append(entry.path)
                    elif entry.name.endswith((".py", ".j2")):
                        info = entry.stat(follow_symlinks=False)
                        lines.append(f"{entry.name}\0{info.st_mtime_ns}\0{info.st_size}")
        except OSError:
            continue
    return "\0".join(sorted(lines))
