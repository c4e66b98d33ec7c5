"""The post-write hook's readers without json, re or datetime give what the full ones give.

- `lean_json.loads` against `json.loads`: the same value, or the same exception;
- `entry.parse_text` against `entry.parse`: the same fields (dates as ISO text), or None
  whenever `parse` would have to decide;
- the character-set checks of `entry` against the patterns they replace, on every BMP
  character, and the `_json` string reader against `json.loads`.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re

import pytest

from rulesync import lean_json
from rulesync.memory import entry as entry_module
from rulesync.memory import index_md
from rulesync.memory.entry import Entry, EntryError, check_id, parse, parse_text, render

DAY = dt.date(2026, 11, 27)
FALLBACK = dt.date(2001, 2, 3)

PAYLOADS = [
    b'{"tool_name": "Write", "tool_input": {"file_path": "/p/memory/a.md"}}',
    b'  \n\t{"tool_input": {"file_path": "/p/m\\u00e4/a.md", "n": [1, 2.5, -3e9, null]}}\r\n',
    b'{"a": "\\ud800", "b": "\\ud83d\\ude00", "c": NaN, "d": -Infinity, "e": Infinity}',
    b'{"a": 123456789012345678901234567890, "b": true, "c": false, "d": {}}',
    b'["not", "an", "object"]',
    '{"grüße": "Größe ✓"}'.encode(),
    b'{"a": 1} {"b": 2}',  # extra data
    b'{"a": 1',  # unterminated
    b'{"a": "tab\there"}',  # a control character in a string: strict
    b"",
    b"   ",
    b"{}",
    b"[]",
    b'"just a string"',
    b"12",
    b"\xef\xbb\xbf{}",  # a UTF-8 BOM
    '{"a": "b"}'.encode("utf-16"),
    '{"a": "b"}'.encode("utf-16-le"),
    '{"a": "b"}'.encode("utf-32-be"),
    b'{"a": "\xff"}',  # not UTF-8
    b'{"a": "\xed\xa0\x80"}',  # an encoded surrogate: surrogatepass
    b"[" * 100_000 + b"]" * 100_000,  # deeper than the recursion limit
    b'{"a": [1, 2,]}',
    b'{"a": 01}',
    b"{'a': 1}",
]


def _outcome(load: object, raw: bytes) -> tuple[str, object]:
    try:
        value = load(raw)  # type: ignore[operator]
    except Exception as error:
        return ("error", (type(error), str(error)))
    return ("value", json.dumps(value, sort_keys=True, allow_nan=True))


@pytest.mark.parametrize("raw", PAYLOADS, ids=range(len(PAYLOADS)))
def test_lean_json_gives_what_json_loads_gives(raw: bytes) -> None:
    assert _outcome(lean_json.loads, raw) == _outcome(json.loads, raw)


def test_lean_json_on_random_mutations_of_a_payload() -> None:
    rng = random.Random(14)
    base = PAYLOADS[1]
    alphabet = b' \t\n\r{}[]":,\\0123456789.eE+-aunltrsfNI\x00\xc3\xa4'
    for _ in range(3000):
        raw = bytearray(base)
        for _ in range(rng.randint(1, 4)):
            raw[rng.randrange(len(raw))] = rng.choice(alphabet)
        assert _outcome(lean_json.loads, bytes(raw)) == _outcome(json.loads, bytes(raw)), raw


def _entry(**changes: object) -> Entry:
    values: dict[str, object] = {
        "id": "build-uses-uv",
        "category": "project",
        "title": "The build uses uv",
        "description": "Run uv sync before the tests",
        "body": "Details about Größe.\n\nMore.",
        "created": DAY,
        "updated": dt.date(2024, 2, 29),
        "last_verified": dt.date(1, 1, 1),
        "agent": "claude",
    }
    values.update(changes)
    return Entry(**values)  # type: ignore[arg-type]


def _as_text(entry: Entry) -> tuple[object, ...]:
    return (
        entry.id, entry.category, entry.title, entry.description, entry.body,
        entry.created.isoformat(), entry.updated.isoformat(), entry.last_verified.isoformat(),
        entry.agent,
    )  # fmt: skip


def _lean(raw: bytes, entry_id: str) -> tuple[object, ...] | None:
    found = parse_text(raw, entry_id)
    if found is None:
        return None
    return tuple(getattr(found, name) for name in Entry.__slots__)


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"title": "Größe: \"quoted\" and 'single' # not a comment"},
        {"title": "true"},  # a YAML word: written as a JSON string
        {"description": "2026-11-27"},
        {"description": "[not a list]", "agent": "codex-2.1"},
        {"title": "  padded  ", "description": "a: b, c"},
        {"body": ""},
        {"category": "user", "title": "Emoji 😀 and \\ backslash"},
    ],
)
def test_parse_text_reads_what_render_writes_as_parse_does(changes: dict[str, object]) -> None:
    entry = _entry(**changes)
    raw = render(entry)
    assert _lean(raw, entry.id) == _as_text(parse(raw, entry.id, FALLBACK))


@pytest.mark.parametrize(
    "text",
    [
        # Claude Code's own file: no dates (the mtime decides, with datetime)
        "---\nname: x\ndescription: d\ntype: feedback\n---\n\nbody\n",
        # YAML that only the YAML parser reads
        "---\ntitle: t\ndescription: d\ntype: project\nmetadata:\n  type: user\n---\nb\n",
        "---\ntitle: 't'\ndescription: d\ntype: project\n---\nb\n",
        # dates not written as YYYY-MM-DD
        "---\ntitle: t\ndescription: d\ntype: project\ncreated: 2026-W48-1\nupdated: 2026-11-27\n"
        "last_verified: 2026-11-27\n---\nb\n",
        "---\ntitle: t\ndescription: d\ntype: project\ncreated: 20261127\nupdated: 2026-11-27\n"
        "last_verified: 2026-11-27\n---\nb\n",
        "---\ntitle: t\ndescription: d\ntype: project\ncreated: 2026-02-30\nupdated: 2026-11-27\n"
        "last_verified: 2026-11-27\n---\nb\n",
        "---\ntitle: t\ndescription: d\ntype: project\ncreated: ٢٠٢٦-11-27\nupdated: 2026-11-27\n"
        "last_verified: 2026-11-27\n---\nb\n",
        "---\ntitle: t\ndescription: d\ntype: project\ncreated: 0000-01-01\nupdated: 2026-11-27\n"
        "last_verified: 2026-11-27\n---\nb\n",
        "---\ntitle: t\ndescription: d\ntype: project\ncreated: 2026-13-01\nupdated: 2026-11-27\n"
        "last_verified: 2026-11-27\n---\nb\n",
        "---\ntitle: t\ndescription: d\ntype: project\ncreated: 2025-02-29\nupdated: 2026-11-27\n"
        "last_verified: 2026-11-27\n---\nb\n",
        # not entries at all
        "no frontmatter\n",
        "---\ntitle: t\n",
        "---\ntitle: t\ndescription: d\ntype: nonsense\ncreated: 2026-11-27\n"
        "updated: 2026-11-27\nlast_verified: 2026-11-27\n---\nb\n",
        '---\ntitle: "unterminated\ndescription: d\ntype: project\ncreated: 2026-11-27\n'
        "updated: 2026-11-27\nlast_verified: 2026-11-27\n---\nb\n",
        "---\ntitle: t\ndescription: d\ntype: project\ncreated: 2026-11-27\n"
        "updated: 2026-11-27\nlast_verified: 2026-11-27\nagent: bad agent\n---\nb\n",
        "---\ntitle: t\ndescription: d\ntype: project\ncreated: 2026-11-27\n"
        "updated: 2026-11-27\nlast_verified: 2026-11-27\n---\nbell \x07 in the body\n",
    ],
)
def test_parse_text_leaves_every_other_file_to_parse(text: str) -> None:
    assert parse_text(text.encode(), "some-id") is None


def test_parse_text_on_a_valid_date_that_parse_reads_too() -> None:
    raw = (
        b"---\ntitle: t\ndescription: d\ntype: project\ncreated: 2024-02-29T10:00:00\n"
        b"updated: 2000-02-29\nlast_verified: 9999-12-31\n---\nb\n"
    )
    assert _lean(raw, "x") == _as_text(parse(raw, "x", FALLBACK))


def test_parse_text_refuses_a_name_with_a_newline_as_parse_does() -> None:
    raw = render(_entry())
    assert parse_text(raw, "build\n") is None
    with pytest.raises(EntryError):
        parse(raw, "build\n", FALLBACK)
    with pytest.raises(EntryError):
        check_id("build\n")


def _bmp() -> list[str]:
    return [chr(code) for code in range(0x10000) if not 0xD800 <= code < 0xE000]


def test_the_character_checks_match_the_patterns_they_replace() -> None:
    valid_id = re.compile(r"[a-z0-9][a-z0-9_-]{0,79}")
    agent = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,39}")
    control = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u2028\u2029]")
    line_control = re.compile(r"[\x00-\x1f\x7f\u2028\u2029\u0085]")
    for char in _bmp():
        for text in (char, "a" + char, "a" + char + "b", "a" * 39 + char, "a" * 79 + char):
            assert entry_module._is_id(text) == bool(valid_id.fullmatch(text)), repr(text)
            assert entry_module._is_agent(text) == bool(agent.fullmatch(text)), repr(text)
        for text in (char, "a\n" + char + "\tb"):
            assert entry_module._has_control(text) == bool(control.search(text)), repr(text)
            assert entry_module._has_line_control(text) == bool(line_control.search(text))
    for text in ("", "x" * 300, "Größe\n\tok", "\u00a0\u200d\x85 allowed in a body"):
        assert not entry_module._has_control(text)
        assert entry_module._has_control(text + "\x07")  # one more, after it
        assert entry_module._has_line_control("\u2028" + text)
    assert not entry_module._is_id("")
    assert not entry_module._is_id("a" * 81)
    assert not entry_module._is_agent("a" * 41)


def test_the_json_string_reader_matches_json_loads() -> None:
    rng = random.Random(7)
    pieces = ['"', "\\", "\\n", "\\u00e4", "\\ud800", "a", "ä", " ", "\t", "\\x", "}", "\\"]
    for _ in range(5000):
        value = '"' + "".join(rng.choice(pieces) for _ in range(rng.randint(0, 6)))
        value = value.strip()
        try:
            expected: object = json.loads(value)
        except ValueError:
            expected = None
        if not isinstance(expected, str):
            expected = None
        assert entry_module._json_string(value) == expected, value


def test_the_pointer_target_matches_the_pattern_on_every_character() -> None:
    pattern = re.compile(index_md._POINTER)
    for char in _bmp():
        for line in (f"- [{char}](x.md)", f"{char}- [t](x{char}.md)", f"- [t]{char}(x.md)"):
            match = pattern.match(line)
            assert index_md._pointer_target(line) == (match.group(1).strip() if match else None)
    for char in _bmp():
        path = f"/home/u{char}/MEMORY.md"
        wrapped = f"<{path}>" if re.search(r"[\s()<>]", path) else path
        assert index_md._target(path) == wrapped, repr(char)


def test_the_hook_clears_the_stamp_freshness_reads() -> None:
    from rulesync.memory import freshness, index_sql

    assert f"DELETE FROM meta WHERE key = '{freshness.DIRS_KEY}'" == index_sql.CLEAR_DIRS_STAMP


def test_errors_in_a_fresh_process_are_json_loads_errors() -> None:
    """The C scanner raises json's JSONDecodeError only once `json.decoder` is imported;
    in the hook's process it is not, and json.loads must still decide."""
    import subprocess
    import sys

    bad_payloads = [b'{"tool_input": {"file_path": "/x/memory/a.md"', b'{"a": "\\x"}', b"{,}"]
    bad_strings = ['"bad \\x escape"', '"unterminated', '"tab\there"', '"a" "b"']
    code = (
        "import sys\n"
        "from rulesync import lean_json\nfrom rulesync.memory import entry\n"
        "assert 'json' not in sys.modules\n"
        f"for raw in {bad_payloads!r}:\n"
        "    try:\n"
        "        print('value', lean_json.loads(raw))\n"
        "    except ValueError as error:\n"
        "        print(type(error).__name__, error)\n"
        f"for value in {bad_strings!r}:\n"
        "    print('string', entry._json_string(value))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=60
    )
    expected = []
    for raw in bad_payloads:
        try:
            expected.append(f"value {json.loads(raw)}")
        except ValueError as error:
            expected.append(f"{type(error).__name__} {error}")
    expected += ["string None"] * len(bad_strings)
    assert (done.returncode, done.stdout.splitlines(), done.stderr) == (0, expected, "")


