"""Codex CLI: the newest `token_count` event with `rate_limits` in its newest session file.

Codex writes one JSONL file per session, `$CODEX_HOME/sessions/YYYY/MM/DD/rollout-*.jsonl`
(CODEX_HOME defaults to ~/.codex). Each model response adds an `event_msg` line whose payload
is `{"type": "token_count", "rate_limits": {"primary": {...}, "secondary": {...}}}`, each
window with `used_percent`, `window_minutes` and `resets_at` (epoch seconds; older versions
wrote `resets_in_seconds`, relative to the line's `timestamp`).

Cheap on purpose: the date folders are walked newest first and only the newest day's files
are looked at (at most MAX_FILES of them), and each file is read backwards from its end, in
blocks, until the last such event (at most MAX_TAIL_BYTES per file).
"""

from __future__ import annotations

import json
import os

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
_LABELS = (("primary", "5h"), ("secondary", "7d"))


def sessions_dir(environ: Mapping[str, str]) -> str:
    home = environ.get("CODEX_HOME") or os.path.join(
        environ.get("HOME") or os.path.expanduser("~"), ".codex"
    )
    return os.path.join(os.path.expanduser(home), "sessions")


def read(environ: Mapping[str, str], now: float, memo: Memo | None = None) -> r.Reading:
    folder = sessions_dir(environ)
    checked = 0
    for path, mtime in newest_sessions(folder, MAX_FILES):
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


def newest_sessions(folder: str, limit: int) -> Iterator[tuple[str, float]]:
    """The newest session files, newest first: the newest day folder's by modification time,
    then the next day's; never more than `limit` files, never a listing of every day."""
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


def _lines_backwards(path: str) -> Iterator[bytes]:
    try:
        fd = os.open(
            path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
        )
    except OSError:
        return
    with os.fdopen(fd, "rb") as handle:
        try:
            end = handle.seek(0, os.SEEK_END)
        except OSError:
            return
        yield from _split_backwards(handle, end)


def _split_backwards(handle: Any, end: int) -> Iterator[bytes]:
    """Lines from the end; a line longer than MAX_LINE is dropped without being kept whole."""
    position, carry, read, oversized = end, b"", 0, False
    while position > 0 and read < MAX_TAIL_BYTES:
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
