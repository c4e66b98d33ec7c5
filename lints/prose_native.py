"""The native route to the prose view: pulldown-cmark (through `pyromark`) with byte ranges.

markdown-it-py stays the definition of what counts as prose (`lints.prose`); this module
produces the same spans from pulldown-cmark's events about twenty times faster, and gives up
(returns None, so the caller parses with markdown-it) on the few constructs where the two
parsers or markdown-it's own line search (`lints.prose._Lines.locate`) are known to differ:

- containers or inline markup nested deeper than markdown-it parses (`MAX_NESTING`);
- a tab in a line inside a container or an indented paragraph line (markdown-it rewrites it
  to spaces, so its line search misses the text there and blanks it);
- a table row with an escaped pipe (`\\|`: markdown-it rewrites the cell, same effect);
- a heading's closing `#` sequence next to a tab (pulldown-cmark keeps it as text);
- a link or image inside an image's description (markdown-it-py mislocates the tail);
- a reference definition with a tab or an indented line after it.

Where markdown-it's line search finds a piece of text at an earlier place in its line than
where it stands (`- ## # ##`, `>>## >`: the heading text `#` or `>` is found in the marker),
the two views hold the same text, a few columns apart; that is accepted.

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

TYPE_CHECKING = False  # not from typing: a pre-commit run imports this module
if TYPE_CHECKING:
    from typing import Any

Span = tuple[int, int]
_Spans = tuple[list[Span], list[Span]]
PARSER_ENV = "RULESYNC_LINT_PARSER"
#: Containers (a list counts twice: list and item, as in markdown-it) plus inline nesting at
#: which the native route gives up; below markdown-it's `MAX_NESTING` with room to spare.
_MAX_DEPTH = 30
_INLINE_BLOCKS = frozenset({"Paragraph", "Heading", "TableCell"})
#: Blocks whose events the walk reads for more than the nesting depth.
_OWN_BLOCKS = _INLINE_BLOCKS | {"HtmlBlock"}
#: Inline markup that opens and closes around other inline events.
_INLINE_CONTAINERS = frozenset(
    {"Emphasis", "Strong", "Strikethrough", "Link", "Image", "Superscript", "Subscript"}
)
#: Events that belong to an inline block (besides Start and End of inline containers).
_INLINE_EVENTS = frozenset({"Text", "Code", "InlineHtml", "InlineMath", "DisplayMath"})
#: A tab after a container marker or in the indentation of a line.
_TAB_IN_PREFIX = r"\n[ \t]*(?:(?:>|[-*+]|\d{1,9}[.)])[ \t]*)*\t"
#: A heading's closing `#`s next to a tab: pulldown-cmark may read them as text.
_TAB_BEFORE_CLOSING_HASHES = r"(?m)(?:\t#+[ \t]*|#[ \t]*\t[ \t]*)$"
#: A reference definition with a tab, or followed by an indented line: markdown-it-py reads
#: more of it as part of the definition than CommonMark does.
_ODD_DEFINITION = r"\n {0,3}\[[^\]\n]+\]:(?:[^\n]*\t|[^\n]*\n(?: {4}|\t)[ \t]*\S)"
#: A line with a pipe (a table row, perhaps) followed by an indented line: pulldown-cmark
#: keeps that line in the table, markdown-it reads it as indented code.
_PIPE_LINE_THEN_INDENTED = r"\n {0,3}(?:\||[^ \t\n][^\n|]*\|)[^\n]*\n(?: {4}|\t)[ \t]*[^ \t\n]"


@functools.cache
def _regex(pattern: str) -> re.Pattern[str]:
    """Compiled on first use: only documents with a tab or a reference definition need them."""
    return re.compile(pattern)


def native_spans(source: str) -> _Spans | None:
    """`(prose spans, html spans)` of a Markdown source as `lints.prose` finds them, or None
    when the native parser is unavailable or the document needs markdown-it."""
    parser = _parser()
    if parser is None or _needs_markdown_it(source):
        return None
    data = source.encode("utf-8")
    try:
        spans = _walk(parser.events_with_range(source, merge_text=True), data)
    except BaseException as error:  # a Rust panic arrives as pyo3's PanicException
        if type(error).__name__ != "PanicException":
            raise
        return None  # markdown-it parses what pulldown-cmark could not
    if spans is None or source.isascii():
        return spans
    to_chars = _CharOffsets(data)
    return to_chars.spans(spans[0]), to_chars.spans(spans[1])


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
    if "\t" in source and (
        _at_a_line_start(_regex(_TAB_IN_PREFIX), source)
        or _regex(_TAB_BEFORE_CLOSING_HASHES).search(source)
    ):
        return True
    if "]:" in source and _at_a_line_start(_regex(_ODD_DEFINITION), source):
        return True
    if "|" not in source:
        return False
    return "\\|" in source or _regex(_PIPE_LINE_THEN_INDENTED).search(source) is not None


def _at_a_line_start(pattern: re.Pattern[str], source: str) -> bool:
    """Whether `pattern`, which starts with a newline, matches at the start of some line.

    A pattern that starts with a literal is searched for far faster than one that starts
    with `^` in MULTILINE mode; the first line (and the one after it) is tried on its own.
    """
    if pattern.search(source):
        return True
    first_lines_end = source.find("\n", source.find("\n") + 1)
    head = source if first_lines_end == -1 else source[: first_lines_end + 1]
    return pattern.match("\n" + head) is not None


def _walk(events: Iterable[tuple[Any, dict[str, int]]], data: bytes) -> _Spans | None:
    """Prose and HTML byte spans from the event stream, or None if markdown-it is needed.

    An inline block is a paragraph, heading or table cell, or the text of a tight list item
    (pulldown-cmark gives no paragraph there): an inline event outside any block opens one,
    and the next block event closes it. Its prose runs, on each line, from its first event
    on that line (`line_start`) to the line break, and on the last line to its last event.

    One loop with local state, not a method per event: this runs once per event (about one
    per 17 bytes of Markdown), and is most of the time the native route takes.
    """
    prose: list[Span] = []
    html: list[Span] = []
    lines: list[Span] = []  # of the open inline block
    holes: list[Span] = []  # of the open inline block: code, inline HTML, link tails
    links: list[list[int]] = []  # open links and images: [label end, `[]` after the range]
    inline = verbatim = in_image = False
    value: Any
    depth = 0
    line_start = -1  # where the open block's current line starts; -1: at its next event
    last_end = break_end = 0
    for event, span in events:
        if type(event) is str:
            start, end = span["start"], span["end"]
            if event == "SoftBreak" or event == "HardBreak":
                if not inline and event == "HardBreak":  # first in a tight list item
                    inline, lines, holes, links = True, [], [], []
                    line_start, last_end = -1, start
                if inline:  # a hard break's backslash is prose
                    first = start if line_start < 0 else line_start
                    lines.append((first, start + (event == "HardBreak")))
                    line_start, break_end = -1, end
                continue
            key, value, name = event, "", ""
        else:
            ((key, value),) = event.items()
            if key == "Text":
                if verbatim:
                    continue
                if inline and line_start >= 0 and not links:  # the common case, kept short
                    end = span["end"]
                    if end > last_end:
                        last_end = end
                    continue
                name, is_inline = "", True
            elif key == "Start" or key == "End":
                name = value if type(value) is str else next(iter(value))
                is_inline = name in _INLINE_CONTAINERS
                if not (is_inline or inline or name in _OWN_BLOCKS):
                    # a container or code block opens or closes: only the depth changes
                    if key == "End":
                        verbatim = False
                        depth -= 1
                        continue
                    verbatim = name == "CodeBlock"
                    depth += 1
                    if depth > _MAX_DEPTH:
                        return None
                    continue
            elif key == "Html":  # a line of an HTML block
                continue
            else:
                name, is_inline = "", key in _INLINE_EVENTS
            start, end = span["start"], span["end"]
            if is_inline:
                if not inline:
                    inline, lines, holes, links = True, [], [], []
                    line_start, last_end = -1, start
                if line_start < 0:  # `_line_start`, inlined for the first text of a line
                    if key == "End":
                        line_start = _line_start(data, key, start, end, break_end)
                    else:
                        line_start = start - 1 if start and data[start - 1] == 0x5C else start
                if links and key != "End" and links[-1][0] >= 0:
                    links[-1][0] = max(links[-1][0], end)
                if key == "Text":
                    if end > last_end:
                        last_end = end
                    continue
                if key == "Start":
                    depth += 1
                    if depth > _MAX_DEPTH:
                        return None
                    if name == "Link" or name == "Image":
                        if in_image:
                            return None  # markdown-it-py mislocates what is inside an image
                        link_type = value[name]["link_type"]
                        if link_type == "Autolink" or link_type == "Email":
                            holes.append((start, end))
                            links.append([-1, 0])
                        else:
                            collapsed = link_type.startswith("Collapsed")
                            extra = 2 if collapsed and data[end : end + 2] == b"[]" else 0
                            links.append([start + 1 + (name == "Image"), extra])
                            in_image = name == "Image"
                    continue
                if key == "End":
                    depth -= 1
                    if name == "Link" or name == "Image":
                        in_image = False
                        label_end, extra = links.pop()
                        end += extra
                        if label_end >= 0:
                            holes.append((label_end, end))
                        if links and links[-1][0] >= 0:
                            links[-1][0] = max(links[-1][0], end)
                    if end > last_end:
                        last_end = end
                    continue
                holes.append((start, end))  # code, inline HTML or math
                if key == "InlineHtml":
                    html.append((start, end))
                if end > last_end:
                    last_end = end
                continue
        # a block event: it closes the open inline block
        if inline:
            inline = False
            if line_start >= 0:
                lines.append((line_start, last_end))
            prose.extend(_subtract(lines, holes) if holes else lines)
        if key == "Start":
            if name in _INLINE_BLOCKS:
                inline, lines, holes, links = True, [], [], []
                line_start, last_end = -1, start
            elif name == "HtmlBlock":
                html.append((data.rfind(b"\n", 0, start) + 1, end))
                verbatim = True
            else:
                verbatim = name == "CodeBlock"
                depth += 1
                if depth > _MAX_DEPTH:
                    return None
        elif key == "End":
            verbatim = False
            if name not in _INLINE_BLOCKS and name != "HtmlBlock":
                depth -= 1
    return prose, html


def _line_start(data: bytes, key: str, start: int, end: int, break_end: int) -> int:
    """Where the first event on a line of an inline block shows that the line's text starts.

    A backslash escape's backslash is not in the range of its text. An End event's range
    starts at its opener, on an earlier line: its line starts after the markers at the start
    of the line (its closing delimiter is never a `>` or a space).
    """
    if key == "End":
        return break_end + len(data[break_end:end]) - len(data[break_end:end].lstrip(b" \t>"))
    return start - 1 if data[start - 1 : start] == b"\\" else start


def _subtract(spans: Iterable[Span], holes: list[Span]) -> Iterable[Span]:
    """`spans` (sorted, disjoint) without the `holes` (sorted, disjoint)."""
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


#: UTF-8 continuation bytes to 1, every other byte to 0.
_CONTINUATION = bytes(1 if 0x80 <= byte < 0xC0 else 0 for byte in range(256))


class _CharOffsets:
    """UTF-8 byte offsets to str offsets: every offset asked about, converted in one pass."""

    def __init__(self, data: bytes) -> None:
        self.continuation = data.translate(_CONTINUATION)

    def spans(self, spans: list[Span]) -> list[Span]:
        """The spans in str offsets; one pass when their offsets come in order (they do:
        the events come in document order), else one pass over the offsets sorted."""
        converted: list[Span] = []
        byte = char = 0
        count = self.continuation.count
        for start, end in spans:
            if start < byte or end < start:
                return self._unordered(spans)
            char += start - byte - count(1, byte, start)
            first = char
            char += end - start - count(1, start, end)
            byte = end
            converted.append((first, char))
        return converted

    def _unordered(self, spans: list[Span]) -> list[Span]:
        offsets = sorted({offset for span in spans for offset in span})
        chars: dict[int, int] = {}
        byte = char = 0
        count = self.continuation.count
        for offset in offsets:
            char += offset - byte - count(1, byte, offset)
            byte = offset
            chars[offset] = char
        return [(chars[start], chars[end]) for start, end in spans]
