"""Dispatch puts the shared memory's brief before the prompt, when the project has memory."""

from __future__ import annotations

from pathlib import Path

import pytest

from rulesync.memory.layout import resolve
from rulesync.memory.store import Store


@pytest.fixture
def memory_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    for name, value in {
        "HOME": home,
        "XDG_DATA_HOME": home / "data",
        "XDG_CACHE_HOME": home / "cache",
        "CLAUDE_CONFIG_DIR": home / "claude",
        "RULESYNC_MEMORY_HOME": home / "memory",
        "RULESYNC_MEMORY_INDEX_DIR": home / "index",
    }.items():
        monkeypatch.setenv(name, str(value))
    return home


def _remember(project: Path) -> None:
    import os

    store = Store(resolve(project, dict(os.environ), claude=True))
    try:
        store.add(
            category="feedback", title="Umlaute nie umschreiben", description="Größe, nie Groesse",
            body="", agent="claude",
        )  # fmt: skip
    finally:
        store.close()


def test_the_brief_comes_first_then_the_prompt(
    fakes, fake_api, project: Path, memory_home: Path, run_cli
) -> None:
    _remember(project)
    result = run_cli("-C", project, "dispatch", "--to", "claude", "hi")
    assert result.exit_code == 0, result.stderr
    stdin = fakes.call("claude")["stdin"]
    assert stdin.startswith("# Shared memory (1 entries; rulesync memory, for claude)\n")
    assert "- Umlaute nie umschreiben — Größe, nie Groesse" in stdin
    assert stdin.endswith("\n---\n\nhi")
    assert len(stdin.encode()) <= 4096 + len("\n---\n\nhi")


def test_no_brief_flag_and_a_project_without_memory(
    fakes, fake_api, project: Path, memory_home: Path, run_cli
) -> None:
    assert run_cli("-C", project, "dispatch", "--to", "claude", "hi").exit_code == 0
    assert fakes.call("claude")["stdin"] == "hi"  # no memory folder: nothing added
    assert not (memory_home / "index").exists()
    _remember(project)
    assert run_cli("-C", project, "dispatch", "--no-brief", "--to", "claude", "hi").exit_code == 0
    assert fakes.call("claude")["stdin"] == "hi"
