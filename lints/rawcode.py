"""Where raw Markdown is surely not prose, found without parsing it: for prefilters only.

A rule's `might_match` runs over the raw text of every file, and a file whose candidates all
sit in code needs no Markdown parse. This module recognises the common cases cheaply:
fenced code blocks, inline code spans, HTML tags and comments, link destinations, reference
labels and reference definitions. Each test errs towards "might be prose": it claims code
only in shapes where CommonMark agrees. Rules still check the exact prose view afterwards.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Sequence

from lints.frontmatter import frontmatter_end
from lints.lazyre import LazyPattern

Span = tuple[int, int]
#: Bounds that keep the prefilter linear on hostile input; real documents stay far below
#: them (the Node.js API docs: at most 138 fences in a file). Past one, nothing is claimed.
_MAX_FENCE_LINES = 5_000
_CONTAINER_WALK_LINES = 200_000
_MAX_LABELS = 32

_FENCE_LINE_AT = LazyPattern(r"( *)(`{3,}|~{3,})([^\n]*)")
#: A list item with text after its marker; group 0 ends at the item's content column.
_LIST_ITEM_RE = LazyPattern(r" {0,3}(?:[-*+]|(?P<number>\d{1,9})[.)]) {1,4}(?=[^ \n])")
#: Anything that may be a list item, empty ones included.
_MAYBE_ITEM_RE = LazyPattern(r" {0,3}(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)")
#: HTML blocks that may hold blank lines (script, pre, style, textarea, <?, <!X, CDATA).
_LONG_HTML_RE = LazyPattern(
    r"<(?:script|pre|style|textarea)\b|<\?|<![A-Za-z]|<!\[CDATA\[", re.IGNORECASE
)
#: Lines that may start a block of their own: a heading, list item, table row or HTML.
_BLOCK_START_RE = LazyPattern(r"[ \t>]*(?:#|[-*+][ \t]|\d{1,9}[.)][ \t]|\||<)")
#: Setext underlines and thematic breaks: the line after them starts a new block.
_BREAK_LINE_RE = LazyPattern(r"[ \t>]*(?:=+|-+|(?:[-*_][ \t]*){3,})[ \t]*$")
#: Lines that open or close a fence, also inside block quotes and list items.
_FENCE_LINE_RE = LazyPattern(r"[ \t>]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)?(?:`{3,}|~{3,})")
_TAG_RE = LazyPattern(
    r"(?P<inside></?[A-Za-z][A-Za-z0-9-]*"
    r"(?:\s+[A-Za-z_:][A-Za-z0-9_.:-]*(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'=<>`]+))?)*"
    r"\s*/?>)"
)
#: An inline link or image with a plain label: `[text](destination "title")`.
_INLINE_LINK_RE = LazyPattern(
    r"!?\[[^\[\]\\\n]*(?P<inside>\]\([^()\s\\]*(?:[ \t]+\"[^\"\n]*\")?\))"
)
#: A full reference link: `[text][label]`, a link only when the label is defined.
_REFERENCE_LINK_RE = LazyPattern(
    r"!?\[[^\[\]\\\n]*(?P<inside>\]\[(?P<label>[^\[\]\\\n]*\S[^\[\]\\\n]*)\])"
)
_DEFINITION_RE = LazyPattern(
    r" {0,3}\[(?=[^\]\n]*\S)(?:[^\[\]\\\n]|\\.)+\]:[ \t]*"
    r"(?:<[^<>\n]*>|(?:[^\s()\\]|\\.|\((?:[^\s()\\]|\\.)*\))+)"
    r"(?:[ \t]+(?:\"[^\"\n]*\"|'[^'\n]*'|\([^()\n]*\)))?[ \t]*(?=\n|$)"
)


class RawMarkdown:
    """Cheap answers about a Markdown text; fenced blocks are found once, on first use."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.frontmatter_end = frontmatter_end(text)
        self._fences: list[tuple[int, int]] | None = None
        self._fences_known_until = 0  # where fence finding stopped at a doubtful fence
        self._first_long_html: int | None = None
        self._has_backtick = "`" in text
        # Answers per block, line or label, so that many candidates in one long line or
        # paragraph cost one look at it, not one each.
        self._block_spans: dict[tuple[int, int], dict[tuple[int, int], list[Span]] | None] = {}
        self._line_matches: dict[tuple[str, int, int], list[re.Match[str]]] = {}
        self._labels: dict[str, bool] = {}
        self._run_starts: dict[int, int] = {}
        self._walk_left = _CONTAINER_WALK_LINES

    def surely_not_prose(self, start: int, end: int) -> bool:
        return (
            start < self.frontmatter_end
            or self._in_fence(start)
            or self._in_code_span(start, end)
            or self._in_line_match(_TAG_RE, start, end)
            or self._in_line_match(_INLINE_LINK_RE, start, end)
            or self._in_line_match(_REFERENCE_LINK_RE, start, end)
            or self._in_comment(start, end)
            or self._in_definition(start)
        )

    def _in_fence(self, offset: int) -> bool:
        fences = self._fences if self._fences is not None else self._find_fences()
        index = bisect.bisect_right(fences, (offset, len(self.text) + 1)) - 1
        return index >= 0 and fences[index][0] <= offset < fences[index][1]

    def _find_fences(self) -> list[tuple[int, int]]:
        """Closed fenced blocks, at the margin or in list items, up to the first doubtful one.

        A fence's container decides where it ends, so an opener counts only where the lines
        above show its container for sure (see `_container_column`). From a doubtful opener,
        or one that may sit in an HTML block, on, nothing is claimed. Nor is the text of a
        fence that its container ends before it closes.
        """
        fences: list[tuple[int, int]] = []
        self._fences_known_until = len(self.text)
        lines = self._fence_lines()
        starts = [line.start() for line in lines]
        index = 0
        while index < len(lines):
            opener = lines[index]
            index += 1
            if index > _MAX_FENCE_LINES:
                self._fences_known_until = opener.start()
                break
            indent, marker, rest = opener.groups()
            if marker[0] == "`" and "`" in rest:
                continue  # a backtick fence's info string has no backticks: not a fence
            column = self._container_column(opener.start(), len(indent))
            if column is None or self._maybe_in_html(opener.start()):
                self._fences_known_until = opener.start()
                break
            if len(indent) - column > 3:
                continue  # indented code, or a paragraph's text: no fence
            end, closed = self._fence_end(opener, column, lines, index)
            if not closed:  # its container ended first, or the text did
                self._fences_known_until = opener.start()
                break
            fences.append((opener.end(), end))
            index = bisect.bisect_right(starts, end)
        self._fences = fences
        return fences

    def _fence_lines(self) -> list[re.Match[str]]:
        """Every line that starts with spaces and then ``` or ~~~, after the frontmatter."""
        found: dict[int, re.Match[str]] = {}
        for marker in ("```", "~~~"):
            hit = self.text.find(marker, self.frontmatter_end)
            while hit != -1:
                line_start = self.text.rfind("\n", 0, hit) + 1
                line = _FENCE_LINE_AT.match(self.text, line_start)
                if line_start >= self.frontmatter_end and line is not None:
                    found[line_start] = line
                    hit = line.end()
                hit = self.text.find(marker, self.text.find("\n", hit) + 1 or len(self.text))
        return [found[start] for start in sorted(found)]

    def _container_column(self, offset: int, indent: int) -> int | None:
        """The content column of the list item a line belongs to; 0 at the top; None: unsure.

        Walks up past blank lines and lines indented at least as far. The first line less
        indented must be a list item whose content column is within three of `indent`, or
        the top level must be certain: unindented plain lines back to a blank line.
        """
        if indent == 0:
            return 0
        line_start = offset
        while line_start > 0:
            self._walk_left -= 1
            if self._walk_left < 0:
                return None  # too far to walk: unsure
            line_start = self.text.rfind("\n", 0, line_start - 1) + 1
            line = self._line_text(line_start)
            if not line.strip() or _indent(line) >= indent:
                continue
            item = self._list_item(line_start)
            if item is not None:
                column = len(item.group(0))
                return column if 0 <= indent - column <= 3 else None
            return 0 if self._plain_paragraph_start(line_start) else None
        return 0

    def _list_item(self, line_start: int) -> re.Match[str] | None:
        """The line as a list item, when it surely is one.

        Not a thematic break (`* * *`), and an ordered item other than `1.` only after a
        blank line or another item: it cannot interrupt a paragraph.
        """
        line = self._line_text(line_start)
        item = _LIST_ITEM_RE.match(line)
        if item is None or _BREAK_LINE_RE.match(line):
            return None
        if item.group("number") in (None, "1") or line_start == 0:
            return item
        previous = self._line_text(self.text.rfind("\n", 0, line_start - 1) + 1)
        return item if not previous.strip() or _LIST_ITEM_RE.match(previous) else None

    def _plain_paragraph_start(self, line_start: int) -> bool:
        """Unindented lines that are no list item or quote, back to a blank line."""
        while True:
            line = self._line_text(line_start)
            if not line.strip():
                return True
            if _indent(line) or _MAYBE_ITEM_RE.match(line) or line.startswith(">"):
                return False
            if line_start == 0:
                return True
            line_start = self.text.rfind("\n", 0, line_start - 1) + 1

    def _fence_end(
        self, opener: re.Match[str], column: int, lines: Sequence[re.Match[str]], first: int
    ) -> tuple[int, bool]:
        """Where the fence ends, and whether by its closing line (not its container's end).

        At the top level only a fence line can end it; in a list item, so can any line
        indented less than the item's content.
        """
        marker = opener.group(2)
        if column == 0:
            for line in itertools.islice(lines, first, None):
                if len(line.group(1)) <= 3 and _closes(marker, line.group(0).strip()):
                    return line.start(), True
            return len(self.text), False
        line_start = opener.end() + 1
        while line_start < len(self.text):
            text = self._line_text(line_start)
            indent = _indent(text)
            if text.strip() and indent < column:
                return line_start, False
            if indent <= column + 3 and _closes(marker, text.strip()):
                return line_start, True
            line_start += len(text) + 1
        return len(self.text), False

    def _line_text(self, line_start: int) -> str:
        line_end = self.text.find("\n", line_start)
        return self.text[line_start : len(self.text) if line_end == -1 else line_end]

    def _maybe_in_html(self, offset: int) -> bool:
        """Whether an HTML block may hold the line at `offset`."""
        run_start = self._run_start(offset)
        if self.text[run_start : run_start + 4].lstrip(" ").startswith("<"):
            return True
        comment = self.text.rfind("<!--", 0, offset)
        if comment != -1 and self.text.find("-->", comment, offset) == -1:
            return True
        return self._long_html_before(offset)

    def _run_start(self, line_start: int) -> int:
        """The first line of the run of non-blank lines that holds the line at `line_start`."""
        walked: list[int] = []
        run_start = line_start
        while run_start > 0 and run_start not in self._run_starts:
            walked.append(run_start)
            previous = self.text.rfind("\n", 0, run_start - 1) + 1
            if not self.text[previous : run_start - 1].strip():
                break
            run_start = previous
        run_start = self._run_starts.get(run_start, run_start)
        for line in walked:
            self._run_starts[line] = run_start
        return run_start

    def _in_code_span(self, start: int, end: int) -> bool:
        """Inside a code span, however the lines around are split into blocks.

        Code spans pair backtick runs left to right within one block, and where a block ends
        is not known without a parse. But when every line up to the blank lines around pairs
        off all its own runs, every split into blocks pairs them the same way. Backticks that
        other constructs may swallow (HTML, autolinks, link destinations, escapes, table
        cells) make it doubtful: then nothing is claimed.
        """
        if not self._has_backtick:
            return False
        block = self._chunk(start, end, narrow=False)
        if block not in self._block_spans:
            self._block_spans[block] = self._code_spans_by_line(*block)
        by_line = self._block_spans[block]
        spans = None if by_line is None else by_line.get(self._line(start, end))
        return spans is not None and _covered(spans, start, end)

    def _code_spans_by_line(
        self, block_start: int, block_end: int
    ) -> dict[tuple[int, int], list[Span]] | None:
        """Each line's code spans, or None when some line makes them doubtful."""
        block = self.text[block_start:block_end]
        if "|" in block and _TABLE_DELIMITER_RE.search(block):
            return None
        by_line: dict[tuple[int, int], list[Span]] = {}
        offset = block_start
        for line in block.split("\n"):
            spans = _code_spans(self.text, offset, offset + len(line))
            if spans is None:
                return None  # a run without its pair
            if spans and _doubt_outside(self.text, offset, offset + len(line), spans):
                return None
            by_line[(offset, offset + len(line))] = spans
            offset += len(line) + 1
        return by_line

    def _chunk(self, start: int, end: int, *, narrow: bool = True) -> tuple[int, int]:
        """The lines around the span that may form one block with it."""
        first = self.text.rfind("\n", 0, start) + 1
        while first > 0 and not self._starts_chunk(first, narrow):
            first = self.text.rfind("\n", 0, first - 1) + 1
        last = self.text.find("\n", end)
        while last != -1 and not self._starts_chunk(last + 1, narrow):
            last = self.text.find("\n", last + 1)
        return first, len(self.text) if last == -1 else last

    def _starts_chunk(self, line_start: int, narrow: bool) -> bool:
        """Whether the line at `line_start` may begin a block (narrow), or surely does."""
        if line_start >= len(self.text):
            return True
        previous_start = self.text.rfind("\n", 0, line_start - 1) + 1
        previous = self.text[previous_start : line_start - 1]
        line_end = self.text.find("\n", line_start)
        line = self.text[line_start : len(self.text) if line_end == -1 else line_end]
        if not line.strip() or not previous.strip():
            return True
        return narrow and (
            any(p.match(text) for p in _CHUNK_EDGES for text in (line, previous))
            or line.lstrip().startswith(">") != previous.lstrip().startswith(">")
        )

    def _line(self, start: int, end: int) -> tuple[int, int]:
        line_start = self.text.rfind("\n", 0, start) + 1
        line_end = self.text.find("\n", end)
        return line_start, len(self.text) if line_end == -1 else line_end

    def _in_line_match(self, pattern: LazyPattern, start: int, end: int) -> bool:
        """Inside the `inside` group of a match of `pattern` on the span's line.

        Code spans and comments bind tighter and are parsed left to right, so a match counts
        only with no backtick or `<!--` before it in its block, and no backtick inside.
        """
        line_start, line_end = self._line(start, end)
        key = (pattern.pattern, line_start, line_end)
        if key not in self._line_matches:
            self._line_matches[key] = list(pattern.finditer(self.text, line_start, line_end))
        for match in self._line_matches[key]:
            inside_start, inside_end = match.span("inside")
            if not (inside_start <= start and end <= inside_end) or _escaped(self.text, match):
                continue
            block_start = self._chunk(match.start(), match.start(), narrow=False)[0]
            before = (block_start, match.start())
            if self.text.find("`", *before) != -1 or self.text.find("<!--", *before) != -1:
                return False
            if "`" in match.group(0):
                return False
            return pattern is not _REFERENCE_LINK_RE or self._defined(match["label"])
        return False

    def _in_comment(self, start: int, end: int) -> bool:
        """Inside `<!-- … -->`: an HTML block comment, or an inline one within its block."""
        opening = self.text.rfind("<!--", 0, start)
        if opening == -1 or _backslash_before(self.text, opening):
            return False
        closing = self.text.find("-->", opening + 4)
        if closing == -1 or closing < end or not self._surely_outside_fences(opening):
            return False
        line_start = self.text.rfind("\n", 0, opening) + 1
        if opening - line_start <= 3 and not self.text[line_start:opening].strip(" "):
            return not self._html_block_above(line_start)
        block_start = self._chunk(opening, opening, narrow=False)[0]
        if "`" in self.text[block_start:opening]:
            return False  # a code span may hold the `<!--`
        return closing + 3 <= self._chunk(opening, opening)[1]  # the narrowest block

    def _html_block_above(self, line_start: int) -> bool:
        """Whether the line at `line_start` may continue an HTML block begun above it."""
        if line_start == 0:
            return False
        previous = self.text.rfind("\n", 0, line_start - 1) + 1
        if not self.text[previous : line_start - 1].strip():
            return self._long_html_before(line_start)
        return self._maybe_in_html(previous)

    def _long_html_before(self, offset: int) -> bool:
        """Whether an HTML block that may hold blank lines starts before `offset`."""
        if self._first_long_html is None:
            found = _LONG_HTML_RE.search(self.text)
            self._first_long_html = found.start() if found else len(self.text)
        return self._first_long_html < offset

    def _surely_outside_fences(self, offset: int) -> bool:
        if self._fences is None:
            self._find_fences()
        return offset < self._fences_known_until and not self._in_fence(offset)

    def _in_definition(self, offset: int) -> bool:
        """On a reference definition line: `[label]: url`, after a blank line or others."""
        line_start, _ = self._line(offset, offset)
        while _DEFINITION_RE.match(self.text, line_start):
            if line_start == 0:
                return True
            previous = self.text.rfind("\n", 0, line_start - 1) + 1
            if not self.text[previous : line_start - 1].strip():
                return True
            line_start = previous
        return False

    def _defined(self, label: str) -> bool:
        """Whether a reference definition of `label` surely exists (outside code).

        Each label costs a pass over the text: past `_MAX_LABELS` of them, none is claimed.
        """
        if label not in self._labels:
            known = len(self._labels) < _MAX_LABELS and self._search_definition(label)
            self._labels[label] = known
        return self._labels[label]

    def _search_definition(self, label: str) -> bool:
        words = [re.escape(word) for word in label.split()]
        pattern = r"^ {0,3}\[[ \t]*" + r"\s+".join(words) + r"[ \t]*\]:"
        return any(
            self._in_definition(match.start()) and self._surely_outside_fences(match.start())
            for match in re.finditer(pattern, self.text, re.MULTILINE | re.IGNORECASE)
        )


