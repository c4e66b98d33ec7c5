"""The prose view of a document: its text with everything that is not prose blanked.

Markdown is parsed with markdown-it-py (CommonMark plus tables and strikethrough), or, with
the same result, by the native route in `lints.prose_native` when its wheel is there. Prose is
the text of paragraphs, headings, list items, block quotes and table cells. Blanked are:
YAML frontmatter, fenced and indented code, HTML blocks, inline code, inline HTML and
comments, autolinks, link destinations and reference labels, reference definitions, and
the block markers themselves (`#`, `>`, `-`, `|`). In Markdown and plain text alike, URLs,
e-mail addresses and domain names (`github.com`) are blanked too (see `lints.urls`).

The view has exactly the length of the text and keeps its newlines, so offsets and line
numbers found in it are those of the source. markdown-it reports only the line range of each
block, so the text of each inline block is located in its source lines by substring search:
a match is character-exact by construction. A line whose text markdown-it rewrote (a table
cell with an escaped pipe, tabs inside containers) is not found and stays blank.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections.abc import Callable, Iterator, Sequence

from lints.document import Kind, Spans
from lints.frontmatter import frontmatter_end
from lints.urls import url_spans, url_spans_near

TYPE_CHECKING = False  # not from typing: a pre-commit run imports this module
if TYPE_CHECKING:
    from typing import Any, NamedTuple

    from markdown_it import MarkdownIt
    from markdown_it.rules_inline import StateInline
    from markdown_it.token import Token
else:
    from lints.record import NamedTuple

_SKIPS_KEY = "rulesync_prose_skips"
#: Levels of nested blocks (a list is two: list and item) that markdown-it parses; it skips
#: what lies deeper, so that is read line by line instead (`_too_deep_lines`). Recursion in
#: markdown-it grows with this, never with the input.
MAX_NESTING = 40
_CONTAINERS = frozenset(
    {"blockquote_open", "bullet_list_open", "ordered_list_open", "list_item_open"}
)
#: Block-quote and list markers at the start of a line, with the spaces around them.
_CONTAINER_MARKERS = r"[ \t]*(?:(?:>|[-*+](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$))[ \t]*)*"
_FENCE = r"`{3,}(?![^`]*`)|~{3,}"


@functools.cache
def _regex(pattern: str) -> re.Pattern[str]:
    """Compiled on first use: only documents nested too deep for markdown-it need these."""
    return re.compile(pattern)


class Extract(NamedTuple):
    """The prose view, and where Markdown saw HTML (None for plain text: anywhere)."""

    prose: str
    html: Spans | None


def prose_view(text: str, kind: Kind) -> str:
    """`text` with every non-prose character blanked to a space; newlines kept."""
    return extract(text, kind).prose


def extract(text: str, kind: Kind) -> Extract:
    if kind == "text":
        return Extract(blank_spans(text, url_spans(text)), None)
    source = _markdown_source(text)
    prose_spans, html = markdown_spans(source)
    prose = keep_spans(source, prose_spans)
    urls = url_spans_near(text, _merged(prose_spans))
    return Extract(blank_spans(prose, urls), tuple(sorted(html)))


#: Every byte but the newline to a space.
_BLANK_BYTES = bytes(10 if byte == 10 else 32 for byte in range(256))


def blank(text: str) -> str:
    """Every character but newlines replaced by a space.

    One byte per character: Latin-1 with `?` for the others (the newline stays a newline),
    then every byte but the newline to a space; no list of lines."""
    return text.encode("latin-1", "replace").translate(_BLANK_BYTES).decode("ascii")


def blank_spans(text: str, spans: Sequence[tuple[int, int]]) -> str:
    if not spans:
        return text
    pieces: list[str] = []
    done = 0
    for start, end in spans:
        start = max(start, done)
        if end <= start:
            continue
        pieces.append(text[done:start])
        pieces.append(blank(text[start:end]))
        done = end
    pieces.append(text[done:])
    return "".join(pieces)


def keep_spans(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """Blank everything outside `spans` (in any order, possibly overlapping)."""
    try:
        data = text.encode("latin-1")
    except UnicodeEncodeError:
        return _keep_spans_of_any(text, spans)
    kept = bytearray(data.translate(_BLANK_BYTES))
    for start, end in spans:  # one byte per character: copy each span back
        kept[start:end] = data[start:end]
    return kept.decode("latin-1")


def _keep_spans_of_any(text: str, spans: Sequence[tuple[int, int]]) -> str:
    blanked = blank(text)
    pieces: list[str] = []
    done = 0
    for start, end in sorted(spans):
        start = max(start, done)
        if end <= start:
            continue
        pieces.append(blanked[done:start])
        pieces.append(text[start:end])
        done = end
    pieces.append(blanked[done:])
    return "".join(pieces)


def _markdown_source(text: str) -> str:
    """What markdown-it parses: same length, CRs as spaces, frontmatter blanked."""
    source = text.replace("\r", " ")
    end = frontmatter_end(source)
    return blank(source[:end]) + source[end:] if end else source


# --- Markdown ---------------------------------------------------------------------------


def markdown_spans(source: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Prose and HTML spans: from the native parser when it can, else from markdown-it."""
    from lints.prose_native import native_spans

    native = native_spans(source)
    return native if native is not None else markdown_it_spans(source)


