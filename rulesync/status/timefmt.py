"""Times as the vendors write them, turned into epoch seconds; and short human forms.

Every parser returns None for anything it does not understand: a reading with an unknown
time is still shown, only without that time.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    import re
    from datetime import tzinfo

_MS_THRESHOLD = 1e11  # epoch numbers above this are milliseconds
_UNITS = {"d": 86400, "h": 3600, "m": 60, "s": 1, "ms": 0.001}
_DURATION = (
    r"^(?:in|after)?\s*((?:\d+(?:\.\d+)?\s*"
    r"(?:ms|d|days?|h|hours?|hrs?|m|mins?|minutes?|s|secs?|seconds?)\s*,?\s*(?:and\s+)?)+)$"
)
_PART = r"(\d+(?:\.\d+)?)\s*(ms|[dhms])"
_CLOCK = (
    r"^(?:at\s+)?(?P<hour>\d{1,2})(?::(?P<minute>\d{2}))?\s*(?P<ampm>am|pm)?"
    r"\s*(?:\((?P<zone>[A-Za-z0-9_+\-/]{1,64})\))?$"
)


def as_epoch(value: object) -> float | None:
    """Epoch seconds (or milliseconds) as a number, or an ISO 8601 text; None otherwise."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        number = float(value)
        if number != number or number <= 0 or number == float("inf"):
            return None
        return number / 1000 if number > _MS_THRESHOLD else number
    if isinstance(value, str) and 0 < len(value) <= 64:
        return _iso(value.strip())
    return None


def _iso(text: str) -> float | None:
    from datetime import datetime, timezone

    try:
        parsed = datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith("Z") else text)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed.timestamp()


def reset_epoch(text: str | None, said_at: float) -> float | None:
    """A vendor's reset wording ("in 2h30m", "4:05 PM", "3pm (Europe/Berlin)") said at
    `said_at`, as epoch seconds; None when the wording is not understood."""
    if not text or len(text) > 80:
        return None
    import re  # only here: a status line without a quota error never needs it

    words = text.strip().rstrip(".")
    duration = re.match(_DURATION, words, re.IGNORECASE)
    if duration:
        parts = re.findall(_PART, duration.group(1), re.IGNORECASE)
        return said_at + sum(float(n) * _UNITS[u.lower()] for n, u in parts)
    clock = re.match(_CLOCK, words, re.IGNORECASE)
    if clock:
        return _next_clock(clock, said_at)
    return as_epoch(words)


def _next_clock(clock: re.Match[str], said_at: float) -> float | None:
    from datetime import datetime, timedelta

    hour, minute = int(clock["hour"]), int(clock["minute"] or 0)
    ampm = (clock["ampm"] or "").lower()
    if ampm:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    if hour > 23 or minute > 59:
        return None
    zone = _zone(clock["zone"])
    said = datetime.fromtimestamp(said_at, zone) if zone else datetime.fromtimestamp(said_at)
    when = said.replace(hour=hour, minute=minute, second=0, microsecond=0)
    if when <= said:
        when += timedelta(days=1)
    return when.timestamp()


def _zone(name: str | None) -> tzinfo | None:
    if not name:
        return None
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo(name)
    except (ValueError, OSError, ImportError, KeyError):  # unknown or malformed zone name
        return None


def short_duration(seconds: float) -> str:
    """1h12m, 3d4h, 45m, 20s."""
    whole = max(0, int(seconds))
    days, rest = divmod(whole, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{days}d{hours}h" if hours else f"{days}d"
    if hours:
        return f"{hours}h{minutes:02d}m" if minutes else f"{hours}h"
    return f"{minutes}m" if minutes else f"{secs}s"


def clock(epoch: float, now: float) -> str:
    """14:05 today, or `Tue 14:05` further away (local time)."""
    import time

    local = time.localtime(epoch)
    if epoch - now < 86400 - 60:
        return time.strftime("%H:%M", local)
    return time.strftime("%a %H:%M", local)


def iso(epoch: float) -> str:
    import time

    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))
