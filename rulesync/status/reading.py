"""What every usage reader returns: a Reading with its windows and how fresh it is.

A reading that is missing, unreadable or stale says so; its percentages are never shown as 0%.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing itself costs a status line ~8 ms of start-up
if TYPE_CHECKING:
    from collections.abc import Iterator

#: A figure older than this is shown as stale (its age is shown with it).
STALE_AFTER_S = 30 * 60

OK = "ok"  # a figure, recent enough
STALE = "stale"  # a figure, but old (or every window of it has since reset)
MISSING = "missing"  # the vendor has recorded nothing we can read
UNREADABLE = "unreadable"  # there is a file, but it is damaged or of an unknown shape


class Record:
    """A small immutable value: equality, repr and iteration by its __slots__ (a NamedTuple
    without importing typing)."""

    __slots__: tuple[str, ...] = ()

    def __iter__(self) -> Iterator[object]:
        return (getattr(self, name) for name in self.__slots__)

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and tuple(self) == tuple(other)

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"{type(self).__name__}({fields})"

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def _set(self, **values: object) -> None:
        for name, value in values.items():
            object.__setattr__(self, name, value)


class Window(Record):
    """One rate-limit window: `5h` at 62 % used, resetting at an epoch second."""

    __slots__ = ("label", "used_percent", "resets_at", "window_minutes")  # noqa: RUF023 (the field order)
    label: str  # "5h", "7d", or the window in minutes when it is unusual
    used_percent: float
    resets_at: float | None  # epoch seconds
    window_minutes: int | None

    def __init__(
        self,
        label: str,
        used_percent: float,
        resets_at: float | None = None,
        window_minutes: int | None = None,
    ) -> None:
        self._set(
            label=label,
            used_percent=used_percent,
            resets_at=resets_at,
            window_minutes=window_minutes,
        )


class Reading(Record):
    __slots__ = ("provider", "state", "source", "windows", "observed_at", "detail")  # noqa: RUF023 (the field order)
    provider: str
    state: str  # OK, STALE, MISSING or UNREADABLE
    source: str  # where the figure came from, for --json and --explain
    windows: tuple[Window, ...]
    observed_at: float | None  # epoch seconds of the figure itself
    detail: str  # why it is missing or unreadable

    def __init__(
        self,
        provider: str,
        state: str,
        source: str,
        windows: tuple[Window, ...] = (),
        observed_at: float | None = None,
        detail: str = "",
    ) -> None:
        self._set(
            provider=provider,
            state=state,
            source=source,
            windows=windows,
            observed_at=observed_at,
            detail=detail,
        )

    def age(self, now: float) -> float | None:
        return None if self.observed_at is None else max(0.0, now - self.observed_at)

    def current(self, now: float) -> tuple[Window, ...]:
        """The windows that have not reset since the figure was taken."""
        return tuple(w for w in self.windows if w.resets_at is None or w.resets_at > now)


def window_label(minutes: int | None, fallback: str) -> str:
    if minutes is None or minutes <= 0:
        return fallback
    if minutes % 1440 == 0:
        return f"{minutes // 1440}d"
    if minutes % 60 == 0:
        return f"{minutes // 60}h"
    return f"{minutes}m"


def freshness(observed_at: float | None, now: float, windows: tuple[Window, ...]) -> str:
    """OK while the figure is recent and some window of it still runs; STALE otherwise."""
    if observed_at is None or now - observed_at > STALE_AFTER_S:
        return STALE
    if windows and all(w.resets_at is not None and w.resets_at <= now for w in windows):
        return STALE
    return OK


def encode_windows(observed_at: float, windows: tuple[Window, ...]) -> str:
    """`observed ␞ label ␟ used ␟ resets ␟ minutes ␞ …`, for the memo and Claude's record."""
    items = [repr(float(observed_at))]
    for w in windows:
        resets = "" if w.resets_at is None else repr(float(w.resets_at))
        minutes = "" if w.window_minutes is None else str(w.window_minutes)
        label = "".join(ch for ch in w.label if ch.isalnum())[:8]
        items.append("\x1f".join((label, repr(float(w.used_percent)), resets, minutes)))
    return "\x1e".join(items)


def decode_windows(text: str) -> tuple[float, tuple[Window, ...]] | None:
    """What encode_windows wrote; None for anything else."""
    items = text.split("\x1e")
    try:
        observed = float(items[0])
        windows = tuple(_decode_window(item) for item in items[1:9])
    except (ValueError, IndexError):
        return None
    if not 0 < observed < 1e11 or any(w.used_percent != w.used_percent for w in windows):
        return None
    return observed, windows


def _decode_window(item: str) -> Window:
    label, used, resets, minutes = item.split("\x1f")
    if not label or not 0 <= float(used) <= 1000:
        raise ValueError(item)
    return Window(
        label,
        float(used),
        float(resets) if resets else None,
        int(minutes) if minutes else None,
    )
