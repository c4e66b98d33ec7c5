"""What a dispatch reports: one Attempt per target tried, and the Result of the run."""

from __future__ import annotations

from rulesync.dispatch.classes import EXIT_CODES, OK
from rulesync.record import Frozen


class Attempt(Frozen):
    __slots__ = (  # noqa: RUF023 - the field order: repr and replace follow it
        "target",
        "model",
        "failure_class",
        "returncode",
        "duration",
        "started_at",
        "reset_time",
        "message",
        "output",
        "output_truncated",
    )
    target: str
    model: str | None
    failure_class: str
    returncode: int | None  # the vendor CLI's own; None when it never started
    duration: float  # seconds
    started_at: str  # ISO 8601, UTC
    reset_time: str | None
    message: str  # one line, redacted
    output: str  # the captured stdout, redacted
    output_truncated: bool

    def __init__(
        self,
        target: str,
        model: str | None,
        failure_class: str,
        returncode: int | None,
        duration: float,
        started_at: str,
        reset_time: str | None,
        message: str,
        output: str,
        output_truncated: bool,
    ) -> None:
        self._set(
            target=target,
            model=model,
            failure_class=failure_class,
            returncode=returncode,
            duration=duration,
            started_at=started_at,
            reset_time=reset_time,
            message=message,
            output=output,
            output_truncated=output_truncated,
        )

    @property
    def exit_code(self) -> int:
        return EXIT_CODES[self.failure_class]

    @property
    def ok(self) -> bool:
        return self.failure_class == OK


class Result(Frozen):
    __slots__ = ("run_id", "parent_run_id", "attempts", "note")  # noqa: RUF023 - the field order
    run_id: str
    parent_run_id: str | None
    attempts: tuple[Attempt, ...]
    #: set when no attempt ran because every target was out of quota: that, and the reset
    note: str | None

    def __init__(
        self,
        run_id: str,
        parent_run_id: str | None,
        attempts: tuple[Attempt, ...],
        note: str | None = None,
    ) -> None:
        self._set(run_id=run_id, parent_run_id=parent_run_id, attempts=attempts, note=note)

    @property
    def message(self) -> str:
        return self.note or self.final.message

    @property
    def final(self) -> Attempt:
        return self.attempts[-1]

    @property
    def exit_code(self) -> int:
        return self.final.exit_code
