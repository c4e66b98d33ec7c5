"""Codex CLI: the newest `token_count` event with `rate_limits` in its newest session file.

Codex writes one JSONL file per session, `$CODEX_HOME/sessions/YYYY/MM/DD/rollout-*.jsonl`
(CODEX_HOME defaults to ~/.codex). Each model response adds an `event_msg` line whose payload
is `{"type": "token_count", "rate_limits": {"primary": {...}, "secondary": {...}}}`, each
window with `used_percent`, `window_minutes` and `resets_at` (epoch seconds; older versions
wrote `resets_in_seconds`, relative to the line's `timestamp`).

Cheap on purpose: the date folders are walked newest first and only the newest day's files
are looked at (at most MAX_FILES of them), and each file is read backwards from its end, in
blocks, until the last such event (at most MAX_TAIL_BYTES per file). A session resumed
today is still written in the folder of the day it began; Codex's history.jsonl names it
(see resumed_session), so it is found without listing any other day.
"""

from __future__ import annotations

import os
import stat
import time
from itertools import chain

from rulesync.status import reading as r
from rulesync.status.memo import REC, Memo, stat_key
from rulesync.status.timefmt import as_epoch

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping
    from typing import Any

SOURCE = "Codex CLI session log"
MAX_FILES = 8
MAX_TAIL_BYTES = 8 * 1024 * 1024
BLOCK = 64 * 1024
#: A line longer than this is not a token_count event; it is skipped unparsed.
MAX_LINE = 256 * 1024
HISTORY_NAME = "history.jsonl"
#: The history's last line is a message the user typed: this much of the tail finds it.
HISTORY_TAIL_BYTES = 1024 * 1024
_LABELS = (("primary", "5h"), ("secondary", "7d"))


def sessions_dir(environ: Mapping[str, str]) -> str:
    home = environ.get("CODEX_HOME") or os.path.join(
        environ.get("HOME") or os.path.expanduser("~"), ".codex"
    )
    return os.path.join(os.path.expanduser(home), "sessions")


def read(environ: Mapping[str, str], now: float, memo: Memo | None = None) -> r.Reading:
    folder = sessions_dir(environ)
    checked = 0
    for path, mtime in newest_sessions(folder, MAX_FILES, memo):
        checked += 1
        key = f"{path}{REC}{stat_key(path)}"
        known = r.decode_windows(memo.get("codex", key) or "") if memo else None
        if known is not None:
            observed, windows = known
            return r.Reading(
                "codex", r.freshness(observed, now, windows), SOURCE, windows, observed
            )
        found = last_rate_limits(path)
        if found is not None:
            windows, observed = _windows(found[0], found[1] or mtime)
            if windows and memo is not None:
                memo.put("codex", key, r.encode_windows(observed, windows))
            if windows:
                return r.Reading(
                    "codex", r.freshness(observed, now, windows), SOURCE, windows, observed
                )
            return r.Reading(
                "codex", r.UNREADABLE, SOURCE, detail=f"{path}: rate_limits of an unknown shape"
            )
    detail = (
        f"no token_count event with rate_limits in the newest {checked} session files"
        if checked
        else f"no session files under {folder}"
    )
    return r.Reading("codex", r.MISSING, SOURCE, detail=detail)


def newest_sessions(
    folder: str, limit: int, memo: Memo | None = None
) -> Iterator[tuple[str, float]]:
    """The newest session files, newest first: the session the user last wrote to (from
    Codex's history.jsonl) when it is newer, then the newest day folder's by modification
    time, then the next day's; never more than `limit` files, never a listing of every day."""
    resumed = resumed_session(folder, memo)
    ordinary = _by_day(folder, limit)
    first = next(ordinary, None)
    if resumed is not None and (first is None or resumed[1] > first[1]):
        yield resumed
        limit -= 1
    if first is None:
        return
    for found in chain((first,), ordinary):
        if limit <= 0:
            return
        if resumed is None or found[0] != resumed[0]:
            yield found
            limit -= 1


def resumed_session(folder: str, memo: Memo | None = None) -> tuple[str, float] | None:
    """The session file of the last message in `$CODEX_HOME/history.jsonl`, with its mtime.

    A resumed session (`codex resume`) is appended to its first file, in the date folder of
    the day it began, so the newest day folder misses it. Codex's TUI appends each message
    the user sends to history.jsonl as `{"session_id", "ts", "text"}`; the id is a UUIDv7,
    whose first 48 bits are the session's start in ms, and the file is
    `sessions/YYYY/MM/DD/rollout-<local start time>-<id>.jsonl`. So one read of the
    history's tail and a listing of one or two day folders find it. None when there is no
    history (`history.persistence = "none"`, `codex exec` alone) or the id is not a v7.
    """
    session_id = _history_session(os.path.join(os.path.dirname(folder), HISTORY_NAME), memo)
    started = _uuid7_seconds(session_id) if session_id else None
    if session_id is None or started is None:
        return None
    suffix = f"-{session_id}.jsonl"
    days = {
        time.strftime("%Y/%m/%d", stamp)
        for stamp in (time.localtime(started), time.gmtime(started))
    }
    for day in sorted(days):
        for entry in _entries(os.path.join(folder, *day.split("/"))):
            if entry.name.startswith("rollout-") and entry.name.endswith(suffix):
                try:
                    info = entry.stat(follow_symlinks=False)
                except OSError:
                    continue
                if stat.S_ISREG(info.st_mode):
                    return entry.path, info.st_mtime
    return None


