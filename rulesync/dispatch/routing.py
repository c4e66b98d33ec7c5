"""Quota-aware routing: which targets of the chain to try, in which order, and why.

From the last known state of each target (rulesync.status: the vendors' own records and
dispatch's run log), before anything runs:

    out of quota until T, and T is still ahead   skip (not tried at all)
    a window used at or above `avoid_above`      defer (tried after every other target)
    otherwise                                    run, in the chain's order

`--ignore-limits` runs the chain as given. When every target is skipped, the dispatch fails
with the quota class (exit 75) and names the earliest reset.
"""

from __future__ import annotations

from collections.abc import Mapping

from rulesync.record import Frozen

TYPE_CHECKING = False  # not from typing: dispatch's start-up counts (docs/dispatch.md)
if TYPE_CHECKING:
    from rulesync.status.limits import Availability

RUN, DEFER, SKIP = "run", "defer", "skip"


class Decision(Frozen):
    __slots__ = ("target", "action", "reason", "until")  # noqa: RUF023 - the field order
    target: str
    action: str  # RUN, DEFER or SKIP
    reason: str
    until: float | None  # for SKIP: when the target is expected back (epoch seconds)

    def __init__(
        self,
        target: str,
        action: str,
        reason: str,
        until: float | None = None,
    ) -> None:
        self._set(target=target, action=action, reason=reason, until=until)


class Route(Frozen):
    __slots__ = ("decisions",)
    decisions: tuple[Decision, ...]  # in the chain's order

    def __init__(
        self,
        decisions: tuple[Decision, ...],
    ) -> None:
        self._set(decisions=decisions)

    @property
    def order(self) -> tuple[str, ...]:
        """The targets to try: those to run, then the deferred ones."""
        first = [d.target for d in self.decisions if d.action == RUN]
        return (*first, *(d.target for d in self.decisions if d.action == DEFER))

    @property
    def skipped(self) -> tuple[Decision, ...]:
        return tuple(d for d in self.decisions if d.action == SKIP)

    @property
    def earliest(self) -> Decision | None:
        """The skipped target expected back first."""
        timed = [d for d in self.skipped if d.until is not None]
        return min(timed, key=lambda d: d.until or 0.0) if timed else None


def route(
    chain: tuple[str, ...],
    environ: Mapping[str, str],
    now: float,
    *,
    avoid_above: float | None,
    ignore_limits: bool = False,
) -> Route:
    if ignore_limits:
        return Route(tuple(Decision(t, RUN, "limits ignored (--ignore-limits)") for t in chain))
    from rulesync.status.limits import availabilities
    from rulesync.status.memo import Memo
    from rulesync.status.registry import read_all
    from rulesync.status.runlog import quota_marks

    memo = Memo(environ)
    readings = read_all(environ, now, chain, memo)
    available = availabilities(chain, readings, quota_marks(environ, memo), now)
    memo.save()
    return Route(tuple(decide(available[t], now, avoid_above) for t in chain))


def decide(available: Availability, now: float, avoid_above: float | None) -> Decision:
    target, used = available.provider, available.used_percent
    if available.out_until is not None and available.out_until > now:
        return Decision(target, SKIP, available.reason, available.out_until)
    if avoid_above is not None and used is not None and used >= avoid_above:
        reason = f"{used:.0f}% used, at or above avoid_above {avoid_above:g}%: tried last"
        return Decision(target, DEFER, f"{reason} ({available.reason})")
    return Decision(target, RUN, available.reason)


def explain(route_: Route, now: float) -> str:
    """The decision, one line per target, for `dispatch --explain`."""
    width = max((len(d.target) for d in route_.decisions), default=0)
    lines = [
        f"{number}. {d.target:<{width}}  {d.action:<5}  {d.reason}"
        for number, d in enumerate(route_.decisions, 1)
    ]
    if route_.order:
        lines.append(f"order: {', '.join(route_.order)}")
    else:
        lines.append(exhausted_message(route_, now))
    return "\n".join(lines)


def exhausted_message(route_: Route, now: float) -> str:
    from rulesync.status.timefmt import clock as clock_of

    first = route_.earliest
    names = ", ".join(d.target for d in route_.skipped)
    if first is None or first.until is None:
        return f"every target is out of quota ({names}); no reset time is known"
    return (
        f"every target is out of quota ({names}); the earliest back is {first.target} "
        f"at {clock_of(first.until, now)}"
    )
