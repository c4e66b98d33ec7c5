"""Against the real CLIs from npm, when installed (/tmp/npmcli/node_modules/.bin or PATH).

Without credentials each must end in the right class within its timeout, never in a hang.
HOME points at an empty folder, so no login of the machine's user is used.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

NPM_BIN = Path("/tmp/npmcli/node_modules/.bin")


def real_cli(name: str) -> str:
    candidate = NPM_BIN / name
    found = str(candidate) if candidate.exists() else shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is not installed")
    return found


@pytest.fixture
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty HOME, no vendor keys, a private run log, and a folder no CLI has seen."""
    home = tmp_path / "home"
    home.mkdir()
    for name in list(os.environ):
        if name.endswith(("_API_KEY", "_TOKEN")) or name.startswith(
            ("GEMINI_", "GOOGLE_", "CODEX_", "CLAUDE_")
        ):
            monkeypatch.delenv(name)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("RULESYNC_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("PATH", f"{NPM_BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    return workspace


def dispatch(run_cli, workspace: Path, target: str, *args: str):
    """A small real project: its rules are mirrored, then the real CLI runs in it."""
    config = f"dispatch:\n  kill_grace: 0.5\n  {target}:\n    command: [{real_cli(target)}]\n"
    (workspace / "rulesync.yaml").write_text(config)
    rules = workspace / ".rulesync" / "rules"
    rules.mkdir(parents=True, exist_ok=True)
    (rules / "main.md").write_text("---\nroot: true\n---\n# Rules\n\nBe brief.\n")
    return run_cli("-C", workspace, "dispatch", "--to", target, "--json", *args, "Say hello")


def test_claude_without_login_is_auth(isolated: Path, run_cli) -> None:
    result = dispatch(run_cli, isolated, "claude", "--timeout", "60")
    assert result.exit_code == 77, result.stderr


def test_gemini_without_auth_is_auth(isolated: Path, run_cli) -> None:
    result = dispatch(run_cli, isolated, "gemini", "--timeout", "60")
    assert result.exit_code == 77, result.stderr


def test_gemini_with_a_key_in_an_untrusted_folder_is_untrusted(
    isolated: Path, run_cli, monkeypatch
) -> None:
    monkeypatch.setenv("GEMINI_API_KEY", "not-a-real-key-0123456789")
    result = dispatch(run_cli, isolated, "gemini", "--timeout", "60")
    assert result.exit_code == 78, result.stderr
    assert "not-a-real-key-0123456789" not in result.stdout + result.stderr.splitlines()[-1]


def test_codex_outside_a_git_repo_is_untrusted(isolated: Path, run_cli) -> None:
    result = dispatch(run_cli, isolated, "codex", "--timeout", "30")
    assert result.exit_code == 78, result.stderr


def test_codex_with_no_network_is_always_a_timeout(isolated: Path, run_cli) -> None:
    result = dispatch(run_cli, isolated, "codex", "--trust", "--timeout", "2")
    assert result.exit_code == 124, result.stderr
