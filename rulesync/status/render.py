"""The status line in each format, and the JSON object; pure functions of the facts.

Formats: `plain` (no colour), `tty` (ANSI colours), `tmux` (`#[fg=…]`), `claude` (Claude
Code's status line: model, context, cost first; ANSI colours, which Claude shows).
Colours: under 70 % green, from 70 % yellow, from 90 % (or out of quota) red; old or unknown
figures dim.
"""

from __future__ import annotations

from rulesync.status import reading as r
from rulesync.status.limits import Availability
from rulesync.status.timefmt import clock, iso, short_duration

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

SEPARATOR = " · "
WARN_PERCENT = 70.0
ALERT_PERCENT = 90.0
#: Besides the first window, show another only when it is this full.
SHOW_OTHER_PERCENT = 50.0

_ANSI = {"green": "\x1b[32m", "yellow": "\x1b[33m", "red": "\x1b[31m", "dim": "\x1b[2m"}
_ANSI_RESET = "\x1b[0m"


class Facts(r.Record):
    __slots__ = ("now", "readings", "availability", "rules", "claude", "lint", "memory_stale")  # noqa: RUF023 (the field order)
    now: float
    readings: Mapping[str, r.Reading]
    availability: Mapping[str, Availability]
    rules: str | None  # "ok", "drift", "error"; None outside a rulesync project
    claude: Mapping[str, Any] | None  # the statusLine payload, with --for claude
    #: rulesync.status.lintstate's (state, findings); None outside a rulesync project
    lint: tuple[str, int | None] | None
    memory_stale: int | None  # entries of the shared memory not verified for 90 days

    def __init__(
        self,
        now: float,
        readings: Mapping[str, r.Reading],
        availability: Mapping[str, Availability],
        rules: str | None,
        claude: Mapping[str, Any] | None = None,
        lint: tuple[str, int | None] | None = None,
        memory_stale: int | None = None,
    ) -> None:
        self._set(
            now=now,
            readings=readings,
            availability=availability,
            rules=rules,
            claude=claude,
            lint=lint,
            memory_stale=memory_stale,
        )


Segment = tuple[str, str | None]  # text, colour


def line(facts: Facts, style: str) -> str:
    segments = [*(_claude_segments(facts.claude) if facts.claude is not None else [])]
    for provider, available in facts.availability.items():
        segments.append(
            provider_segment(provider, facts.readings.get(provider), available, facts.now)
        )
    if facts.rules is not None:
        colour = {"ok": "green", "drift": "yellow"}.get(facts.rules, "red")
        segments.append((f"rules {facts.rules}", colour))
    if facts.lint is not None:
        segments.append(lint_segment(*facts.lint))
    if facts.memory_stale:
        segments.append((f"memory {facts.memory_stale} stale", "yellow"))
    return SEPARATOR.join(_paint(text, colour, style) for text, colour in segments)


def lint_segment(state: str, findings: int | None) -> Segment:
    """`lint ok`, `lint 3` (findings that stand) or `lint ?` (not known: never shown as ok)."""
    if state == "ok":
        return "lint ok", "green"
    if state == "findings":
        return f"lint {findings}", "red"
    return "lint ?", "dim"


def provider_segment(
    provider: str, reading: r.Reading | None, available: Availability, now: float
) -> Segment:
    if available.out_until is not None:
        return f"{provider} quota ↻{clock(available.out_until, now)}", "red"
    if reading is None or reading.state in (r.MISSING, r.UNREADABLE):
        return f"{provider} ?", "dim"
    windows = reading.current(now)
    if not windows:
        return f"{provider} reset", "dim"  # every window reset since the figure: unknown now
    shown = [windows[0], *(w for w in windows[1:] if w.used_percent >= SHOW_OTHER_PERCENT)]
    text = " ".join(_window_text(w, now) for w in shown)
    worst = max(w.used_percent for w in shown)
    if reading.state == r.STALE:
        age = reading.age(now)
        return f"{provider} {text} ({short_duration(age or 0)} old)", "dim"
    return f"{provider} {text}", _colour(worst)