def _history_session(path: str, memo: Memo | None) -> str | None:
    """`_last_history_session`, kept in the memo under the history's stats: a refresh
    after no new message reads no history and imports no json (nor re)."""
    if memo is None:
        return _last_history_session(path)
    key = f"{path}{REC}{stat_key(path)}"
    known = memo.get("codex-history", key)
    if known is not None:
        return known if _is_uuid(known) else None
    found = _last_history_session(path)
    memo.put("codex-history", key, found or "-")
    return found


def _last_history_session(path: str) -> str | None:
    import json  # here, not at the top: a refresh without a history imports no json (nor re)

    for line in _lines_backwards(path, HISTORY_TAIL_BYTES):
        try:
            entry = json.loads(line)
        except (ValueError, RecursionError):
            return None
        session_id = entry.get("session_id") if isinstance(entry, dict) else None
        return session_id if isinstance(session_id, str) and _is_uuid(session_id) else None
    return None


def _is_uuid(text: str) -> bool:
    parts = text.split("-")
    return [len(part) for part in parts] == [8, 4, 4, 4, 12] and all(
        char in "0123456789abcdefABCDEF" for part in parts for char in part
    )


def _uuid7_seconds(session_id: str) -> float | None:
    """The time a UUIDv7 was made (its first 48 bits, ms since the epoch); None for others."""
    if session_id[14] != "7":
        return None
    return int(session_id[:8] + session_id[9:13], 16) / 1000


def _by_day(folder: str, limit: int) -> Iterator[tuple[str, float]]:
    given = 0
    for day in _days_newest_first(folder):
        files = []
        for entry in _entries(day):
            if entry.name.endswith(".jsonl") and entry.is_file(follow_symlinks=False):
                try:
                    files.append((entry.stat(follow_symlinks=False).st_mtime, entry.path))
                except OSError:
                    continue
        for mtime, path in sorted(files, reverse=True):
            yield path, mtime
            given += 1
            if given >= limit:
                return


def _days_newest_first(folder: str) -> Iterator[str]:
    for year in _numbered(folder, 4):
        for month in _numbered(year, 2):
            yield from _numbered(month, 2)


def _numbered(folder: str, width: int) -> list[str]:
    names = [
        e.path
        for e in _entries(folder)
        if len(e.name) == width and e.name.isdigit() and e.is_dir(follow_symlinks=False)
    ]
    return sorted(names, reverse=True)


def _entries(folder: str) -> list[os.DirEntry[str]]:
    try:
        with os.scandir(folder) as listing:
            return list(listing)
    except OSError:
        return []


def last_rate_limits(path: str) -> tuple[Mapping[str, Any], float | None] | None:
    """The `rate_limits` of the file's last token_count event that has them, with the
    event's time; None when there is none in the last MAX_TAIL_BYTES."""
    import json

    for line in _lines_backwards(path):
        if b'"token_count"' not in line or b'"rate_limits"' not in line:
            continue
        try:
            event = json.loads(line)
        except (ValueError, RecursionError):
            continue
        limits = _rate_limits(event)
        if limits is not None:
            stamp = event.get("timestamp") if isinstance(event, dict) else None
            return limits, as_epoch(stamp)
    return None


def _rate_limits(event: Any) -> Mapping[str, Any] | None:
    if not isinstance(event, dict):
        return None
    payload = event.get("payload")
    payload = payload if isinstance(payload, dict) else event
    if payload.get("type") != "token_count":
        return None
    limits = payload.get("rate_limits")
    return limits if isinstance(limits, dict) and limits else None


def _lines_backwards(path: str, budget: int = MAX_TAIL_BYTES) -> Iterator[bytes]:
    try:
        fd = os.open(
            path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
        )
    except OSError:
        return
    with os.fdopen(fd, "rb") as handle:
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                return  # a FIFO or a device: never read
            end = handle.seek(0, os.SEEK_END)
        except OSError:
            return
        yield from _split_backwards(handle, end, budget)


def _split_backwards(handle: Any, end: int, budget: int) -> Iterator[bytes]:
    """Lines from the end; a line longer than MAX_LINE is dropped without being kept whole."""
    position, carry, read, oversized = end, b"", 0, False
    while position > 0 and read < budget:
        size = min(BLOCK, position)
        position -= size
        handle.seek(position)
        parts = (handle.read(size) + carry).split(b"\n")
        read += size
        carry, lines = parts[0], parts[1:]
        if oversized and lines:
            lines, oversized = lines[:-1], False  # the start of the giant line
        for line in reversed(lines):
            if line.strip() and len(line) <= MAX_LINE:
                yield line
        if len(carry) > MAX_LINE:
            carry, oversized = b"", True
    if position == 0 and not oversized and carry.strip():
        yield carry


def _windows(limits: Mapping[str, Any], observed: float) -> tuple[tuple[r.Window, ...], float]:
    windows = []
    for key, fallback in _LABELS:
        window = _window(limits.get(key), fallback, observed)
        if window is not None:
            windows.append(window)
    return tuple(windows), observed


def _window(value: Any, fallback: str, observed: float) -> r.Window | None:
    if not isinstance(value, dict):
        return None
    used = value.get("used_percent")
    if isinstance(used, bool) or not isinstance(used, (int, float)) or not 0 <= used <= 1000:
        return None
    minutes = value.get("window_minutes")
    minutes = minutes if isinstance(minutes, int) and not isinstance(minutes, bool) else None
    resets = as_epoch(value.get("resets_at"))
    relative = value.get("resets_in_seconds")
    if resets is None and isinstance(relative, (int, float)) and not isinstance(relative, bool):
        resets = observed + relative if 0 <= relative < 1e8 else None
    return r.Window(r.window_label(minutes, fallback), float(used), resets, minutes)
