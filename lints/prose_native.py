"""The native route to the prose view: pulldown-cmark (through `pyromark`) with byte ranges.

markdown-it-py stays the definition of what counts as prose (`lints.prose`); this module
produces the same spans from pulldown-cmark's events about twenty times faster, and gives up
(returns None, so the caller parses with markdown-it) on the few constructs where the two
parsers or markdown-it's own line search (`lints.prose._Lines.locate`) are known to differ:

- containers or inline markup nested deeper than markdown-it parses (`MAX_NESTING`);
- a tab in a line inside a container or an indented paragraph line (markdown-it rewrites it
  to spaces, so its line search misses the text there and blanks it);
- a table row with an escaped pipe (`\\|`: markdown-it rewrites the cell, same effect).

The view is built the way markdown-it's is: an inline block (paragraph, heading, table cell)
is prose from its first to its last character on each line (so container markers and
indentation in front stay blank), minus code spans, inline HTML, autolinks and the
`](destination "title")` or `][label]` tail of links and images.

The wheel is optional: without it, or with `RULESYNC_LINT_PARSER=markdown-it` in the
environment, every document goes through markdown-it.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterable
from typing import Any

Span = tuple[int, int]
PARSER_ENV = "RULESYNC_LINT_PARSER"
#: Containers (a list counts twice: list and item, as in markdown-it) plus inline nesting at
#: which the native route gives up; below markdown-it's `MAX_NESTING` with room to spare.
_MAX_DEPTH = 30
_INLINE_BLOCKS = frozenset({"Paragraph", "Heading", "TableCell"})
#: Inline markup that opens and closes around other inline events.
_INLINE_CONTAINERS = frozenset(
    {"Emphasis", "Strong", "Strikethrough", "Link", "Image", "Superscript", "Subscript"}
)
#: Inline events that are never prose.
_INLINE_LEAVES = frozenset({"Code", "InlineHtml", "InlineMath", "DisplayMath"})
#: A tab after a container marker or in the indentation of a line.
_TAB_IN_PREFIX_RE = re.compile(r"^[ \t]*(?:(?:>|[-*+]|\d{1,9}[.)])[ \t]*)*\t", re.MULTILINE)
_ESCAPED_PIPE_RE = re.compile(r"\\\|")


def native_spans(source: str) -> tuple[list[Span], list[Span]] | None:
    """`(prose spans, html spans)` of a Markdown source as `lints.prose` finds them, or None
    when the native parser is unavailable or the document needs markdown-it."""
    parser = _parser()
    if parser is None or _needs_markdown_it(source):
        return None
    data = source.encode("utf-8")
    walk = _Walk(data)
    try:
        for event, span in parser.events_with_range(source, merge_text=True):
            if not walk.step(event, span["start"], span["end"]):
                return None
    except RecursionError:  # pragma: no cover - pulldown-cmark is iterative
        return None
    if source.isascii():
        return walk.prose, walk.html
    to_chars = _CharOffsets(data)
    return to_chars.spans(walk.prose), to_chars.spans(walk.html)


def native_available() -> bool:
    return _parser() is not None


@functools.cache
def _parser() -> Any:
    if os.environ.get(PARSER_ENV, "").strip().lower() in ("markdown-it", "markdown-it-py"):
        return None
    try:
        import pyromark
    except ImportError:
        return None
    options = pyromark.Options.ENABLE_TABLES | pyromark.Options.ENABLE_STRIKETHROUGH
    return pyromark.Markdown(options=options)


def _needs_markdown_it(source: str) -> bool:
    if "\t" in source and _TAB_IN_PREFIX_RE.search(source):
        return True
    return "\\|" in source and "|" in source and _ESCAPED_PIPE_RE.search(source) is not None


class _Walk:
    """Turns the event stream into prose and HTML byte spans, one event at a time.

    An inline block is a paragraph, heading or table cell, or the text of a tight list item
    (pulldown-cmark gives no paragraph there): inline events outside any block open one,
    and the next block event closes it.
    """

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.prose: list[Span] = []
        self.html: list[Span] = []
        self.pieces: list[Span] = []  # of the open inline block
        self.holes: list[Span] = []
        self.links: list[list[int]] = []  # open links and images: [label end, end extension]
        self.inline = False
        self.in_image = False
        self.verbatim = False  # inside a code or HTML block: its text is not prose
        self.depth = 0

    def step(self, event: Any, start: int, end: int) -> bool:
        """Take one event; False when the document needs markdown-it."""
        if type(event) is str:  # SoftBreak, HardBreak, Rule, TaskListMarker, ...
            if event == "HardBreak":
                self._open()
                self._piece(start, start + 1)  # the backslash or the spaces
            elif event == "SoftBreak":
                self._open()
            else:
                self._close()
            return True
        ((key, value),) = event.items()
        if key == "Text":
            if self.verbatim:
                return True
            self._open()
            if end > start:
                if start and self.data[start - 1] == 0x5C:  # a backslash escape's backslash
                    start -= 1
                self._piece(start, end)
        elif key == "Start":
            return self._start(value, start, end)
        elif key == "End":
            self._end(value, start, end)
        elif key in _INLINE_LEAVES:
            self._open()
            self._piece(start, end)
            self.holes.append((start, end))
            if key == "InlineHtml":
                self.html.append((start, end))
        else:
            self._close()
        return True

    def _open(self) -> None:
        if not self.inline:
            self.inline = True
            self.pieces, self.holes, self.links = [], [], []

    def _close(self) -> None:
        if self.inline:
            self.inline = False
            self.prose.extend(_subtract(self._lines(), self.holes))

    def _start(self, value: Any, start: int, end: int) -> bool:
        name = value if type(value) is str else next(iter(value))
        if name not in _INLINE_CONTAINERS:
            self._close()
            if name in _INLINE_BLOCKS:
                self._open()
                return True
            if name == "HtmlBlock":
                self.html.append((self._line_start(start), end))
                self.verbatim = True
                return True
            self.verbatim = name == "CodeBlock"
        self.depth += 1
        if self.depth > _MAX_DEPTH:
            return False
        if name not in _INLINE_CONTAINERS:
            return True
        self._open()
        if name == "Link" or name == "Image":
            if self.in_image:
                return False  # markdown-it-py mislocates links and images inside an image
            link_type = value[name]["link_type"]
            if link_type in ("Autolink", "Email"):
                self._piece(start, end)
                self.holes.append((start, end))
                self.links.append([-1, 0])
            else:
                self._piece(start, start + 1)
                collapsed = link_type.startswith("Collapsed") and self.data[end : end + 2] == b"[]"
                self.links.append([start + (2 if name == "Image" else 1), 2 if collapsed else 0])
                self.in_image = name == "Image"
        else:
            self._piece(start, start + 1)  # an emphasis or strikethrough opener
        return True

    def _end(self, value: Any, start: int, end: int) -> None:
        name = value if type(value) is str else next(iter(value))
        if name not in _INLINE_CONTAINERS:
            self._close()
            self.verbatim = False
            if name in _INLINE_BLOCKS or name == "HtmlBlock":
                return
            self.depth -= 1
            return
        self.depth -= 1
        if name == "Link" or name == "Image":
            self.in_image = False
            label_end, collapsed = self.links.pop()  # `[label][]`: the range ends before `[]`
            end += collapsed
            if label_end >= 0:
                self.holes.append((label_end, end))
        self._piece(end - 1, end)  # the closing bracket, parenthesis or emphasis marker

    def _piece(self, start: int, end: int) -> None:
        self.pieces.append((start, end))
        if self.links:
            link = self.links[-1]
            if link[0] >= 0:
                link[0] = max(link[0], end)

    def _lines(self) -> Iterable[Span]:
        """The pieces of the inline block, joined within each line: prose from the first
        to the last character of the block on that line."""
        data = self.data
        joined: list[Span] = []
        for start, end in sorted(self.pieces):
            for piece in _split_lines(data, start, end):
                if joined and data.find(b"\n", joined[-1][1], piece[0]) == -1:
                    if piece[1] > joined[-1][1]:
                        joined[-1] = (joined[-1][0], piece[1])
                else:
                    joined.append(piece)
        return joined

    def _line_start(self, offset: int) -> int:
        return self.data.rfind(b"\n", 0, offset) + 1


def _split_lines(data: bytes, start: int, end: int) -> Iterable[Span]:
    """A span's part on its first line and its part on its last line."""
    first_newline = data.find(b"\n", start, end)
    if first_newline == -1:
        return ((start, end),)
    last_line = data.rfind(b"\n", start, end) + 1
    pieces = [(start, first_newline)] if first_newline > start else []
    if end > last_line:
        pieces.append((last_line, end))
    return pieces


def _subtract(spans: Iterable[Span], holes: list[Span]) -> Iterable[Span]:
    """`spans` (sorted, disjoint) without the `holes`."""
    holes = sorted(holes)
    index = 0
    for start, end in spans:
        position = start
        while index < len(holes) and holes[index][1] <= position:
            index += 1
        scan = index
        while scan < len(holes) and holes[scan][0] < end:
            hole_start, hole_end = holes[scan]
            if hole_start > position:
                yield position, hole_start
            position = max(position, hole_end)
            scan += 1
        if position < end:
            yield position, end


class _CharOffsets:
    """UTF-8 byte offsets to str offsets: every offset asked about, converted in one pass."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def spans(self, spans: list[Span]) -> list[Span]:
        offsets = sorted({offset for span in spans for offset in span})
        chars: dict[int, int] = {}
        byte = char = 0
        for offset in offsets:
            char += len(self.data[byte:offset].decode("utf-8"))
            byte = offset
            chars[offset] = char
        return [(chars[start], chars[end]) for start, end in spans]
