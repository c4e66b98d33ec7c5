from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from rulesync import __version__


def test_version_fast_path(run_cli) -> None:
    result = run_cli("--version")
    assert result.exit_code == 0
    assert result.stdout == f"rulesync {__version__}\n"


def test_version_as_a_script() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "rulesync", "--version"], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0
    assert proc.stdout.strip() == f"rulesync {__version__}"


def test_help_lists_every_command(run_cli) -> None:
    result = run_cli("--help")
    assert result.exit_code == 0
    for name in ("mirror", "check", "lint", "dispatch"):
        assert name in result.stdout
    assert "Exit codes" in result.stdout


def test_unknown_command_is_a_usage_error(run_cli) -> None:
    result = run_cli("frobnicate")
    assert result.exit_code == 2
    assert "No such command 'frobnicate'" in result.stderr


def test_dash_c_must_be_a_directory(run_cli, tmp_path: Path) -> None:
    result = run_cli("-C", tmp_path / "missing", "mirror")
    assert result.exit_code == 2
    assert "missing" in result.stderr


def test_works_on_the_current_directory_without_dash_c(build_tree, run_cli, monkeypatch) -> None:
    root = build_tree({"rulesync.yaml": "targets: [claude]\n", ".rulesync/rules/a.md": "# A\n"})
    monkeypatch.chdir(root)
    result = run_cli("mirror")
    assert result.exit_code == 0
    assert (root / "CLAUDE.md").is_file()


def test_no_colour_when_not_a_tty(build_tree, run_cli) -> None:
    root = build_tree(
        {
            "rulesync.yaml": "targets: [claude]\n",
            ".rulesync/rules/a.md": "# A\n",
            "CLAUDE.md": "mine\n",
        }
    )
    result = run_cli("-C", root, "mirror")
    assert result.exit_code == 1
    assert "conflict" in result.stdout
    assert "\x1b[" not in result.stdout + result.stderr


def test_interrupt_exits_130(run_cli, monkeypatch) -> None:
    import rulesync.sync.plan

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(rulesync.sync.plan, "make_plan", interrupted)
    result = run_cli("mirror")
    assert result.exit_code == 130
    assert "interrupted" in result.stderr


def test_usage_error_exits_2(run_cli) -> None:
    result = run_cli("mirror", "--no-such-flag")
    assert result.exit_code == 2
    assert "Error: No such option '--no-such-flag'." in result.stderr
