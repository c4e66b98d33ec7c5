"""Text from files, logs or the environment made safe to print on a terminal.

A file name, a run-log field or a vendor's error line can carry bytes that a terminal obeys
instead of showing: ESC sequences (colours, cursor moves, window titles, OSC 8 links), a
carriage return that overwrites the line, a newline that forges a line of our own, the C1
controls some terminals take as CSI, bidirectional overrides that show text in another order
than it is (CVE-2021-42574), and lone surrogates (undecodable bytes in a file name or an
environment variable) that make the print itself fail. `printable` shows each such character
as a Python-style escape (`\\x1b`, `\\r`, `\\u202e`), so it can be seen and nothing is obeyed.

A backslash is left as it is: the result is for reading, not for decoding back.
"""

from __future__ import annotations

TYPE_CHECKING = False  # not from typing: a status line and the memory hooks print through this
if TYPE_CHECKING:
    import re

# C0 controls, DEL and C1 controls; bidi marks, embeddings, overrides and isolates
# (U+061C, U+200E-200F, U+202A-202E, U+2066-2069); the Unicode line and paragraph separators;
# lone surrogates. Every one of them is non-printable for `str.isprintable` (categories Cc,
# Cf, Zl, Zp, Cs): text that is printable has nothing to escape, and needs no `re`.
_RANGES = (
    (0x00, 0x1F),
    (0x7F, 0x9F),
    (0x061C, 0x061C),
    (0x200E, 0x200F),
    (0x2028, 0x202E),
    (0x2066, 0x2069),
    (0xD800, 0xDFFF),
)
_CLASS = "".join(f"\\u{low:04x}-\\u{high:04x}" for low, high in _RANGES)
_PATTERNS = {
    "line": f"[{_CLASS}]",
    "lines": f"(?![\\t\\n])[{_CLASS}]",
    "json": f"(?![\\x00-\\x1f])[{_CLASS}]",  # `json.dumps` escapes C0 itself
}
_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def printable(text: str, *, multiline: bool = False) -> str:
    """`text` with every control, bidi and surrogate character shown as an escape.

    By default the result is one line (for a table cell or a message): tab and newline are
    escaped too. With `multiline`, tab and newline are kept (for an excerpt of several lines);
    a carriage return is escaped either way.
    """
    if text.isprintable() or (multiline and _printable_lines(text.replace("\t", " "))):
        return text
    return _pattern("lines" if multiline else "line").sub(_escape, text)


def printable_json(dumped: str) -> str:
    """A `json.dumps(..., ensure_ascii=False)` text with the characters it leaves raw (DEL,
    C1, bidi, separators, surrogates) written as `\\uXXXX`: the same JSON value, safe to print.

    These characters can only occur inside JSON strings, where `\\uXXXX` means the same.
    """
    if _printable_lines(dumped):
        return dumped  # only the newlines of `indent`: nothing to escape
    return _pattern("json").sub(_json_escape, dumped)


def _printable_lines(text: str) -> bool:
    return all(line.isprintable() for line in text.split("\n"))


def _pattern(kind: str) -> re.Pattern[str]:
    import re  # only for text that needs an escape: `re` costs start-up

    return re.compile(_PATTERNS[kind])


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    named = _NAMED.get(char)
    if named is not None:
        return named
    code = ord(char)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def _json_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"
