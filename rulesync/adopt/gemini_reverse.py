r"""Gemini CLI command syntax -> the source's Claude syntax: the inverse of mirror's translation.

`{{args}}` -> `$ARGUMENTS`, `!{cmd}` -> `` !`cmd` ``, `@{path}` -> `@path`, outside fenced code
and inline code spans, as mirror translates them. A token that Claude syntax cannot hold (a shell
command with a backtick, a path with a space) stays as it is, with a warning.

A literal `$5` (text to Gemini: `$5/month`) is one that Claude Code substitutes wherever
`\$(\d+)(?!\w)` matches, code included; it becomes `\$5` in the source, which Claude shows as
`$5`, and which mirror hands Gemini as the plain `$5` again.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from rulesync.source.fences import is_fence, track_fence
from rulesync.targets.gemini_syntax import to_gemini_prompt

_CODE = re.compile(r"(`+)(?:[^`]|(?!\1)`)*?\1")
#: a path mirror would translate back into exactly `@{path}` (see targets/gemini_syntax.py)
_PATH = re.compile(r"(?:[\w.~-]+/)*[\w~-]*\.\w+|(?:[\w.~-]+/)+[\w.~-]*")

Warn = Callable[[int, str], None]  # (line offset in the prompt, message)
#: `$N` that Claude Code substitutes (not already escaped by a lone backslash)
_POSITIONAL = re.compile(r"(?<!(?<!\\)\\)\$(?=\d+(?!\w))")
#: text that does nothing in a Gemini prompt but something in a Claude command (a positional
#: `$N` is escaped instead, see above)
_CLAUDE_ACTIVE = re.compile(
    r"!`[^`\n]+`|(?<![\w$\\])\$ARGUMENTS\b"
    r"|(?<![\w@.])@(?:[\w.~-]+/)*[\w~-]*\.\w+|(?<![\w@.])@(?:[\w.~-]+/)+[\w.~-]*"
)


def faithful_body(prompt: str, note: Callable[[str], None]) -> tuple[str, str | None]:
    """The command body in Claude syntax, and the prompt to keep as written for Gemini (or
    None when mirror renders the body back into exactly this prompt). Notes every place where
    the body does something other than the Gemini prompt did."""
    text = prompt.strip("\n")
    kept: list[str] = []
    body = from_gemini_prompt(text, lambda _i, message: kept.append(message), check=False)
    for token in _claude_literals(text):
        note(
            f"`{token}` is plain text to Gemini CLI, but Claude Code acts on it (a file "
            "reference, a shell command or the arguments) in the Claude command; check it"
        )
    if to_gemini_prompt(body, lambda _i, _m: None) == text:
        for message in kept:
            note(f"{message}: Claude and Codex see it as plain text")
        return body, None
    why = "; ".join(kept) if kept else "mirror's translation would change it"
    note(
        f"this prompt has no faithful Claude form ({why}): it is kept as written for Gemini "
        "(`gemini: prompt:` in the source), and Claude and Codex get the translated body"
    )
    return body, prompt


def _claude_literals(text: str) -> list[str]:
    """Claude-active tokens in a Gemini prompt, outside fenced code and inline code spans."""
    found: list[str] = []
    fence: str | None = None
    for line in text.split("\n"):
        if is_fence(line):
            fence = track_fence(line, fence)
            continue
        if fence is None:
            plain = _CODE.sub(" ", line)
            found.extend(match.group(0) for match in _CLAUDE_ACTIVE.finditer(plain))
    return found


def from_gemini_prompt(prompt: str, warn: Warn, *, check: bool = True) -> str:
    """The command body in Claude syntax. Warns when mirror would not give `prompt` back."""
    escaped = _POSITIONAL.sub(lambda _match: "\\$", prompt)
    lines = escaped.replace("{{args}}", "$ARGUMENTS").split("\n")
    fence: str | None = None
    for index, line in enumerate(lines):
        if is_fence(line):
            fence = track_fence(line, fence)
        elif fence is None:
            lines[index] = _line(line, _at_line(warn, index))
    body = "\n".join(lines)
    if check and to_gemini_prompt(body, lambda _i, _m: None) != prompt:
        warn(0, "this prompt does not translate back exactly; check the mirrored file's diff")
    return body


def _at_line(warn: Warn, index: int) -> Callable[[str], None]:
    return lambda message: warn(index, message)


def _line(line: str, warn: Callable[[str], None]) -> str:
    out: list[str] = []
    index = 0
    while index < len(line):
        code = _CODE.match(line, index) if line[index] == "`" else None
        if code:
            out.append(code.group(0))
            index = code.end()
            continue
        token = _token(line, index, warn)
        if token is None:
            out.append(line[index])
            index += 1
        else:
            text, index = token
            out.append(text)
    return "".join(out)


def _token(line: str, index: int, warn: Callable[[str], None]) -> tuple[str, int] | None:
    """A `!{…}` or `@{…}` starting at `index`: (its Claude form, the index after it)."""
    opener = line[index : index + 2]
    if opener not in ("!{", "@{"):
        return None
    end = _closing_brace(line, index + 1)
    if end is None:
        return None
    inner = line[index + 2 : end]
    if opener == "!{":
        if "`" in inner or not inner:
            warn(f"shell command `!{{{inner}}}` has no Claude form (backtick); kept as is")
            return line[index : end + 1], end + 1
        return f"!`{inner}`", end + 1
    if _claude_path(line, index, inner, end):
        return f"@{inner}", end + 1
    warn(f"file `@{{{inner}}}` has no Claude form; kept as is")
    return line[index : end + 1], end + 1


def _claude_path(line: str, index: int, inner: str, end: int) -> bool:
    """Mirror reads `@inner` followed by the rest of the line back as exactly `inner`."""
    if index > 0 and re.match(r"[\w@.]", line[index - 1]):
        return False
    match = _PATH.match(inner + line[end + 1 :])
    return match is not None and match.group(0) == inner


def _closing_brace(line: str, opening: int) -> int | None:
    depth = 0
    for position in range(opening, len(line)):
        if line[position] == "{":
            depth += 1
        elif line[position] == "}":
            depth -= 1
            if depth == 0:
                return position
    return None
