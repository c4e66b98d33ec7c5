"""The brief's hook output and the substring search, on their faster paths, give what the
slower ones gave: `json.dumps` of the hook object, and the substring query on `fts`."""

from __future__ import annotations

import json
import random
import sqlite3

import pytest

from rulesync.memory import query
from rulesync.memory.brief import Brief, hook_output
from tests.memory.conftest import MemoryEnv


def _brief(text: str) -> Brief:
    brief = Brief("claude", {})
    brief.lines = text.split("\n")
    return brief


@pytest.mark.parametrize(
    "text",
    [
        "",
        "plain",
        'quote " backslash \\ slash /',
        "Größe ✓ 😀",
        "\x00\x1f\x7f\u2028\u0085",
        "\ud800",
    ],
)
def test_the_hook_output_is_json_dumps_of_the_hook_object(text: str) -> None:
    brief = _brief(text)
    output = {"hookEventName": "SessionStart", "additionalContext": brief.text}
    assert hook_output(brief) == json.dumps({"hookSpecificOutput": output}, ensure_ascii=False)
    assert json.loads(hook_output(brief))["hookSpecificOutput"]["additionalContext"] == brief.text


def test_the_hook_output_on_random_text() -> None:
    rng = random.Random(5)
    alphabet = [chr(code) for code in (*range(0x80), 0xE4, 0x2028, 0xFEFF, 0x1F600)]
    for _ in range(2000):
        brief = _brief("".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40))))
        output = {"hookEventName": "SessionStart", "additionalContext": brief.text}
        expected = json.dumps({"hookSpecificOutput": output}, ensure_ascii=False)
        assert hook_output(brief) == expected


def _add(env: MemoryEnv) -> None:
    store = env.store()
    try:
        for number, (title, body) in enumerate(
            [
                ("Tabellengröße", "Die Größe der Tabelle"),
                ("Latency and load", "p99 latency and more"),
                ("100% sure", "a_b and a%b and back\\slash"),
                ("Plain", "nothing special here"),
                ("Straße", "STRASSE in capitals"),
            ]
        ):
            category = ("feedback", "project", "reference", "user")[number % 4]
            store.add(category=category, title=title, description=f"d {number}", body=body, agent="claude")  # fmt: skip
    finally:
        store.close()


@pytest.mark.parametrize(
    "needle", ["engröß", "atency an", "%", "_", "a_b", "a%b", "\\", "k\\s", "ss", "e", "zzz"]
)
def test_the_substring_query_on_the_content_table_matches_the_one_on_fts(
    memory_env: MemoryEnv, needle: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _add(memory_env)
    connection = sqlite3.connect(memory_env.store().layout.index_path)
    try:
        assert query._has_text_table(connection)
        found = set()
        for category in (None, "feedback", "user"):
            fast = query.substring(connection, needle, category, 100)
            with monkeypatch.context() as patched:
                patched.setattr(query, "_has_text_table", lambda connection: False)
                slow = query.substring(connection, needle, category, 100)
            assert fast == slow
            found |= {row[2] for row in slow}
        assert bool(found) == (needle != "zzz")
        if needle == "engröß":
            assert [row[2] for row in fast] == []  # the user category: none
            assert [row[2] for row in query.substring(connection, needle, None, 9)] == [
                "tabellengroesse"
            ]
    finally:
        connection.close()
