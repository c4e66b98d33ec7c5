"""The drift state of the project (`rules ok`, `rules drift`), cheap enough for a status line.

The answer is `rulesync check`'s (rulesync.plan.make_plan, whose fingerprint fast path skips
rendering), but even that path costs the import of the config, lock and safety modules, and
reading every source file: ~60 to 120 ms. So the answer is memoised in the state folder,
keyed by a signature of file *stats* (no reads): rulesync.yaml, every file in the source
folder, the lock, every output the lock names, and rulesync's own code. When the
signature matches, the memo answers in a millisecond or two; when anything changed, the plan
is made once and the memo updated.
"""

from __future__ import annotations

import os
import zlib

from rulesync.status.store import load_json, state_dir, try_save

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

FILE_NAME = "status-rules.json"
CONFIG_NAME = "rulesync.yaml"
LOCK_NAME = "mirror.lock"
MAX_PROJECTS = 32
MAX_WATCHED = 100_000
OK, DRIFT, ERROR = "ok", "drift", "error"
_SKIP_CODE = frozenset({"dispatch", "adopt", "commands", "status", "__pycache__"})


def drift_state(root: str, environ: Mapping[str, str]) -> str | None:
    """OK, DRIFT or ERROR for the project at `root`; None when it is not a rulesync project."""
    if not os.path.isfile(os.path.join(root, CONFIG_NAME)):
        return None
    memo_path = os.path.join(state_dir(environ), FILE_NAME)
    memo = load_json(memo_path)
    memo = memo if isinstance(memo, dict) else {}
    entry: Any = memo.get(root)
    if _memo_holds(root, entry):
        return str(entry["state"])
    state, source = _check(root)
    entry = {"source": source, "signature": signature(root, source), "state": state}
    _remember(memo_path, memo, root, entry)
    return state


def _memo_holds(root: str, entry: Any) -> bool:
    return (
        isinstance(entry, dict)
        and isinstance(entry.get("source"), str)
        and entry.get("state") in (OK, DRIFT, ERROR)
        and entry.get("signature") == signature(root, entry["source"])
    )


def _check(root: str) -> tuple[str, str]:
    """Make the plan as `check` does: (state, source folder relative to the root)."""
    from pathlib import Path

    from rulesync.plan import make_plan

    try:
        plan = make_plan(Path(root))
    except Exception:  # a config or source error, a damaged lock: `check` says what
        return ERROR, ".rulesync"
    state = DRIFT if plan.pending or plan.obstacles else OK
    return state, plan.config.source


def _remember(path: str, memo: dict[str, Any], root: str, entry: dict[str, Any]) -> None:
    memo.pop(root, None)
    memo[root] = entry
    while len(memo) > MAX_PROJECTS:
        memo.pop(next(iter(memo)))
    try_save(path, memo)  # only a memo: when it cannot be kept, the next run plans again


def signature(root: str, source: str) -> str:
    """CRC-32 and Adler-32 of the stats of every file the answer depends on."""
    parts: list[str] = [_code_stats()]
    source_dir = _inside(root, source)
    for relative in (CONFIG_NAME, *((f"{source}/{LOCK_NAME}",) if source_dir else ())):
        parts.append(_stat_line(root, relative))
    if source_dir is not None:
        parts.extend(_stat_line(root, rel) for rel in _files_below(root, source))
        parts.extend(
            _stat_line(root, rel) for rel in _locked_outputs(os.path.join(source_dir, LOCK_NAME))
        )
    data = "\n".join(parts).encode("utf-8", "surrogateescape")
    return f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}{len(parts)}"


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


def _locked_outputs(lock: str) -> list[str]:
    data = load_json_big(lock)
    if not isinstance(data, dict):
        return []
    names: list[str] = []
    for key in ("files", "merged"):
        block = data.get(key)
        if isinstance(block, dict):
            names.extend(k for k in block if isinstance(k, str) and len(k) < 4096)
    return sorted(names)[:MAX_WATCHED]


def load_json_big(path: str) -> Any | None:
    """A lock may be larger than the state files; read it (up to 64 MiB) with json."""
    import json

    try:
        fd = os.open(
            path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
        )
    except OSError:
        return None
    try:
        with os.fdopen(fd, "rb") as handle:
            raw = handle.read(64 * 1024 * 1024 + 1)
        return json.loads(raw) if len(raw) <= 64 * 1024 * 1024 else None
    except (OSError, ValueError, RecursionError):
        return None


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
