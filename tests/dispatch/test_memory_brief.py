"""Dispatch puts the shared memory's brief before the prompt, when the project has memory."""

from __future__ import annotations

from pathlib import Path
from typing import Any

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


def test_the_brief_is_read_once_the_vendor_has_started(
    fakes, fake_api, project: Path, memory_home: Path, run_cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """sqlite3 and the index are read while the vendor starts, not before its exec; the
    vendor still gets the brief first on its stdin."""
    from rulesync.dispatch import runner
    from rulesync.memory import brief

    _remember(project)
    events: list[str] = []
    start, for_dispatch = runner._start, brief.for_dispatch

    def started(*args: Any, **kwargs: Any) -> Any:
        events.append("start")
        return start(*args, **kwargs)

    def read(root: Path, agent: str) -> str | None:
        events.append(f"brief {agent}")
        return for_dispatch(root, agent)

    monkeypatch.setattr(runner, "_start", started)
    monkeypatch.setattr(brief, "for_dispatch", read)
    result = run_cli("-C", project, "dispatch", "--to", "claude", "hi")
    assert result.exit_code == 0, result.stderr
    assert events == ["start", "brief claude"]
    stdin = fakes.call("claude")["stdin"]
    assert stdin.startswith("# Shared memory (1 entries; rulesync memory, for claude)\n")
    assert stdin.endswith("\n---\n\nhi")


def test_a_brief_that_fails_is_a_note_and_the_prompt_goes_alone(
    fakes, fake_api, project: Path, memory_home: Path, run_cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rulesync.memory import brief

    def broken(root: Path, agent: str) -> str | None:
        raise OSError(f"index unreadable for {agent}")

    monkeypatch.setattr(brief, "for_dispatch", broken)
    result = run_cli("-C", project, "dispatch", "--to", "gemini", "hi")
    assert result.exit_code == 0, result.stderr
    assert "rulesync: no memory brief for gemini: index unreadable for gemini\n" in result.stderr
    assert fakes.call("gemini")["stdin"] == "hi"


def test_ctrl_c_while_the_brief_is_read_ends_the_started_vendor(
    fakes, fake_api, project: Path, memory_home: Path, run_cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The vendor has started by then: it is ended like on any Ctrl-C, exit 130."""
    from rulesync.memory import brief

    def interrupted(root: Path, agent: str) -> str | None:
        raise KeyboardInterrupt

    monkeypatch.setattr(brief, "for_dispatch", interrupted)
    result = run_cli("-C", project, "dispatch", "--to", "claude", "hi")
    assert result.exit_code == 130, result.stderr
    assert "rulesync: interrupted: " in result.stderr