def markdown_it_spans(source: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Prose and HTML spans as markdown-it-py parses them: the definition of prose."""
    md = _parser()
    env: dict[str, Any] = {}
    tokens = md.parse(source, env)
    lines = _Lines(source)
    prose: list[tuple[int, int]] = []
    html: list[tuple[int, int]] = []
    too_deep: list[tuple[int, int]] = []
    for token in tokens:
        if token.map is None:
            continue
        if token.type == "inline":
            _add_inline(md, env, _InlineBlock(token, lines), token.content, prose, html)
        elif token.type == "html_block":
            html.append((lines.start(token.map[0]), lines.start(token.map[1])))
        elif token.level >= MAX_NESTING - 1 and token.type in _CONTAINERS:
            too_deep.append((token.map[0], token.map[1]))
    for first, last in _merged(too_deep):
        for offset, content in _too_deep_lines(lines, first, last):
            _add_inline(md, env, _InlineBlock.at(offset, len(content)), content, prose, html)
    return prose, html


def _add_inline(
    md: MarkdownIt,
    env: dict[str, Any],
    inline: _InlineBlock,
    content: str,
    prose: list[tuple[int, int]],
    html: list[tuple[int, int]],
) -> None:
    skips, html_skips = _inline_skips(md, env, content)
    prose.extend(inline.prose_spans(skips))
    html.extend(inline.source_spans(html_skips))


def _too_deep_lines(lines: _Lines, first: int, last: int) -> Iterator[tuple[int, str]]:
    """The text of each line in a container nested deeper than markdown-it parses, after its
    quote and list markers, read as a paragraph line: `(source offset, text)`.

    Lines of a fenced block there are left out; other blocks (indented code, HTML blocks)
    cannot be told apart from a paragraph without the parse, and are read as prose.
    """
    fence = ""  # the marker of the open fenced block, if any
    for line in range(first, min(last, len(lines.starts) - 1)):
        start = lines.start(line)
        text = lines.source[start : lines.start(line + 1)].rstrip("\n")
        markers = _regex(_CONTAINER_MARKERS).match(text)
        content_start = markers.end() if markers else 0
        content = text[content_start:]
        if fence:
            closing = content.strip()
            if set(closing) == {fence[0]} and len(closing) >= len(fence):
                fence = ""
            continue
        opener = _regex(_FENCE).match(content)
        if opener is not None:
            fence = opener.group(0)
        elif content.strip():
            yield start + content_start, content


@functools.cache
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"maxNesting": MAX_NESTING}).enable(["table", "strikethrough"])
    md.core.ruler.disable("inline")  # inline blocks are parsed one by one in _inline_skips
    for name in ("backticks", "html_inline", "autolink", "link", "image"):
        rule = next(r.fn for r in md.inline.ruler.__rules__ if r.name == name)
        md.inline.ruler.at(name, _recording(name, rule))
    return md


InlineRule = Callable[["StateInline", bool], bool]


def _recording(name: str, rule: InlineRule) -> InlineRule:
    """Wrap an inline rule so that the source span of what it parsed is recorded."""

    def recorded(state: StateInline, silent: bool) -> bool:
        start, first_new = state.pos, len(state.tokens)
        matched = rule(state, silent)
        if matched and not silent and _SKIPS_KEY in state.env:
            span = _skipped_span(name, state, start, state.tokens[first_new:])
            if span is not None:
                state.env[_SKIPS_KEY].append((name, *span))
        return matched

    return recorded


def _skipped_span(
    name: str, state: StateInline, start: int, new_tokens: Sequence[Token]
) -> tuple[int, int] | None:
    types = {token.type for token in new_tokens}
    if name == "backticks":
        return (start, state.pos) if "code_inline" in types else None
    if name in ("html_inline", "autolink"):
        return start, state.pos
    # link or image: the text (or alt text) is prose, `](destination "title")` is not
    label_start = start + 1 if name == "image" else start
    label_end = state.md.helpers.parseLinkLabel(state, label_start, name == "link")
    return (label_end, state.pos) if label_end >= 0 else None


def _inline_skips(
    md: MarkdownIt, env: dict[str, Any], content: str
) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Content offsets of the non-prose inline parts of an inline block, and of its HTML."""
    recorded: list[tuple[str, int, int]] = []
    env[_SKIPS_KEY] = recorded
    md.inline.parse(content, md, env, [])
    del env[_SKIPS_KEY]
    skips = sorted((start, end) for _name, start, end in recorded)
    html = sorted((start, end) for name, start, end in recorded if name == "html_inline")
    return skips, html


class _Lines:
    def __init__(self, source: str) -> None:
        self.source = source
        self.starts = [0]
        newline = source.find("\n")
        while newline != -1:
            self.starts.append(newline + 1)
            newline = source.find("\n", newline + 1)
        self.starts.append(len(source) + 1)
        self.cursors: dict[int, int] = {}  # per line: where the last located cell ended

    def start(self, line: int) -> int:
        return min(self.starts[min(line, len(self.starts) - 1)], len(self.source))

    def locate(self, line: int, piece: str) -> int | None:
        """Source offset of `piece` in line `line`, searching after earlier pieces (cells)."""
        if line + 1 >= len(self.starts):
            return None
        begin = self.starts[line] + self.cursors.get(line, 0)
        end = self.starts[line + 1] - 1
        found = self.source.find(piece, begin, end)
        if found == -1:
            return None
        self.cursors[line] = found + len(piece) - self.starts[line]
        return found


class _Segment(NamedTuple):
    """`length` characters of an inline block's content at `content`, found at `source`."""

    content: int
    source: int
    length: int


class _InlineBlock:
    """An inline token's content, aligned line by line with the source."""

    def __init__(self, token: Token | None, lines: _Lines | None) -> None:
        self.segments: list[_Segment] = []
        self.starts: list[int] = []
        if token is None or lines is None:
            return
        assert token.map is not None
        offset = 0
        for index, piece in enumerate(token.content.split("\n")):
            found = lines.locate(token.map[0] + index, piece) if piece else None
            if found is not None:
                self.segments.append(_Segment(offset, found, len(piece)))
            offset += len(piece) + 1
        self.starts = [segment.content for segment in self.segments]

    @classmethod
    def at(cls, source: int, length: int) -> _InlineBlock:
        """One line of content that starts at `source`."""
        block = cls(None, None)
        block.segments.append(_Segment(0, source, length))
        block.starts.append(0)
        return block

    def prose_spans(self, skips: Sequence[tuple[int, int]]) -> Iterator[tuple[int, int]]:
        holes = _merged(skips)
        hole_ends = [end for _start, end in holes]
        for segment in self.segments:
            first = bisect.bisect_right(hole_ends, segment.content)
            end = segment.content + segment.length
            for start, stop in _subtract(segment.content, end, holes, first):
                yield self._to_source(segment, start), self._to_source(segment, stop)

    def source_spans(self, spans: Sequence[tuple[int, int]]) -> Iterator[tuple[int, int]]:
        for start, end in spans:
            first, last = self._find(start), self._find(end - 1)
            if first is not None and last is not None:
                yield self._to_source(first, start), self._to_source(last, end - 1) + 1

    def _find(self, offset: int) -> _Segment | None:
        index = bisect.bisect_right(self.starts, offset) - 1
        if index < 0:
            return None
        segment = self.segments[index]
        return segment if offset < segment.content + segment.length else None

    @staticmethod
    def _to_source(segment: _Segment, offset: int) -> int:
        return segment.source + offset - segment.content


def _merged(spans: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted spans with the overlapping ones joined: disjoint, so their ends are sorted too."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        elif end > start:
            merged.append((start, end))
    return merged


def _subtract(
    start: int, end: int, holes: Sequence[tuple[int, int]], first: int = 0
) -> Iterator[tuple[int, int]]:
    """The parts of [start, end) outside the disjoint sorted `holes`, from `holes[first]` on
    (the first hole that ends after `start`)."""
    position = start
    for hole_start, hole_end in itertools.islice(holes, first, None):
        if hole_start >= end:
            break
        if hole_start > position:
            yield position, hole_start
        position = max(position, hole_end)
    if position < end:
        yield position, end
