"""Where the personal folder, the lock and each agent's folder are, per platform and variable."""

from __future__ import annotations

from pathlib import Path

import pytest

from rulesync.errors import ConfigError
from rulesync.personal import locations
from rulesync.personal.locations import find_locations


def test_xdg_defaults(tmp_path: Path) -> None:
    found = find_locations({"HOME": str(tmp_path)})
    home = tmp_path.resolve()
    assert found.config_dir == home / ".config/rulesync"
    assert found.lock_file == home / ".local/state/rulesync/global.lock"
    assert dict(found.agent_dirs) == {
        "claude": ".claude",
        "gemini": ".gemini",
        "codex": ".codex",
        "agents": ".agents",
    }
    assert found.shown(found.config_dir) == "~/.config/rulesync"


def test_xdg_variables_win_and_relative_ones_are_ignored(tmp_path: Path) -> None:
    env = {"HOME": str(tmp_path), "XDG_CONFIG_HOME": "/cfg", "XDG_STATE_HOME": "relative"}
    found = find_locations(env)
    assert found.config_dir == Path("/cfg/rulesync")
    assert found.state_dir == tmp_path.resolve() / ".local/state/rulesync"  # per the XDG spec


def test_platformdirs_elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import platformdirs

    monkeypatch.setattr(locations.sys, "platform", "darwin")
    found = find_locations({"HOME": str(tmp_path)})
    assert found.config_dir == Path(platformdirs.user_config_dir("rulesync", appauthor=False))
    assert found.state_dir == Path(platformdirs.user_state_dir("rulesync", appauthor=False))


def test_agent_variables(tmp_path: Path) -> None:
    env = {
        "HOME": str(tmp_path),
        "CLAUDE_CONFIG_DIR": str(tmp_path / "c"),
        "GEMINI_CLI_HOME": str(tmp_path / "g"),
        "CODEX_HOME": "~/x/codex",
    }
    found = find_locations(env)
    assert found.agent_dirs["claude"] == "c"
    assert found.agent_dirs["gemini"] == "g/.gemini"
    assert found.agent_dirs["codex"] == "x/codex"
    assert found.agent_dirs["agents"] == ".agents"


@pytest.mark.parametrize("value", ["/", "{home}", "{home}/../elsewhere"])
def test_an_agent_folder_outside_or_at_home_is_refused(tmp_path: Path, value: str) -> None:
    with pytest.raises(ConfigError) as error:
        find_locations({"HOME": str(tmp_path), "CODEX_HOME": value.format(home=tmp_path)})
    assert "CODEX_HOME" in str(error.value)


def test_a_home_that_is_no_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="HOME"):
        find_locations({"HOME": str(tmp_path / "missing")})
