"""`rulesync-hook`, the launcher the agents' settings name: declared in the wheel, lean at start."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from rulesync.memory import settings as memory_settings
from rulesync.render import hook_settings

REPO = Path(__file__).resolve().parent.parent
LAUNCHER = REPO / "scripts" / "rulesync-hook"


def _commands() -> list[str]:
    return [
        hook_settings.CLAUDE_HOOK_COMMAND,
        hook_settings.GEMINI_HOOK_COMMAND,
        hook_settings.CLAUDE_STATUS_LINE_COMMAND,
        memory_settings.CLAUDE_BRIEF,
        memory_settings.CLAUDE_INDEX,
        memory_settings.GEMINI_BRIEF,
        memory_settings.GEMINI_INDEX,
    ]


def test_every_settings_command_runs_the_launcher_the_wheel_installs() -> None:
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert '"scripts/rulesync-hook" = "rulesync-hook"' in pyproject
    assert '"scripts"' in pyproject.split("[tool.hatch.build.targets.sdist]")[1]
    for command in _commands():
        assert command.split()[0] == "rulesync-hook", command


def test_the_launcher_is_a_python_script_that_runs_the_cli() -> None:
    first, *rest = LAUNCHER.read_text(encoding="utf-8").splitlines()
    assert first == "#!/usr/bin/env python3"  # the wheel's installer points it at its python
    assert "from rulesync.cli import main" in rest
    assert LAUNCHER.stat().st_mode & 0o111


def _imported(*args: str, stdin: str) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-X", "importtime", str(LAUNCHER), *args],
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return imported_modules(done.stderr)


def imported_modules(importtime_stderr: str) -> set[str]:
    """The modules a `python -X importtime` run imported, from its stderr."""
    lines = [line for line in importtime_stderr.splitlines() if line.startswith("import time:")]
    return {line.rsplit("|", 1)[1].strip() for line in lines}


def test_the_memory_hook_through_the_launcher_imports_neither_re_nor_functools(
    tmp_path: Path,
) -> None:
    payload = {"tool_name": "Write", "tool_input": {"file_path": str(tmp_path / "a.py")}}
    imported = _imported("-C", str(tmp_path), "memory", "hook", stdin=json.dumps(payload))
    assert "rulesync.memory.hook" in imported
    assert not {"re", "functools", "contextlib", "click", "pathlib"} & imported
