"""Split a source file into YAML frontmatter and body, keeping line numbers for errors.

Frontmatter is parsed with PyYAML's libyaml-backed safe loader: a large project has hundreds
of small frontmatter blocks, and the pure-Python parsers take about 1 ms each. Parsed blocks
are kept (rulesync.source.frontmatter_cache), so an unchanged block is not parsed again.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from rulesync.errors import Problem
from rulesync.record import Frozen

if TYPE_CHECKING:
    from rulesync.source.frontmatter_cache import FrontmatterCache

_KEY_LINE = re.compile(r"^(\s*)([A-Za-z0-9_][A-Za-z0-9_-]*)\s*:")
#: C0 controls but tab, LF and CR, and DEL: never meant in a source file, never copied out.
CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: What a YAML reader refuses (YAML 1.2, 5.1): all but tab, LF, CR, NEL and printable text.
#: Written as the few refused ranges: the negated class of the allowed ones spans U+10FFFF
#: and took ~10 ms to compile on every run.
YAML_UNPRINTABLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]"
)
_CONTROL_NAMES = {
    0x00: "NUL",
    0x07: "BEL",
    0x08: "BS",
    0x0B: "VT",
    0x0C: "FF",
    0x1B: "ESC",
    0x7F: "DEL",
}


class Parsed(Frozen):
    """A source file's frontmatter (a plain dict), body, and where things are."""

    __slots__ = ("data", "body", "body_line", "key_lines")  # noqa: RUF023 - the field order
    data: dict[str, Any]
    body: str
    body_line: int  # 1-based line on which the body starts
    key_lines: dict[tuple[str, ...], int]

    def __init__(
        self,
        data: dict[str, Any],
        body: str,
        body_line: int,
        key_lines: dict[tuple[str, ...], int] | None = None,
    ) -> None:
        self._set(
            data=data, body=body, body_line=body_line,
            key_lines={} if key_lines is None else key_lines,
        )  # fmt: skip

    def line_of(self, *keys: str) -> int:
        """Line of a key (`("claude", "model")` for a nested one); line 1 when unknown."""
        while keys:
            if keys in self.key_lines:
                return self.key_lines[keys]
            keys = keys[:-1]
        return 1


class FrontmatterError(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def decode_source(raw: bytes, display: str) -> str:
    """UTF-8 text with `\\n` newlines; a BOM is dropped. Invalid UTF-8 names its line."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise FrontmatterError(
            Problem(
                display,
                f"not valid UTF-8 (byte 0x{raw[error.start]:02x})",
                line,
                "save the file as UTF-8",
            )
        ) from None
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    found = find_character(text, CONTROL_CHARACTER)
    if found is not None:
        line, column, char = found
        raise FrontmatterError(
            Problem(
                display,
                f"column {column}: control character {describe_character(char)}",
                line,
                "delete it; rulesync never copies control characters into the agents' files",
            )
        )
    return text


def find_character(text: str, pattern: re.Pattern[str]) -> tuple[int, int, str] | None:
    """(1-based line, 1-based column, character) of the first match of `pattern`, or None."""
    match = pattern.search(text)
    if match is None:
        return None
    start = match.start()
    line_start = text.rfind("\n", 0, start) + 1
    return text.count("\n", 0, start) + 1, start - line_start + 1, match.group()


def describe_character(char: str) -> str:
    """`U+0007 (BEL)`: a character that cannot be shown as itself."""
    name = _CONTROL_NAMES.get(ord(char))
    code = f"U+{ord(char):04X}"
    return f"{code} ({name})" if name else code


def parse(text: str, display: str, cache: FrontmatterCache | None = None) -> Parsed:
    """Parse `---` delimited frontmatter at the top of `text` (already decoded); `cache`
    holds the blocks parsed before."""
    if not text.startswith("---\n") and text.rstrip("\n") != "---":
        return Parsed({}, text, 1)
    lines = text.split("\n")
    closing = _closing_line(lines)
    if closing is None:
        raise FrontmatterError(
            Problem(
                display,
                "frontmatter starts with `---` but never ends",
                1,
                "add a closing `---` line",
            )
        )
    yaml_text = "\n".join(lines[1:closing])
    data = cache.get(yaml_text) if cache is not None else None
    if data is None:
        data = _load_yaml(yaml_text, display)
        if cache is not None:
            cache.put(yaml_text, data)
    body = "\n".join(lines[closing + 1 :])
    return Parsed(data, body, closing + 2, _key_lines(lines[1:closing]))


def _closing_line(lines: list[str]) -> int | None:
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            return index
    return None


def _load_yaml(yaml_text: str, display: str) -> dict[str, Any]:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        data = yaml.load(yaml_text, Loader=loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 2 if mark is not None else 1
        raise FrontmatterError(
            Problem(
                display,
                f"malformed YAML frontmatter: {error.problem}",
                line,
                "fix the YAML between the `---` lines",
            )
        ) from None
    except yaml.YAMLError as error:
        raise FrontmatterError(
            Problem(display, f"malformed YAML frontmatter: {error}", 1)
        ) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise FrontmatterError(
            Problem(
                display,
                "frontmatter must be a mapping of `key: value` lines",
                2,
                "write `key: value` pairs",
            )
        )
    return {str(key): value for key, value in data.items()}


def _key_lines(yaml_lines: list[str]) -> dict[tuple[str, ...], int]:
    """Top-level keys and the keys one level inside them, with their 1-based file lines."""
    found: dict[tuple[str, ...], int] = {}
    parent: str | None = None
    for offset, line in enumerate(yaml_lines):
        match = _KEY_LINE.match(line)
        if not match:
            continue
        line_number = offset + 2
        if not match.group(1):
            parent = match.group(2)
            found[(parent,)] = line_number
        elif parent is not None:
            found.setdefault((parent, match.group(2)), line_number)
    return found
