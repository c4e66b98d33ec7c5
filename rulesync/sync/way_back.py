"""The edit's way back: which source rule produced the lines that a hand edit changed.

Context files (CLAUDE.md, GEMINI.md, AGENTS.md) open each rule's section with a marker line,
`<!-- rulesync:source .rulesync/rules/x.md -->`. A changed line belongs to the section of the
last marker above it, so a hand edit can be traced back to the rule it should have gone into.
Line endings are ignored here: a CRLF checkout changes no line's meaning. The diff is
`rulesync.sync.line_diff`'s, n log n in the number of lines.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from rulesync.sync.line_diff import opcodes
from rulesync.targets.base import SECTION_MARKER

_MARKER = re.compile(
    "^" + re.escape(SECTION_MARKER).replace(re.escape("{source}"), "(?P<source>.+)") + "$"
)


@dataclass(frozen=True)
class EditedRegion:
    """A run of changed lines: where it starts in the file on disk, and the sources it touches.

    `sources` is empty when the lines lie outside every marked section (e.g. the header note),
    or when the file has no section markers at all.
    """

    line: int  # 1-based, in the file on disk
    sources: tuple[str, ...]


def edited_regions(current: bytes, wanted: bytes) -> tuple[EditedRegion, ...]:
    """Every run of lines where `current` differs from `wanted`, in file order."""
    ours, theirs = _lines(current), _lines(wanted)
    ours_sections, theirs_sections = _sections(ours), _sections(theirs)
    regions = []
    for tag, i1, i2, j1, j2 in opcodes(ours, theirs):
        if tag == "equal":
            continue
        # Lines on disk that rendering would not produce show where the edit went; when the
        # disk only lost lines, the sections those lines came from are the way back.
        owners = ours_sections[i1:i2] if i2 > i1 else theirs_sections[j1:j2]
        sources = _distinct(owners)
        regions.append(EditedRegion(min(i1 + 1, _line_count(ours)), sources))
    return tuple(regions)


def edit_sources(regions: tuple[EditedRegion, ...]) -> tuple[str, ...]:
    """The distinct sources of all regions, in the order they first appear."""
    return _distinct([source for region in regions for source in region.sources])


def _lines(content: bytes) -> list[str]:
    return content.replace(b"\r\n", b"\n").decode("utf-8", errors="replace").split("\n")


def _line_count(lines: list[str]) -> int:
    """Lines as an editor numbers them: a final newline opens no new line."""
    count = len(lines) - 1 if lines and lines[-1] == "" else len(lines)
    return max(count, 1)


def _sections(lines: list[str]) -> list[str | None]:
    """For each line, the source named by the last marker at or above it."""
    current: str | None = None
    owners: list[str | None] = []
    for line in lines:
        match = _MARKER.match(line)
        if match:
            current = match["source"]
        owners.append(current)
    return owners


def _distinct(sources: Iterable[str | None]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(s for s in sources if s is not None))
