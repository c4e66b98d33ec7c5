"""Fenced code blocks in Markdown, tracked line by line: markers inside code are text."""

from __future__ import annotations

import re

_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")


def is_fence(line: str) -> bool:
    """Does the line open or close a fenced code block (when one of its kind is open)?"""
    return _FENCE.match(line) is not None


def track_fence(line: str, fence: str | None) -> str | None:
    """The open fence after `line` (None outside code), given the one open before it."""
    match = _FENCE.match(line)
    if not match:
        return fence
    marker = match.group(1)
    if fence is None:
        return marker
    return None if marker[0] == fence[0] and len(marker) >= len(fence) else fence
