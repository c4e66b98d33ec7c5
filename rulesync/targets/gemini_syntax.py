r"""Claude command syntax -> Gemini CLI command syntax.

`$ARGUMENTS` -> `{{args}}`, `` !`cmd` `` -> `!{cmd}`, `@path` -> `@{path}`. Positional `$1`
has no Gemini equivalent (Gemini 0.61 only knows `{{args}}`), so it is left as is, with a warning.

Claude Code 2.1's own rules (its bundled `substituteArguments`): `$N` is positional wherever
`/\$(\d+)(?!\w)/` matches, code and prose alike, so `$5/month` is argument 5 to Claude too; a
backslash keeps it literal (`\$5` shows as `$5`), and mirror hands Gemini the plain `$5`.

Gemini CLI 0.61 reads `@{…}` (file) and `!{…}` (shell) anywhere in a prompt, code spans and
fences included (`extractInjections`), and has no escape for them. Gemini syntax already in a
body passes through (import keeps what has no Claude form that way), but git's revision syntax
(`@{u}`, `stash@{1}`, `HEAD@{2.days.ago}`) is Claude text that Gemini would read as a file to
inject: `git_revisions` finds it, and mirror keeps such a command out of Gemini.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial

from rulesync.source.fences import is_fence, track_fence

_TOKEN = re.compile(
    r"!`(?P<shell>[^`\n]+)`"  # Claude shell injection
    r"|(?P<code>`+)(?:[^`]|(?!(?P=code))`)*?(?P=code)"  # an inline code span: left alone
    r"|(?<![\w@.])@(?P<file>(?:[\w.~-]+/)*[\w~-]*\.[\w]+|(?:[\w.~-]+/)+[\w.~-]*)"  # @path
)
#: `$N` or `$ARGUMENTS[N]` as Claude Code substitutes them; `\$` (not `\\$`) escapes
_POSITIONAL = re.compile(r"(?<!(?<!\\)\\)\$(?:(\d+)(?!\w)|ARGUMENTS\[(\d+)\])")
#: Claude's escape: `\$5` or `\$ARGUMENTS` is the literal text without the backslash
_ESCAPED_DOLLAR = re.compile(r"(?<!\\)\\\$(?=\d|ARGUMENTS)")
#: git's `<ref>@{…}` or `@{u|upstream|push|N|-N|date}`: file injection to Gemini, code or not
_GIT_REVISION = re.compile(
    r"[\w./-]+@\{[^{}\n]*\}"
    r"|@\{(?:u|upstream|push|-?\d+|[\w.:, -]*(?:ago|yesterday|now|\d{4}-\d\d-\d\d)[\w.:, -]*)\}",
    re.IGNORECASE,
)
_ARGUMENTS = re.compile(r"(?<!(?<!\\)\\)\$ARGUMENTS(?!\[\d+\])")

Warn = Callable[[int, str], None]  # (line offset in the body, message)


def git_revisions(body: str) -> list[tuple[int, str]]:
    """(line offset, text) for each git revision such as `@{u}` or `stash@{1}` in a body."""
    return [
        (index, match.group(0))
        for index, line in enumerate(body.split("\n"))
        for match in _GIT_REVISION.finditer(line)
    ]


def to_gemini_prompt(body: str, warn: Warn) -> str:
    lines = body.split("\n")
    fence: str | None = None
    for index, line in enumerate(lines):
        for match in _POSITIONAL.finditer(line):
            warn(index, _positional_warning(match))
        line = _ESCAPED_DOLLAR.sub("$", _ARGUMENTS.sub("{{args}}", line))
        lines[index] = line
        if is_fence(line):
            fence = track_fence(line, fence)
            continue
        if fence is None:
            lines[index] = _TOKEN.sub(partial(_replace, index, warn), line)
    return "\n".join(lines)


def _positional_warning(match: re.Match[str]) -> str:
    token = match.group(0)
    number = match.group(1) or match.group(2)
    literal = f"; for a literal `{token}` write `\\{token}`" if match.group(1) else ""
    return (
        f"positional `{token}` has no Gemini CLI equivalent; left as is (Gemini passes the whole "
        f"input as {{{{args}}}}). Claude Code substitutes it with argument {number}, counting "
        f"from 0, or with nothing{literal}"
    )


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
