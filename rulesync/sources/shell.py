"""Shell lines in a pack file: `` !`command` ``, which Claude Code runs when a command is used
(and the Gemini rendering runs as `!{…}`). Found once, when a commit is checked out."""

from __future__ import annotations

import re

SHELL = re.compile(r"!`([^`\n]+)`")


def shell_lines_in(content: bytes) -> list[tuple[int, str]]:
    """(1-based line, the `` !`…` `` text) of every shell line, in order."""
    if b"!`" not in content:
        return []
    text = content.decode("utf-8", "replace")
    return [
        (number, match.group(0))
        for number, line in enumerate(text.splitlines(), 1)
        for match in SHELL.finditer(line)
    ]