#: Lines that may be indented code, a table row or a reference definition.
_OTHER_EDGES_RE = LazyPattern(r"(?: {4}|\t)|[^\n]*\||[ \t>]*\[")
#: Text on a line with backticks that may take them away from code spans: HTML tags and
#: comments, autolinks, link destinations, escapes.
_CODE_SPAN_DOUBTS = ("<", ">", "](", "\\`")
#: A table's delimiter row: its cells are split at `|` before code spans are seen.
_TABLE_DELIMITER_RE = LazyPattern(
    r"^(?=[^\n]*\|)[ \t>]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-*:?[ \t]*)*$", re.M
)
_CHUNK_EDGES = (_BLOCK_START_RE, _FENCE_LINE_RE, _BREAK_LINE_RE, _OTHER_EDGES_RE)


def _doubt_outside(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    """Whether something that may swallow backticks starts outside the code spans (sorted,
    disjoint)."""
    span_starts = [span_start for span_start, _ in spans]
    for doubt in _CODE_SPAN_DOUBTS:
        found = text.find(doubt, start, end)
        while found != -1:
            index = bisect.bisect_right(span_starts, found) - 1
            if index < 0 or found >= spans[index][1]:
                return True
            found = text.find(doubt, spans[index][1], end)
    return False


def _covered(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(span_start <= start and end <= span_end for span_start, span_end in spans)


def _closes(opening: str, line: str) -> bool:
    """Whether a line, stripped, closes a fence opened with `opening` (```, ~~~~, …)."""
    return bool(line) and set(line) == {opening[0]} and len(line) >= len(opening)


def _indent(line: str) -> int:
    """The indentation in columns, with tab stops of four as CommonMark counts them."""
    expanded = line.expandtabs(4)
    return len(expanded) - len(expanded.lstrip(" "))


def _code_spans(text: str, start: int, end: int) -> list[tuple[int, int]] | None:
    """The code spans of text[start:end] (a run of n backticks to the next run of n), or
    None when some run has no partner."""
    runs = [(m.start(), m.end()) for m in re.finditer(r"`+", text[start:end])]
    spans: list[tuple[int, int]] = []
    index = 0
    while index < len(runs):
        run_start, run_end = runs[index]
        length = run_end - run_start
        closer = next(
            (j for j in range(index + 1, len(runs)) if runs[j][1] - runs[j][0] == length), None
        )
        if closer is None:
            return None
        spans.append((start + run_start, start + runs[closer][1]))
        index = closer + 1
    return spans


def _backslash_before(text: str, offset: int) -> bool:
    count = 0
    while offset - count - 1 >= 0 and text[offset - count - 1] == "\\":
        count += 1
    return count % 2 == 1


def _escaped(text: str, match: re.Match[str]) -> bool:
    return _backslash_before(text, match.start())
