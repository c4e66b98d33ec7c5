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


def _rulesync(env: MemoryEnv, *args: str) -> list[str]:
    import sys

    return [sys.executable, "-m", "rulesync", *args]


def test_search_and_brief_processes_flush_all_output_before_they_end(memory_env: MemoryEnv) -> None:
    """They end with os._exit (cli.py `_end_process`): what they printed must all arrive."""
    import subprocess

    store = memory_env.store()
    try:
        for number in range(300):
            store.add(category="feedback", title=f"Latency rule {number}", description="d" * 200, body="b", agent="claude")  # fmt: skip
    finally:
        store.close()
    search = subprocess.run(
        _rulesync(memory_env, "memory", "search", "--json", "--limit", "1000", "latency"),
        capture_output=True, cwd=memory_env.project, env=memory_env.environ, check=False,
        timeout=120,
    )  # fmt: skip
    assert (search.returncode, search.stderr) == (0, b"")
    assert len(json.loads(search.stdout)) == 300  # about 100 KB: many buffer flushes
    brief = subprocess.run(
        _rulesync(memory_env, "-C", str(memory_env.project), "memory", "brief", "--for", "claude", "--hook"),
        capture_output=True, cwd=memory_env.project, env=memory_env.environ, check=False,
        timeout=120,
    )  # fmt: skip
    assert (brief.returncode, brief.stderr) == (0, b"")
    context = json.loads(brief.stdout)["hookSpecificOutput"]["additionalContext"]
    assert context.startswith("# Shared memory (300 entries;")
    assert context.endswith("files you write there are indexed.\n")


def test_a_search_piped_into_a_reader_that_stops_early_exits_0(memory_env: MemoryEnv) -> None:
    import subprocess

    store = memory_env.store()
    try:
        for number in range(200):
            store.add(category="project", title=f"Pipe entry {number}", description="d" * 250, body="b", agent="claude")  # fmt: skip
    finally:
        store.close()
    process = subprocess.Popen(
        _rulesync(memory_env, "memory", "search", "--limit", "1000", "pipe"),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=memory_env.project,
        env=memory_env.environ,
    )  # fmt: skip
    assert process.stdout is not None and process.stderr is not None
    assert process.stdout.readline().startswith(b"pipe-entry-")
    process.stdout.close()  # like `| head -1`
    assert process.wait(timeout=120) == 0
    assert b"Traceback" not in process.stderr.read()
    process.stderr.close()
