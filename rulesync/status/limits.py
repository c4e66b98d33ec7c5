"""Per provider, the facts routing needs: out of quota until when, and how much is used.

Both the status line and quota-aware dispatch read them from here, so they never disagree.
A figure from a window that has since reset is not used; an old figure from a window that
still runs is the last known state, and is used (with its age in the reason).
"""

from __future__ import annotations

from rulesync.status.reading import Reading, Record
from rulesync.status.runlog import QuotaMark
from rulesync.status.timefmt import clock, short_duration

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping

EXHAUSTED_PERCENT = 100.0


class Availability(Record):
    __slots__ = ("provider", "out_until", "used_percent", "reason")  # noqa: RUF023 (the field order)
    provider: str
    out_until: float | None  # out of quota until then; None: not known to be out
    used_percent: float | None  # the highest use of a window still running; None: unknown
    reason: str  # one line: what was seen, where, and how old it is

    def __init__(
        self, provider: str, out_until: float | None, used_percent: float | None, reason: str
    ) -> None:
        self._set(provider=provider, out_until=out_until, used_percent=used_percent, reason=reason)


def availability(
    provider: str, reading: Reading | None, mark: QuotaMark | None, now: float
) -> Availability:
    out_until: float | None = None
    used: float | None = None
    reasons = []
    if reading is not None:
        for window in reading.current(now):
            used = window.used_percent if used is None else max(used, window.used_percent)
            if window.used_percent >= EXHAUSTED_PERCENT and window.resets_at is not None:
                out_until = max(out_until or 0.0, window.resets_at)
        if used is not None:
            reasons.append(f"{used:.0f}% used per {reading.source}{_age(reading, now)}")
    if mark is not None and mark.until > now:
        out_until = max(out_until or 0.0, mark.until)
        said = f"resets {mark.reset_text}" if mark.reset_text else "no reset time given"
        assumed = "" if mark.reset_known else f", assumed {short_duration(mark.until - mark.since)}"
        reasons.append(
            f"quota error {short_duration(now - mark.since)} ago in dispatch's run log ({said}{assumed})"
        )
    if out_until is not None:
        reasons.insert(0, f"out of quota until {clock(out_until, now)}")
    return Availability(provider, out_until, used, "; ".join(reasons) or "no usage figures")


def availabilities(
    providers: tuple[str, ...],
    readings: Mapping[str, Reading],
    marks: Mapping[str, QuotaMark],
    now: float,
) -> dict[str, Availability]:
    return {p: availability(p, readings.get(p), marks.get(p), now) for p in providers}


def _age(reading: Reading, now: float) -> str:
    age = reading.age(now)
    return "" if age is None else f", {short_duration(age)} old"
