"""Where a big file may be cut into pieces that parse, piece by piece, as in the whole file.

One cheap pass over the bytes, line by line, before anything is decoded or parsed. A piece
may start at a line where Markdown's parse state is surely top level: a line after a blank
line, at column 0, that cannot continue a list, a block quote or indented code (no leading
space or tab, no `>`, no list marker), outside frontmatter, a fenced code block (``` and
~~~, with their length) and an HTML block of types 1-5 (`<script|pre|style|textarea`,
`<!--`, `<?`, `<!X`, `<![CDATA[`: they span blank lines). No rule looks across a blank
line (names, neighbouring words, lines in capitals), so each piece is linted on its own.

Where the pass cannot be sure, it gives up (`Unsure`) and the file is linted whole:
a fence or HTML block opened inside a list item (or indented) that a line at a lower
indentation would close, a fence or HTML line right after a table row (markdown-it reads it
as a row), a fence or reference definition inside an HTML block that may be a paragraph,
a reference definition it cannot read for sure, a line longer than `LONG_LINE`.

Reference definitions (`[label]: url`) anywhere change how `[x][label]` is read elsewhere:
the pass collects their labels, and each piece is parsed with the definitions of the labels
it mentions appended after it (`definitions_for`), so no offset moves. An HTML comment left
open at a line end (`<!-- rulesync-lint disable` … a blank line … `-->`) may be a
suppression comment as a whole: no cut until it could not be one any more.

Plain text is cut at any line after a blank line.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import NamedTuple

from lints.document import Kind

#: Read this much at a time while planning.
READ_BYTES = 1 << 20
#: A line longer than this: the file is linted whole.
LONG_LINE = 1 << 20
BOM_BYTES = b"\xef\xbb\xbf"

#: `read_at(offset, size)`: up to `size` bytes of the file from `offset` (fewer at its end).
ReadAt = Callable[[int, int], bytes]


class Unsure(Exception):
    """The pass cannot tell where the parse state is top level: lint the file whole."""


class BinaryFile(Exception):
    """The file contains a NUL byte."""


class Plan(NamedTuple):
    """Byte offsets where pieces start (after the first), and the labels of the reference
    definitions: normalised key -> the label as written."""

    cuts: list[int]
    labels: dict[str, str]


def plan(read_at: ReadAt, begin: int, size: int, kind: Kind, piece_bytes: int) -> Plan:
    """Cut points at least `piece_bytes` apart. Raises Unsure or BinaryFile."""
    tracker: _Markdown | _Text = _Markdown() if kind == "markdown" else _Text()
    cuts: list[int] = []
    last = begin
    for offset, line in _lines(read_at, begin, size):
        if tracker.line(line) and offset - last >= piece_bytes:
            cuts.append(offset)
            last = offset
    return Plan(cuts, tracker.labels)


def _lines(read_at: ReadAt, begin: int, size: int) -> Iterator[tuple[int, bytes]]:
    """(offset, line without its newline) of every line from `begin`."""
    carry = b""
    at = offset = begin  # `at`: where `carry` starts
    while offset < size:
        block = read_at(offset, min(READ_BYTES, size - offset))
        if not block:
            break
        if b"\x00" in block:
            raise BinaryFile
        offset += len(block)
        lines = (carry + block).split(b"\n")
        carry = lines.pop()
        for line in lines:
            if len(line) > LONG_LINE:
                raise Unsure("a line longer than LONG_LINE")
            yield at, line
            at += len(line) + 1
        if len(carry) > LONG_LINE:
            raise Unsure("a line longer than LONG_LINE")
    if carry:
        yield at, carry


# --- Markdown ------------------------------------------------------------------------------

_LIST_PREFIX = rb"(?:(?:[-*+]|[0-9]{1,9}[.)])[ \t]+)*"
_FENCE_RE = re.compile(rb"( {0,3})(" + _LIST_PREFIX + rb")(`{3,}(?![^`]*`)|~{3,})")
_CLOSING_FENCE_RE = re.compile(rb"( *)(`{3,}|~{3,})[ \t]*")
_HTML_RE = re.compile(rb"( {0,3})(" + _LIST_PREFIX + rb")<[A-Za-z/!?]")
#: HTML blocks that end at a marker, not at a blank line (markdown-it's types 1-5).
_HTML_UNTIL_MARKER = (
    (
        re.compile(rb"<(?:script|pre|style|textarea)(?=\s|>|$)", re.IGNORECASE),
        re.compile(rb"</(?:script|pre|style|textarea)>", re.IGNORECASE),
    ),
    (re.compile(rb"<!--"), re.compile(rb"-->")),
    (re.compile(rb"<\?"), re.compile(rb"\?>")),
    (re.compile(rb"<![A-Za-z]"), re.compile(rb">")),
    (re.compile(rb"<!\[CDATA\["), re.compile(rb"\]\]>")),
)
_FRONTMATTER_OPEN_RE = re.compile(rb"---[ \t]*")
_FRONTMATTER_CLOSE_RE = re.compile(rb"(?:---|\.\.\.)[ \t]*")
_ORDERED_MARKER_RE = re.compile(rb"[0-9]{1,9}[.)](?:[ \t]|$)")
_NOT_TOP_LEVEL_FIRST = frozenset(b" \t>-*+")
#: A line without these opens no block, table or definition (outside a block).
_OPENS_RE = re.compile(rb"[`~<\[|\r]|\]:")
_DEFINITION_PREFIX_RE = re.compile(rb"[ \t>]*(?:(?:[-*+]|[0-9]{1,9}[.)])[ \t>]+)*")
#: A reference definition on one line that both parsers read alike (no backslash, no tab).
_DEFINITION_RE = re.compile(
    rb"\[([^\\\[\]\t]{0,999})\]:[ \t]*(<[^<>\\\n]*>|[^\s<\\\x00-\x1f\x7f]+)"
    rb"(?:[ \t]+(?:\"[^\"\\]*\"|'[^'\\]*'|\([^()\\]*\)))?[ \t]*"
)


class _Fence(NamedTuple):
    char: int
    length: int
    column: int | None  # None: surely top level; else the column a container would need

    def still_open(self, line: bytes, blank: bool) -> bool:
        if blank:
            return True
        if self.column is not None and _indent(line) < self.column:
            raise Unsure("a line less indented than an indented fence")
        closing = _CLOSING_FENCE_RE.fullmatch(line)
        if closing is None:
            return True
        run = closing.group(2)
        if run[0] != self.char or len(run) < self.length:
            return True
        if len(closing.group(1)) <= 3:
            return False
        if self.column is not None:
            raise Unsure("an indented closing fence")
        return True


class _HtmlUntilMarker(NamedTuple):
    end: re.Pattern[bytes]
    column: int | None

    def still_open(self, line: bytes, blank: bool) -> bool:
        if not blank and self.column is not None and _indent(line) < self.column:
            raise Unsure("a line less indented than an indented HTML block")
        return self.end.search(line) is None


class _HtmlUntilBlank(NamedTuple):
    """HTML types 6 and 7, or a paragraph that starts with a tag: until a blank line. A
    fence, an HTML block that spans blank lines or a definition in it would be read
    differently in the two cases (another tag line would not)."""

    def still_open(self, line: bytes, blank: bool) -> bool:
        if blank:
            return False
        html = _HTML_RE.match(line)
        if _FENCE_RE.match(line) or _definition_like(line) or (html and _open_html(line, html)):
            raise Unsure("a fence, HTML comment or definition inside an HTML block")
        return True


def _open_html(line: bytes, html: re.Match[bytes]) -> re.Pattern[bytes] | None:
    """The end marker of an HTML block of types 1-5 that this line opens and leaves open."""
    at = html.end() - 2
    for start, end in _HTML_UNTIL_MARKER:
        if start.match(line, at):
            return end if end.search(line, at) is None else None
    return None


class _Frontmatter(NamedTuple):
    def still_open(self, line: bytes, blank: bool) -> bool:
        return _FRONTMATTER_CLOSE_RE.fullmatch(line) is None


_Block = _Fence | _HtmlUntilMarker | _HtmlUntilBlank | _Frontmatter


class _Markdown:
    """Follows the top-level block state line by line; `line` says whether a piece may
    start at the line it is given."""

    def __init__(self) -> None:
        self.labels: dict[str, str] = {}
        self._block: _Block | None = None
        self._first = True
        self._previous_blank = True
        self._previous_definition = False
        self._maybe_table = False
        self._comment = _OpenComment()

    def line(self, line: bytes) -> bool:
        if self._block is None and not self._first:  # the two commonest lines, faster
            if not line:
                self._previous_blank, self._maybe_table = True, False
                self._previous_definition = False
                return False
            if not _OPENS_RE.search(line) and line.strip(b" \t"):
                may_cut = (
                    self._previous_blank and not self._comment.open and _starts_at_top_level(line)
                )
                self._comment.update(line)
                self._previous_blank = self._previous_definition = False
                return may_cut
        if b"\r" in line:
            line = line.replace(b"\r", b" ")  # as `lints.prose` hands the text to the parser
        may_cut = (
            self._block is None
            and self._previous_blank
            and not self._comment.open
            and _starts_at_top_level(line)
        )
        self._comment.update(line)
        blank = not line.strip(b" \t")
        if self._first:
            self._first = False
            if _FRONTMATTER_OPEN_RE.fullmatch(line):
                self._block = _Frontmatter()
                return False
        if self._block is not None:
            if not self._block.still_open(line, blank):
                blank = blank or isinstance(self._block, _Frontmatter)  # blanked for the parser
                self._block = None
        else:
            self._outside(line, blank)
        self._previous_blank = blank
        return may_cut

    def _outside(self, line: bytes, blank: bool) -> None:
        definition = False
        if blank:
            self._maybe_table = False
        elif fence := _FENCE_RE.match(line):
            self._open_fence(fence)
        elif html := _HTML_RE.match(line):
            self._open_html(line, html)
        elif _definition_like(line):
            self._definition(line)
            definition = True
        elif b"|" in line:
            self._maybe_table = True
        self._previous_definition = definition

    def _open_fence(self, fence: re.Match[bytes]) -> None:
        if self._maybe_table:
            raise Unsure("a fence after a table row")
        run = fence.group(3)
        surely_top = not fence.group(1) and not fence.group(2)
        self._block = _Fence(run[0], len(run), None if surely_top else fence.start(3))

    def _open_html(self, line: bytes, html: re.Match[bytes]) -> None:
        if self._maybe_table:
            raise Unsure("an HTML block after a table row")
        at = html.end() - 2
        if not any(start.match(line, at) for start, _ in _HTML_UNTIL_MARKER):
            self._block = _HtmlUntilBlank()
        elif end := _open_html(line, html):
            column = None if not html.group(1) and not html.group(2) else at
            self._block = _HtmlUntilMarker(end, column)

    def _definition(self, line: bytes) -> None:
        definition = _DEFINITION_RE.fullmatch(line)
        after_break = self._previous_blank or self._previous_definition
        if definition is None or not after_break or not _balanced(definition.group(2)):
            raise Unsure("a reference definition it cannot read")
        label = definition.group(1).decode("utf-8", "replace")
        if not label.strip():
            raise Unsure("a reference definition with an empty label")
        for key in label_keys(label):
            self.labels.setdefault(key, label)


def _starts_at_top_level(line: bytes) -> bool:
    return bool(line) and line[0] not in _NOT_TOP_LEVEL_FIRST and not _ORDERED_MARKER_RE.match(line)


def _definition_like(line: bytes) -> bool:
    """A line that may start or end a reference definition (in any container)."""
    rest = line[_prefix_end(line) :]
    if rest.startswith(b"["):
        return b"]:" in rest  # a label that goes on: its last line has the `]:`
    colon = rest.find(b"]:")
    return colon != -1 and b"[" not in rest[:colon]


def _prefix_end(line: bytes) -> int:
    match = _DEFINITION_PREFIX_RE.match(line)
    return match.end() if match else 0


def _balanced(destination: bytes) -> bool:
    if destination.startswith(b"<"):
        return True
    depth = 0
    for char in destination:
        depth += (char == 40) - (char == 41)  # ( and )
        if depth < 0:
            return False
    return depth == 0


def _indent(line: bytes) -> int:
    """The column of the first character that is not a space or tab (tab stops of 4)."""
    column = 0
    for char in line:
        if char == 32:
            column += 1
        elif char == 9:
            column += 4 - column % 4
        else:
            break
    return column


def label_keys(label: str) -> set[str]:
    """What a label may be matched by: markdown-it's normalisation and Unicode case folding
    (a key too many only appends a definition the file has anyway)."""
    collapsed = " ".join(label.split())
    return {collapsed.casefold(), collapsed.lower().upper()}


_BRACKETED_RE = re.compile(r"\[([^\[\]]{1,999})\]")


def definitions_for(text: str, labels: dict[str, str]) -> str:
    """Definitions, to append after `text`, of the labels `text` mentions in brackets."""
    if not labels or "[" not in text:
        return ""
    wanted: dict[str, None] = {}
    for match in _BRACKETED_RE.finditer(text):
        for key in label_keys(match.group(1)):
            label = labels.get(key)
            if label is not None:
                wanted[label] = None
    if not wanted:
        return ""
    return "\n\n" + "".join(f"[{label}]: #\n" for label in wanted)


# --- plain text and comments ---------------------------------------------------------------


class _Text:
    """Plain text: a piece may start at any line after a blank line."""

    def __init__(self) -> None:
        self.labels: dict[str, str] = {}
        self._previous_blank = True
        self._comment = _OpenComment()

    def line(self, line: bytes) -> bool:
        blank = not line.strip(b" \t\r")
        may_cut = self._previous_blank and not blank and not self._comment.open
        self._comment.update(line)
        self._previous_blank = blank
        return may_cut


class _OpenComment:
    """Whether an HTML comment opened earlier may still close as a suppression comment
    (`lints.suppress` matches `<!--` … `-->` with no `>` in between, across lines)."""

    def __init__(self) -> None:
        self.open = False

    def update(self, line: bytes) -> None:
        opened = line.rfind(b"<!--")
        closed = line.rfind(b">")
        if opened > closed:
            self.open = True
        elif closed != -1:
            self.open = False
