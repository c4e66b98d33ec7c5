"""Claude's `autoMemoryDirectory`: read as Claude Code 2.1.197 reads it, from the env override,
the managed settings and the user settings; never from a file inside the project."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from rulesync.memory import claude_dir
from rulesync.memory.hook import main as hook_main
from rulesync.memory.layout import resolve
from tests.memory.conftest import MemoryEnv

ENTRY = "---\nname: {name}\ndescription: d\ntype: feedback\n---\n\nbody\n"


@pytest.fixture(autouse=True)
def no_managed_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "etc" / "managed-settings.json"
    monkeypatch.setattr(claude_dir, "MANAGED_SETTINGS", str(path))
    return path


def _user_settings(env: MemoryEnv, value: object) -> None:
    path = Path(env.environ["CLAUDE_CONFIG_DIR"]) / "settings.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"model": "opus", "autoMemoryDirectory": value}))


def _project_dir(env: MemoryEnv, **extra: str) -> Path:
    return resolve(env.project, {**env.environ, **extra}, claude=True).project_dir


def _default(env: MemoryEnv) -> Path:
    return Path(env.environ["CLAUDE_CONFIG_DIR"]) / "projects"


def test_the_user_setting_moves_the_project_memory(memory_env: MemoryEnv) -> None:
    _user_settings(memory_env, "~/notes/claude-memory/")
    assert _project_dir(memory_env) == memory_env.home / "notes" / "claude-memory"
    # without Claude as a target the setting does not apply
    layout = resolve(memory_env.project, memory_env.environ, claude=False)
    assert "claude-memory" not in str(layout.project_dir)


def test_managed_settings_win_and_the_variable_wins_over_both(
    memory_env: MemoryEnv, no_managed_settings: Path, tmp_path: Path
) -> None:
    _user_settings(memory_env, str(tmp_path / "user-choice"))
    no_managed_settings.parent.mkdir(parents=True)
    no_managed_settings.write_text(json.dumps({"autoMemoryDirectory": str(tmp_path / "policy")}))
    assert _project_dir(memory_env) == tmp_path / "policy"
    override = {claude_dir.ENV_OVERRIDE: str(tmp_path / "cowork")}
    assert _project_dir(memory_env, **override) == tmp_path / "cowork"


def test_a_setting_inside_the_project_is_not_followed(memory_env: MemoryEnv) -> None:
    settings = memory_env.project / ".claude"
    settings.mkdir()
    for name in ("settings.json", "settings.local.json"):
        (settings / name).write_text(json.dumps({"autoMemoryDirectory": "/tmp/elsewhere"}))
    assert _project_dir(memory_env).is_relative_to(_default(memory_env))


@pytest.mark.parametrize(
    "value",
    ["~/../escape", "~/", "relative/path", "//server/share", "/a", "", 42, None, "~"],
)
def test_values_claude_ignores_are_ignored(memory_env: MemoryEnv, value: object) -> None:
    _user_settings(memory_env, value)
    assert _project_dir(memory_env).is_relative_to(_default(memory_env))


def test_the_variable_gets_no_home_expansion(memory_env: MemoryEnv) -> None:
    assert _project_dir(memory_env, **{claude_dir.ENV_OVERRIDE: "~/x"}).is_relative_to(
        _default(memory_env)
    )


@pytest.mark.parametrize("content", [b"{not json autoMemoryDirectory", b'["autoMemoryDirectory"]'])
def test_damaged_settings_are_ignored(memory_env: MemoryEnv, content: bytes) -> None:
    path = Path(memory_env.environ["CLAUDE_CONFIG_DIR"]) / "settings.json"
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    assert _project_dir(memory_env).is_relative_to(_default(memory_env))


def test_the_hook_indexes_a_file_claude_wrote_in_the_custom_folder(
    memory_env: MemoryEnv,
) -> None:
    _user_settings(memory_env, "~/notes/agent-notes")
    folder = memory_env.home / "notes" / "agent-notes"
    folder.mkdir(parents=True)
    path = folder / "keep-it-short.md"
    path.write_text(ENTRY.format(name="keep-it-short"))
    payload = {"tool_name": "Write", "tool_input": {"file_path": str(path)}}
    assert hook_main(io.BytesIO(json.dumps(payload).encode()), memory_env.project) == 0
    store = memory_env.store()
    try:
        assert [row.id for row in store.index.rows()] == ["keep-it-short"]
        assert "keep-it-short.md" in (folder / "MEMORY.md").read_text()
    finally:
        store.close()
