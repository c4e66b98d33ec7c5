"""TOML strings that survive any text, for Gemini CLI's loader (@iarna/toml).

That loader rejects `\\d` and `C:\\Users` in `\"\"\"` strings, ends a `'''` literal at the first
`'''` inside, and cannot read control characters in a literal. So: a multi-line literal when
the text allows one, otherwise a multi-line basic string with every special character escaped.
"""

from __future__ import annotations

import re

_NOT_LITERAL_SAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]|'''")
_BASIC_ESCAPES = {
    "\\": "\\\\",
    '"': '\\"',
    "\b": "\\b",
    "\t": "\t",
    "\n": "\n",
    "\f": "\\f",
    "\r": "\\r",
}
_NEEDS_ESCAPE = re.compile(r'[\\"\x00-\x08\x0b-\x1f\x7f]')


def toml_multiline(text: str) -> str:
    """A TOML value that `tomllib.loads` turns back into exactly `text`."""
    if not _NOT_LITERAL_SAFE.search(text) and not text.endswith("'"):
        return f"'''\n{text}'''"
    return f'"""\n{_NEEDS_ESCAPE.sub(_escape, text)}"""'


def toml_string(text: str) -> str:
    """A single-line TOML basic string."""
    escaped = _NEEDS_ESCAPE.sub(_escape, text).replace("\n", "\\n")
    return f'"{escaped}"'


def _escape(match: re.Match[str]) -> str:
    char = match.group(0)
    return _BASIC_ESCAPES.get(char) or f"\\u{ord(char):04x}"
