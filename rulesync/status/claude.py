"""Claude Code: the `rate_limits` its statusLine command is given on stdin, kept on disk.

Claude Code (v2.1.80 and later, for Claude.ai plans) passes
`rate_limits.five_hour` / `seven_day` with `used_percentage` and `resets_at` (epoch seconds,
or an ISO 8601 text in some versions) to the statusLine command. The field is absent for
some plans and versions. `rulesync status --for claude` keeps the last value seen, with the
time it was seen, in `claude-limits.json` in the state folder, for other agents and for
`rulesync status` outside Claude.
"""

from __future__ import annotations

import os

from rulesync.status import reading as r
from rulesync.status.store import read_bytes, state_dir, try_write
from rulesync.status.timefmt import as_epoch

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

FILE_NAME = "claude-limits.txt"
HEADER = "rulesync claude-limits 1\n"
MAX_BYTES = 4096
SOURCE = "Claude Code statusLine (last seen)"
_WINDOWS = (("five_hour", "5h", 300), ("seven_day", "7d", 10080))


def limits_path(environ: Mapping[str, str]) -> str:
    return os.path.join(state_dir(environ), FILE_NAME)


def parse_rate_limits(value: Any) -> tuple[r.Window, ...]:
    """The windows in a statusLine `rate_limits` object; () when absent or of another shape."""
    if not isinstance(value, dict):
        return ()
    windows = []
    for key, label, minutes in _WINDOWS:
        window = _window(value.get(key), label, minutes)
        if window is not None:
            windows.append(window)
    return tuple(windows)


def _window(value: Any, label: str, minutes: int) -> r.Window | None:
    if not isinstance(value, dict):
        return None
    used = _percent(value.get("used_percentage"))
    if used is None:
        return None
    return r.Window(label, used, as_epoch(value.get("resets_at")), minutes)


def _percent(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    number = float(value)
    return number if 0 <= number <= 1000 else None  # NaN fails both


def remember(payload: Any, environ: Mapping[str, str], now: float) -> r.Reading | None:
    """Keep the payload's rate limits, when it has any; the reading they make, or None."""
    limits = payload.get("rate_limits") if isinstance(payload, dict) else None
    windows = parse_rate_limits(limits)
    if not windows:
        return None
    text = HEADER + r.encode_windows(now, windows) + "\n"
    try_write(limits_path(environ), text.encode("utf-8"))  # a status line never fails for it
    return r.Reading("claude", r.freshness(now, now, windows), SOURCE, windows, now)


def read(environ: Mapping[str, str], now: float, memo: object = None) -> r.Reading:
    path = limits_path(environ)
    raw = read_bytes(path, MAX_BYTES)
    if raw is None:
        if os.path.lexists(path):
            return r.Reading("claude", r.UNREADABLE, SOURCE, detail=f"{path} is not a small file")
        return r.Reading(
            "claude",
            r.MISSING,
            SOURCE,
            detail="no rate limits seen yet (see `rulesync status --for claude`)",
        )
    text = raw.decode("utf-8", "replace")
    decoded = r.decode_windows(text[len(HEADER) :].strip()) if text.startswith(HEADER) else None
    if decoded is None:
        return r.Reading("claude", r.UNREADABLE, SOURCE, detail=f"{path} is damaged")
    observed, windows = decoded
    return r.Reading("claude", r.freshness(observed, now, windows), SOURCE, windows, observed)
