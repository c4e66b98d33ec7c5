"""Unified diffs that `git apply` (or `patch -p1`) can apply, paths relative to the project.

Lines are split at `\n` only, as git and patch split them: a `\r`, form feed or U+2028 inside a
line stays part of it. The diff itself comes from `rulesync.sync.line_diff` (n log n, bounded).
"""

from __future__ import annotations

from rulesync.sync.line_diff import Opcode, grouped, opcodes

NO_NEWLINE = "\\ No newline at end of file\n"


def unified_diff(path: str, current: bytes | None, wanted: bytes | None) -> str:
    """The diff that turns the file on disk into what rulesync wants ("" when equal)."""
    if current == wanted:
        return ""
    old, new = _text(current), _text(wanted)
    if old is None or new is None:
        return f"Binary files a/{path} and b/{path} differ\n"
    from_name = f"a/{path}" if current is not None else "/dev/null"
    to_name = f"b/{path}" if wanted is not None else "/dev/null"
    pieces = [f"--- {from_name}\n", f"+++ {to_name}\n"]
    for hunk in grouped(opcodes(old, new)):
        pieces.append(_hunk_header(hunk))
        pieces.extend(_hunk_lines(hunk, old, new))
    return "".join(pieces)


def split_lines(text: str) -> list[str]:
    """Lines with their `\n`; the last one without it when the text does not end in one."""
    lines = [line + "\n" for line in text.split("\n")]
    last = lines.pop()[:-1]
    if last:
        lines.append(last)
    return lines


def _text(content: bytes | None) -> list[str] | None:
    if content is None:
        return []
    try:
        return split_lines(content.decode("utf-8"))
    except UnicodeDecodeError:
        return None


def _hunk_header(hunk: list[Opcode]) -> str:
    first, last = hunk[0], hunk[-1]
    old = _range(first[1], last[2])
    new = _range(first[3], last[4])
    return f"@@ -{old} +{new} @@\n"


def _range(start: int, stop: int) -> str:
    """A hunk's line range as unified diffs write it: 1-based, `start,length`, or just
    `start` for one line; an empty range names the line before it."""
    length = stop - start
    if length == 1:
        return str(start + 1)
    return f"{start + 1 if length else start},{length}"


def _hunk_lines(hunk: list[Opcode], old: list[str], new: list[str]) -> list[str]:
    out: list[str] = []
    for tag, i1, i2, j1, j2 in hunk:
        if tag == "equal":
            out.extend(_marked(" ", old[i1:i2]))
            continue
        out.extend(_marked("-", old[i1:i2]))
        out.extend(_marked("+", new[j1:j2]))
    return out


def _marked(mark: str, lines: list[str]) -> list[str]:
    return [mark + line if line.endswith("\n") else f"{mark}{line}\n{NO_NEWLINE}" for line in lines]
