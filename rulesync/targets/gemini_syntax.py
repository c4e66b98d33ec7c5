"""Claude command syntax -> Gemini CLI command syntax.

`$ARGUMENTS` -> `{{args}}`, `` !`cmd` `` -> `!{cmd}`, `@path` -> `@{path}`. Positional `$1`
has no Gemini equivalent (Gemini 0.61 only knows `{{args}}`), so it is left as is, with a warning.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial

from rulesync.fences import is_fence, track_fence

_TOKEN = re.compile(
    r"!`(?P<shell>[^`\n]+)`"  # Claude shell injection
    r"|(?P<code>`+)(?:[^`]|(?!(?P=code))`)*?(?P=code)"  # an inline code span: left alone
    r"|(?<![\w@.])@(?P<file>(?:[\w.~-]+/)*[\w~-]*\.[\w]+|(?:[\w.~-]+/)+[\w.~-]*)"  # @path
)
_POSITIONAL = re.compile(r"(?<![\w$\\])\$(\d+)\b")

Warn = Callable[[int, str], None]  # (line offset in the body, message)


def to_gemini_prompt(body: str, warn: Warn) -> str:
    lines = body.replace("$ARGUMENTS", "{{args}}").split("\n")
    fence: str | None = None
    for index, line in enumerate(lines):
        for match in _POSITIONAL.finditer(line):
            warn(
                index,
                f"positional `${match.group(1)}` has no Gemini CLI equivalent; left as is (Gemini passes the whole input as {{{{args}}}})",
            )
        if is_fence(line):
            fence = track_fence(line, fence)
            continue
        if fence is None:
            lines[index] = _TOKEN.sub(partial(_replace, index, warn), line)
    return "\n".join(lines)


def _replace(index: int, warn: Warn, match: re.Match[str]) -> str:
    if match.group("shell") is not None:
        command = match.group("shell")
        if command.count("{") != command.count("}"):
            warn(
                index,
                f"shell command `{command}` has unbalanced braces, which Gemini's !{{…}} cannot hold",
            )
        return f"!{{{command}}}"
    if match.group("file") is not None:
        return f"@{{{match.group('file')}}}"
    return match.group(0)
