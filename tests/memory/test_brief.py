"""`rulesync memory brief`: content, bounds, JSON, the hook form and freshness."""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable

from rulesync.memory import brief
from rulesync.memory.index import SCHEMA_VERSION
from tests.conftest import Result
from tests.memory.conftest import MemoryEnv

Run = Callable[..., Result]


def _add(env: MemoryEnv, category: str, title: str, description: str) -> None:
    store = env.store()
    try:
        store.add(category=category, title=title, description=description, body="", agent="t")
    finally:
        store.close()


def test_brief_lists_feedback_then_project_and_counts_the_rest(
    run_cli: Run, memory_env: MemoryEnv
) -> None:
    _add(memory_env, "feedback", "Umlaute nie umschreiben", "Größe, nie Groesse")
    _add(memory_env, "project", "Release 2.0 frozen", "Only fixes on release-2")
    _add(memory_env, "reference", "Vault for the DB password", "Ask ops; never store it")
    _add(memory_env, "user", "Ann likes short answers", "Keep replies brief")
    done = run_cli("-C", memory_env.project, "memory", "brief", "--for", "gemini")
    assert done.exit_code == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "# Shared memory (4 entries; rulesync memory, for gemini)"
    feedback = lines.index("## Feedback: corrections to follow")
    project = lines.index("## Project: where things stand")
    assert lines[feedback + 1] == (
        "- Umlaute nie umschreiben — Größe, nie Groesse (`umlaute-nie-umschreiben`)"
    )
    assert lines[project + 1].startswith("- Release 2.0 frozen — Only fixes on release-2")
    assert feedback < project
    assert "Vault" not in done.stdout and "Ann likes" not in done.stdout  # pointers only
    assert "All entries: 1 feedback, 1 project, 1 reference, 1 user." in done.stdout
    assert "`rulesync memory search WORDS`" in done.stdout
    assert "--agent gemini" in done.stdout


def test_brief_is_bounded_in_lines_and_bytes(run_cli: Run, memory_env: MemoryEnv) -> None:
    store = memory_env.store()
    try:
        for number in range(60):
            store.add(
                category=("feedback", "project")[number % 2],
                title=f"Rule {number} " + "ä" * 100,
                description="x" * 290,
                body="",
                agent="t",
            )
    finally:
        store.close()
    done = run_cli("-C", memory_env.project, "memory", "brief", "--for", "codex", "--json")
    data = json.loads(done.stdout)
    text = data["text"]
    assert len(text.splitlines()) <= brief.MAX_LINES
    assert len(text.encode()) <= brief.MAX_BYTES
    assert all(len(line) <= brief.MAX_LINE for line in text.splitlines())
    assert data["counts"] == {"feedback": 30, "project": 30}
    assert 0 < len(data["feedback"]) < 30
    assert "All entries: 30 feedback, 30 project, 0 reference, 0 user." in text


def test_empty_memory_and_the_hook_json(run_cli: Run, memory_env: MemoryEnv) -> None:
    done = run_cli("-C", memory_env.project, "memory", "brief", "--for", "claude", "--hook")
    assert done.exit_code == 0
    output = json.loads(done.stdout)
    context = output["hookSpecificOutput"]["additionalContext"]
    assert output["hookSpecificOutput"]["hookEventName"] == "SessionStart"
    assert context.startswith("# Shared memory (0 entries;")
    assert "No entries yet." in context


def test_click_and_quick_paths_print_the_same(
    run_cli: Run, memory_env: MemoryEnv, monkeypatch: object
) -> None:
    _add(memory_env, "feedback", "Use uv", "Never pip")
    quick = run_cli("-C", memory_env.project, "memory", "brief", "--for", "codex", "--json")
    os.environ["RULESYNC_NO_QUICK"] = "1"
    try:
        slow = run_cli("-C", memory_env.project, "memory", "brief", "--for", "codex", "--json")
    finally:
        del os.environ["RULESYNC_NO_QUICK"]
    assert (quick.exit_code, slow.exit_code) == (0, 0)
    assert quick.stdout == slow.stdout


def test_a_file_added_by_hand_shows_at_once(run_cli: Run, memory_env: MemoryEnv) -> None:
    _add(memory_env, "feedback", "First rule", "one")
    first = run_cli("-C", memory_env.project, "memory", "brief", "--for", "codex")
    assert "First rule" in first.stdout
    folder = memory_env.store().layout.project_dir
    (folder / "by-hand.md").write_text(
        "---\nname: by-hand\ndescription: written by Claude\ntype: feedback\n---\n\nbody\n"
    )
    second = run_cli("-C", memory_env.project, "memory", "brief", "--for", "codex")
    assert "- by-hand — written by Claude (`by-hand`)" in second.stdout
    (folder / "by-hand.md").unlink()
    third = run_cli("-C", memory_env.project, "memory", "brief", "--for", "codex")
    assert "by-hand" not in third.stdout


def test_a_damaged_index_is_rebuilt_with_a_note(run_cli: Run, memory_env: MemoryEnv) -> None:
    _add(memory_env, "project", "Status", "green")
    path = memory_env.store().layout.index_path
    run_cli("-C", memory_env.project, "memory", "brief", "--for", "codex")
    for suffix in ("-wal", "-shm"):
        (path.parent / (path.name + suffix)).unlink(missing_ok=True)
    path.write_bytes(b"not a database" * 100)
    done = run_cli("-C", memory_env.project, "memory", "brief", "--for", "codex")
    assert done.exit_code == 0
    assert "- Status — green" in done.stdout
    assert "the memory index was damaged" in done.stderr


def test_compose_keeps_the_footer_when_entries_overflow() -> None:
    day = dt.date(2026, 1, 1).isoformat()
    rows = [
        brief.BriefRow("project", f"r{n}", "feedback", "T" * 150, "D" * 150, day, day, day, "t")
        for n in range(15)
    ]
    composed = brief.compose("claude", {"feedback": 15}, rows, [])
    assert (
        composed.lines[-1]
        == "Your MEMORY.md is this same store; files you write there are indexed."
    )
    assert len(composed.text.encode()) <= brief.MAX_BYTES
    assert composed.lines[2] == "## Feedback: corrections to follow"


def test_the_brief_reads_the_current_index_schema() -> None:
    assert brief.INDEX_SCHEMA == SCHEMA_VERSION
