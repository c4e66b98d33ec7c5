"""printable(): nothing a terminal would obey gets through; ordinary text is unchanged."""

from __future__ import annotations

import json
import unicodedata

import pytest

from rulesync.terminal_text import printable, printable_json

CASES = [
    ("plain text, Grüße, 日本語, emoji 🙂", "plain text, Grüße, 日本語, emoji 🙂"),
    ("back\\slash stays", "back\\slash stays"),
    ("\x1b[31mred\x1b[0m", "\\x1b[31mred\\x1b[0m"),
    ("title \x1b]0;owned\x07", "title \\x1b]0;owned\\x07"),
    ("link \x1b]8;;http://x\x1b\\text", "link \\x1b]8;;http://x\\x1b\\text"),
    ("over\rwrite", "over\\rwrite"),
    ("two\nlines", "two\\nlines"),
    ("tab\there", "tab\\there"),
    ("nul\x00 bs\x08 ff\x0c", "nul\\x00 bs\\x08 ff\\x0c"),
    ("del\x7f", "del\\x7f"),
    ("c1 csi\x9b2J nel\x85", "c1 csi\\x9b2J nel\\x85"),
    ("rlo\u202eevil lre\u202a pdf\u202c", "rlo\\u202eevil lre\\u202a pdf\\u202c"),
    ("isolates \u2066a\u2067b\u2068c\u2069", "isolates \\u2066a\\u2067b\\u2068c\\u2069"),
    ("marks \u200e\u200f\u061c", "marks \\u200e\\u200f\\u061c"),
    ("separators \u2028\u2029", "separators \\u2028\\u2029"),
    ("undecodable \udcff", "undecodable \\udcff"),
]


@pytest.mark.parametrize(("text", "shown"), CASES)
def test_printable_escapes_what_a_terminal_would_obey(text: str, shown: str) -> None:
    assert printable(text) == shown


BIDI = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def unsafe(char: str) -> bool:
    """Controls (C0, DEL, C1), surrogates, line and paragraph separators, bidi formatting."""
    return unicodedata.category(char) in ("Cc", "Cs", "Zl", "Zp") or char in BIDI


def test_printable_output_has_no_unsafe_character_left() -> None:
    every = "".join(chr(code) for code in range(0x10000))
    assert sum(map(unsafe, every)) == 32 + 1 + 32 + 2048 + 2 + len(BIDI)
    shown = printable(every)
    assert [char for char in shown if unsafe(char)] == []
    shown.encode("utf-8")  # no lone surrogate left to fail the print


def test_multiline_keeps_newlines_and_tabs_but_not_the_rest() -> None:
    assert printable("a\tb\nc\r\n\x1b[2J", multiline=True) == "a\tb\nc\\r\n\\x1b[2J"


def test_printable_json_is_the_same_value_and_safe() -> None:
    value = {"message": "x\x1b[2J\u202e\x7f\x9b\u2028\udcff y", "n": 1}
    dumped = printable_json(json.dumps(value, ensure_ascii=False))
    assert dumped == ('{"message": "x\\u001b[2J\\u202e\\u007f\\u009b\\u2028\\udcff y", "n": 1}')
    assert json.loads(dumped) == value


def test_a_long_input_is_handled_in_one_pass() -> None:
    text = ("ok \x1b" * 250_000)[:1_000_000]
    assert printable(text).count("\\x1b") == text.count("\x1b")


def _by_regex(text: str, pattern: str) -> str:
    import re

    from rulesync import terminal_text

    escape = terminal_text._json_escape if pattern == "json" else terminal_text._escape
    return re.compile(terminal_text._PATTERNS[pattern]).sub(escape, text)


def test_the_printable_shortcut_escapes_what_the_pattern_escapes() -> None:
    """Text `str.isprintable` accepts is returned as it is, without `re`: every character
    of the Basic Multilingual Plane (and a few beyond) gives what the pattern gives."""
    from rulesync.terminal_text import printable, printable_json

    chars = [chr(code) for code in (*range(0x10000), 0x1F600, 0x10FFFF)]
    for start in range(0, len(chars), 64):
        chunk = "a" + "".join(chars[start : start + 64])
        for text in (chunk, chunk + "\tb\nc"):
            assert printable(text) == _by_regex(text, "line")
            assert printable(text, multiline=True) == _by_regex(text, "lines")
        dumped = json.dumps({"k": chunk, "n": [1, 2]}, indent=2, ensure_ascii=False)
        assert printable_json(dumped) == _by_regex(dumped, "json")
    assert printable("Größe — ok") == "Größe — ok"
    assert printable("two\nlines\tand tab", multiline=True) == "two\nlines\tand tab"
    assert printable("a\rb\u202ec", multiline=True) == "a\\rb\\u202ec"
