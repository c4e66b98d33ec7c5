"""The `memory N stale` segment: entries of the project's shared memory not verified for
90 days (rulesync.memory.stale). Only in a rulesync project with a memory index, and only
when N > 0.

Two memo entries (rulesync.status.memo) keep a refresh to a few stats, without pathlib,
hashlib, datetime or sqlite3: the index's path, under the project, the environment that
places the memory and the stats of `rulesync.yaml` and `.git`; and the count, under the
stats of the index and its WAL and today's date.
"""

from __future__ import annotations

import os

from rulesync.status.memo import Memo

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping

CONFIG_NAME = "rulesync.yaml"
#: The variables `rulesync.memory.layout.resolve` reads.
PLACES = (
    "HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "CLAUDE_CONFIG_DIR", "RULESYNC_MEMORY_HOME",
    "RULESYNC_MEMORY_INDEX_DIR",
)  # fmt: skip


def memory_stale(root: str, environ: Mapping[str, str], now: float, memo: Memo) -> int | None:
    """The stale count of the project at `root`, or None (no project, no memory, unreadable)."""
    if not os.path.isfile(os.path.join(root, CONFIG_NAME)):
        return None
    index = _index_path(root, environ, memo)
    stamps = [_stamp(index + suffix) for suffix in ("", "-wal")]
    if stamps[0] is None:
        return None  # no memory command has run here yet
    import time

    today = time.strftime("%Y-%m-%d", time.gmtime(now))
    key = f"{index}|{'|'.join(map(str, stamps))}|{today}"
    known = memo.get("memory", key)
    if known is not None and known.isdigit():
        return int(known)
    import datetime as dt

    from rulesync.memory.stale import stale_count

    count = stale_count(index, dt.date.fromisoformat(today))
    if count is not None:
        memo.put("memory", key, str(count))
    return count


def _index_path(root: str, environ: Mapping[str, str], memo: Memo) -> str:
    places = "|".join(environ.get(name, "") for name in PLACES)
    stats = "|".join(str(_stamp(os.path.join(root, name))) for name in (CONFIG_NAME, ".git"))
    key = f"{root}|{places}|{stats}"
    known = memo.get("memory-index", key)
    if known:
        return known
    from pathlib import Path

    from rulesync.memory.layout import claude_is_target, resolve

    start = Path(root)
    index = str(resolve(start, environ, claude=claude_is_target(start)).index_path)
    memo.put("memory-index", key, index)
    return index


def _stamp(path: str) -> str | None:
    try:
        status = os.stat(path)
    except OSError:
        return None
    return f"{status.st_ino}:{status.st_size}:{status.st_mtime_ns}"
