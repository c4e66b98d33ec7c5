"""Classification: which failure class (see classes.py) a finished vendor run falls in.

Signatures come from each vendor's adapter and are matched case-insensitively against the
captured output, with ANSI colours removed.
"""

from __future__ import annotations

import re
import signal

from rulesync.dispatch.classes import (
    AUTH,
    FAILED,
    INTERRUPTED,
    NOT_INSTALLED,
    OK,
    QUOTA,
    TIMEOUT,
    UNTRUSTED,
)
from rulesync.dispatch.vendors.base import Signatures
from rulesync.record import Frozen

_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07")
# "resets 3pm (Europe/Berlin)", "will reset after 2h30m", "try again at 4:05 PM", "retry in 20s"
_WHEN = r"(?P<when>[^\n]{1,60}?)\s*(?:[.,;](?:\s|$)|$)"
_RESETS = (
    re.compile(r"\bresets?\b:?\s+" + _WHEN, re.IGNORECASE | re.MULTILINE),
    re.compile(
        r"\b(?:try again|retry)\s+(?=(?:at|in|after)\b)" + _WHEN, re.IGNORECASE | re.MULTILINE
    ),
)


class Verdict(Frozen):
    __slots__ = ("failure_class", "reset_time", "detail")  # noqa: RUF023 - the field order
    failure_class: str
    reset_time: str | None
    detail: str | None  # which signature matched, or the failing line

    def __init__(
        self,
        failure_class: str,
        reset_time: str | None = None,
        detail: str | None = None,
    ) -> None:
        self._set(failure_class=failure_class, reset_time=reset_time, detail=detail)


class Ending(Frozen):
    """How the process ended, as far as classification needs to know."""

    __slots__ = ("returncode", "output", "timed_out", "interrupted", "missing")  # noqa: RUF023 - the field order
    returncode: int | None
    output: str  # captured stdout and stderr
    timed_out: bool
    interrupted: bool
    missing: bool

    def __init__(
        self,
        returncode: int | None,
        output: str,
        timed_out: bool = False,
        interrupted: bool = False,
        missing: bool = False,
    ) -> None:
        self._set(
            returncode=returncode,
            output=output,
            timed_out=timed_out,
            interrupted=interrupted,
            missing=missing,
        )


def classify(ending: Ending, signatures: Signatures) -> Verdict:
    if ending.missing:
        return Verdict(NOT_INSTALLED)
    if ending.interrupted:
        return Verdict(INTERRUPTED)
    if ending.timed_out:
        return Verdict(TIMEOUT)
    if ending.returncode == 0:
        return Verdict(OK)
    return _classify_failure(ending, signatures)


def _classify_failure(ending: Ending, signatures: Signatures) -> Verdict:
    text = strip_ansi(ending.output)
    by_code = signatures.exit_codes.get(ending.returncode or 0)
    if by_code is not None:
        return Verdict(by_code, reset_time(text) if by_code == QUOTA else None)
    for failure_class, patterns in (
        (UNTRUSTED, signatures.untrusted),
        (QUOTA, signatures.quota),  # before auth: a throttled caller is evidently logged in
        (AUTH, signatures.auth),
        (NOT_INSTALLED, signatures.unavailable),
    ):
        line = _first_match(patterns, text)
        if line is not None:
            reset = reset_time(text) if failure_class == QUOTA else None
            return Verdict(failure_class, reset, line)
    return Verdict(FAILED, detail=_last_line(text))


def _first_match(patterns: tuple[str, ...], text: str) -> str | None:
    for pattern in patterns:
        match = re.search(pattern, text, re.IGNORECASE)
        if match:
            start = text.rfind("\n", 0, match.start()) + 1
            end = text.find("\n", match.end())
            return text[start : end if end >= 0 else len(text)].strip()
    return None


def reset_time(text: str) -> str | None:
    """The vendor's own words for when a quota resets ("3pm (Europe/Berlin)", "4:05 PM")."""
    for pattern in _RESETS:
        match = pattern.search(text)
        if match:
            return match.group("when").strip()
    return None


def strip_ansi(text: str) -> str:
    return _ANSI.sub("", text)


def _last_line(text: str) -> str | None:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else None


def describe_returncode(returncode: int | None) -> str:
    if returncode is None:
        return "did not start"
    if returncode < 0:
        try:
            return f"was killed by {signal.Signals(-returncode).name}"
        except ValueError:
            return f"was killed by signal {-returncode}"
    return f"exited with code {returncode}"