class _Row:
    def __init__(self, id: str, category: str, updated: dt.date | str) -> None:
        self.id, self.category, self.updated = id, category, updated
        self.title = self.description = id


def test_the_block_order_of_iso_text_is_that_of_dates() -> None:
    """MEMORY.md's order (category, newest first, id) is the same whether a date is a date
    (an Entry) or its ISO text (an index row, as the post-write hook reads it)."""
    rng = random.Random(5)
    categories = list(index_md._ORDER)
    days = [dt.date(1, 1, 1), dt.date(999, 12, 31), dt.date(2026, 2, 28), dt.date(2026, 11, 3)]
    for _ in range(300):
        rows = [
            (f"e{rng.randrange(40)}-{number}", rng.choice(categories), rng.choice(days))
            for number in range(rng.randrange(1, 30))
        ]
        expected = [
            row[0]
            for row in sorted(rows, key=lambda r: (index_md._ORDER[r[1]], -r[2].toordinal(), r[0]))
        ]
        as_dates = index_md._in_block_order([_Row(*row) for row in rows])
        as_text = index_md._in_block_order([_Row(i, c, d.isoformat()) for i, c, d in rows])
        assert [row.id for row in as_dates] == expected
        assert [row.id for row in as_text] == expected


def test_the_block_counts_and_lists_every_category_and_only_those() -> None:
    from rulesync.memory import index_sql

    assert sorted(index_sql.LISTING_ORDER) == sorted(entry_module.CATEGORIES)
    assert list(index_sql.LISTING_ORDER) == sorted(index_md._ORDER, key=index_md._ORDER.__getitem__)
    for category in entry_module.CATEGORIES:
        assert f"'{category}'" in index_sql.LISTING_TOTAL