def _window_text(window: r.Window, now: float) -> str:
    text = f"{window.label} {window.used_percent:.0f}%"
    if window.resets_at is not None:
        text += f" ↻{short_duration(window.resets_at - now)}"
    return text


def _colour(percent: float) -> str:
    if percent >= ALERT_PERCENT:
        return "red"
    return "yellow" if percent >= WARN_PERCENT else "green"


def _claude_segments(payload: Mapping[str, Any]) -> list[Segment]:
    segments: list[Segment] = []
    model = payload.get("model")
    name = model.get("display_name") if isinstance(model, dict) else None
    if isinstance(name, str) and name.strip():
        segments.append((_printable(name)[:40], None))
    context = context_percent(payload.get("context_window"))
    if context is not None:
        segments.append((f"ctx {context:.0f}%", _colour(context)))
    cost = payload.get("cost")
    usd = cost.get("total_cost_usd") if isinstance(cost, dict) else None
    if isinstance(usd, (int, float)) and not isinstance(usd, bool) and 0 <= usd < 1e7:
        segments.append((f"${usd:.2f}", None))
    return segments


def context_percent(window: Any) -> float | None:
    """`used_percentage` when Claude gives it; else the current usage over the window size."""
    if not isinstance(window, dict):
        return None
    used = window.get("used_percentage")
    if isinstance(used, (int, float)) and not isinstance(used, bool) and 0 <= used <= 100:
        return float(used)
    size, usage = window.get("context_window_size"), window.get("current_usage")
    if (
        not isinstance(size, int)
        or isinstance(size, bool)
        or size <= 0
        or not isinstance(usage, dict)
    ):
        return None
    keys = ("input_tokens", "cache_creation_input_tokens", "cache_read_input_tokens")
    tokens = sum(
        v for k in keys if isinstance(v := usage.get(k), int) and not isinstance(v, bool) and v >= 0
    )
    return min(100.0, 100.0 * tokens / size)


def _paint(text: str, colour: str | None, style: str) -> str:
    if colour is None or style == "plain":
        return text
    if style == "tmux":
        tmux_colour = "colour244" if colour == "dim" else colour
        return f"#[fg={tmux_colour}]{text.replace('#', '##')}#[default]"
    return f"{_ANSI[colour]}{text}{_ANSI_RESET}"


def _printable(text: str) -> str:
    return "".join(ch if ch.isprintable() else "?" for ch in text)


def as_json(facts: Facts) -> dict[str, Any]:
    providers = {}
    for provider, available in facts.availability.items():
        reading = facts.readings.get(provider)
        providers[provider] = _provider_json(reading, available, facts.now)
    lint = None
    if facts.lint is not None:
        lint = {"state": facts.lint[0], "findings": facts.lint[1]}
    return {
        "generated_at": iso(facts.now),
        "providers": providers,
        "rules": facts.rules,
        "lint": lint,
        "memory_stale": facts.memory_stale,
    }


def _provider_json(
    reading: r.Reading | None, available: Availability, now: float
) -> dict[str, Any]:
    age = reading.age(now) if reading else None
    return {
        "state": reading.state if reading else r.MISSING,
        "source": reading.source if reading else None,
        "observed_at": iso(reading.observed_at) if reading and reading.observed_at else None,
        "age_s": None if age is None else round(age),
        "windows": [
            {
                "label": w.label,
                "used_percent": w.used_percent,
                "window_minutes": w.window_minutes,
                "resets_at": iso(w.resets_at) if w.resets_at is not None else None,
                "reset_since": w.resets_at is not None and w.resets_at <= now,
            }
            for w in (reading.windows if reading else ())
        ],
        "out_of_quota_until": iso(available.out_until) if available.out_until else None,
        "used_percent": available.used_percent,
        "reason": available.reason,
        "detail": reading.detail if reading else "",
    }
