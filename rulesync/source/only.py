"""`<!-- only: claude, codex -->` … `<!-- /only -->`: passages meant for some agents only."""

from __future__ import annotations

import re

from rulesync.errors import Problem
from rulesync.record import Frozen
from rulesync.source.fences import track_fence
from rulesync.source.names import TARGETS, canonical_target, did_you_mean

_OPEN = re.compile(r"^\s*<!--\s*only\s*:\s*(?P<names>[^>]*?)\s*-->\s*$")
_CLOSE = re.compile(r"^\s*<!--\s*/only\s*-->\s*$")


class Segment(Frozen):
    """A run of body lines, kept for every target (None) or for the listed ones."""

    __slots__ = ("text", "targets")  # noqa: RUF023 - the field order
    text: str
    targets: tuple[str, ...] | None

    def __init__(self, text: str, targets: tuple[str, ...] | None = None) -> None:
        self._set(text=text, targets=targets)


def split_segments(body: str, display: str, first_line: int) -> tuple[list[Segment], list[Problem]]:
    """Cut a body into segments at `only` markers. Markers inside fenced code are text."""
    segments: list[Segment] = []
    problems: list[Problem] = []
    current: list[str] = []
    scope: tuple[str, ...] | None = None
    open_line = 0
    fence: str | None = None
    for offset, line in enumerate(body.split("\n")):
        number = first_line + offset
        fence = track_fence(line, fence)
        opening = _OPEN.match(line) if fence is None else None
        closing = _CLOSE.match(line) if fence is None else None
        if opening:
            if scope is not None:
                problems.append(
                    Problem(
                        display,
                        "`only` passages cannot nest",
                        number,
                        "close the first with `<!-- /only -->`",
                    )
                )
                continue
            segments.append(Segment("\n".join(current), None))
            current, open_line = [], number
            scope = _parse_targets(opening.group("names"), display, number, problems)
        elif closing:
            if scope is None:
                problems.append(
                    Problem(
                        display,
                        "`<!-- /only -->` without an opening `<!-- only: … -->`",
                        number,
                        "remove it",
                    )
                )
                continue
            segments.append(Segment("\n".join(current), scope))
            current, scope = [], None
        else:
            current.append(line)
    if scope is not None:
        problems.append(
            Problem(
                display, "`<!-- only: … -->` is never closed", open_line, "add `<!-- /only -->`"
            )
        )
    segments.append(Segment("\n".join(current), scope))
    return [s for s in segments if s.text], problems


def join_for(segments: list[Segment] | tuple[Segment, ...], target: str) -> str:
    """The body as `target` sees it."""
    kept = [s.text for s in segments if s.targets is None or target in s.targets]
    return "\n".join(kept)


def _parse_targets(names: str, display: str, line: int, problems: list[Problem]) -> tuple[str, ...]:
    chosen: list[str] = []
    for name in filter(None, (n.strip() for n in names.split(","))):
        target = canonical_target(name)
        if target is None:
            hint = did_you_mean(name, TARGETS) or f"use {', '.join(TARGETS)}"
            problems.append(
                Problem(display, f"unknown target `{name}` in `only` marker", line, hint)
            )
        else:
            chosen.append(target)
    if not chosen and not problems:
        problems.append(
            Problem(
                display,
                "`only` marker names no target",
                line,
                "e.g. `<!-- only: claude, codex -->`",
            )
        )
    return tuple(chosen)
