"""Unified diffs that `git apply` (or `patch -p1`) can apply, paths relative to the project."""

from __future__ import annotations

import difflib


def unified_diff(path: str, current: bytes | None, wanted: bytes | None) -> str:
    """The diff that turns the file on disk into what rulesync wants ("" when equal)."""
    if current == wanted:
        return ""
    old, new = _text(current), _text(wanted)
    if old is None or new is None:
        return f"Binary files a/{path} and b/{path} differ\n"
    from_name = f"a/{path}" if current is not None else "/dev/null"
    to_name = f"b/{path}" if wanted is not None else "/dev/null"
    lines = difflib.unified_diff(old, new, from_name, to_name, lineterm="")
    return "".join(_with_newline(line) for line in lines)


def _text(content: bytes | None) -> list[str] | None:
    if content is None:
        return []
    try:
        return content.decode("utf-8").splitlines(keepends=True)
    except UnicodeDecodeError:
        return None


def _with_newline(line: str) -> str:
    if line.endswith("\n"):
        return line
    if line.startswith(("---", "+++", "@@")):
        return line + "\n"
    return line + "\n\\ No newline at end of file\n"
