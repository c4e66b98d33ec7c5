"""`json.loads` without importing `json`: the post-write hook's payload, the parse cache's
entries on a pre-commit lint run.

`json.decoder` imports `re` (and `enum` under it): about 10 ms of the hook's start-up, more
than the rest of its work. `json.loads` itself is a thin layer over the C scanner of `_json`;
this module drives that scanner with the settings `json.JSONDecoder()` gives it, and skips
whitespace with `str` methods instead of a pattern. Anything it is not sure of (no `_json`,
text that is not plain UTF-8 starting with `{`, `[` or whitespace, trailing data, an error)
is handed to `json.loads` itself, so the result, or the error, is always `json.loads`'s.
"""

from __future__ import annotations

TYPE_CHECKING = False  # not from typing: the post-write hook runs this after every write
if TYPE_CHECKING:
    from collections.abc import Callable

_WHITESPACE = " \t\n\r"  # json.decoder.WHITESPACE: [ \t\n\r]*
_FIRST = frozenset(b"{[ \t\n\r")  # an ASCII start: json.detect_encoding says utf-8


class _Settings:
    """What `_json.make_scanner` reads from a `json.JSONDecoder()` built with no arguments."""

    __slots__ = ()
    strict = True
    object_hook = None
    object_pairs_hook = None
    array_hook = None  # read from Python 3.15 on
    parse_float = float
    parse_int = int
    parse_constant = {
        "-Infinity": float("-inf"),
        "Infinity": float("inf"),
        "NaN": float("nan"),
    }.__getitem__


def loads(raw: bytes) -> object:
    """`json.loads(raw)`: the same value, or the same exception."""
    scan = _scanner()
    if scan is None or len(raw) < 2 or raw[0] not in _FIRST or not raw[1]:
        return _json_loads(raw)
    try:
        text = raw.decode("utf-8", "surrogatepass")
        start = len(text) - len(text.lstrip(_WHITESPACE))
        value, end = scan(text, start)
    except Exception:  # any doubt: json.loads says it (see _json_loads)
        return _json_loads(raw)
    if text[end:].strip(_WHITESPACE):
        return _json_loads(raw)  # "Extra data"
    return value


def _scanner() -> Callable[[str, int], tuple[object, int]] | None:
    try:
        from _json import make_scanner
    except ImportError:  # another Python: json.loads does it
        return None
    return make_scanner(_Settings())  # type: ignore[arg-type]


def _json_loads(raw: bytes) -> object:
    """`json.loads` itself: its value, or its exception. (The scanner raises json's
    JSONDecodeError only once `json.decoder` is imported; before that, a SystemError.)"""
    import json

    return json.loads(raw)
