"""What a dispatch reports: one Attempt per target tried, and the Result of the run."""

from __future__ import annotations

from dataclasses import dataclass

from rulesync.dispatch.classes import EXIT_CODES, OK


@dataclass(frozen=True)
class Attempt:
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

    @property
    def exit_code(self) -> int:
        return EXIT_CODES[self.failure_class]

    @property
    def ok(self) -> bool:
        return self.failure_class == OK


@dataclass(frozen=True)
class Result:
    run_id: str
    parent_run_id: str | None
    attempts: tuple[Attempt, ...]
    #: set when no attempt ran because every target was out of quota: that, and the reset
    note: str | None = None

    @property
    def message(self) -> str:
        return self.note or self.final.message

    @property
    def final(self) -> Attempt:
        return self.attempts[-1]

    @property
    def exit_code(self) -> int:
        return self.final.exit_code
