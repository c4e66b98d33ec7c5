"""Any command text survives the TOML round trip exactly, in the forms Gemini's loader reads."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tomlcompat import tomllib

from rulesync.render.tomlstr import toml_multiline, toml_string

TRICKY = [
    "plain",
    "it's '''quoted''' here",
    'three """ doubles',
    r"regex \d+ and C:\Users\me and \\server",
    "tab\tand unicode: Größe, 日本語, emoji 🚀",
    "ends with a quote'",
    'ends with a double"',
    "control \x00\x07\x1b\x7f chars",
    "windows\r\nline\rends",
    "\n\nleading newlines",
    "",
]


@pytest.mark.parametrize("text", TRICKY)
@pytest.mark.parametrize("encode", [toml_multiline, toml_string])
def test_tricky_text_round_trips(text: str, encode) -> None:
    assert tomllib.loads(f"prompt = {encode(text)}\n")["prompt"] == text


def test_literal_is_used_when_the_text_allows_it() -> None:
    assert toml_multiline(r"C:\Users \d") == "'''\n" + r"C:\Users \d" + "'''"


def test_basic_string_escapes_backslashes_when_literal_is_impossible() -> None:
    encoded = toml_multiline("a ''' b \\d")
    assert encoded == '"""\na \'\'\' b \\\\d"""'


@given(st.text())
def test_any_text_round_trips_multiline(text: str) -> None:
    assert tomllib.loads(f"prompt = {toml_multiline(text)}\n")["prompt"] == text


@given(st.text())
def test_any_text_round_trips_single_line(text: str) -> None:
    assert tomllib.loads(f"description = {toml_string(text)}\n")["description"] == text
