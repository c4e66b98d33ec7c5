"""The installed wheel (not the checkout) finds its templates and mirrors the sample project."""

from __future__ import annotations

import subprocess
import sys
import venv
from pathlib import Path

import pytest
from sample import copy_sample

REPO = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_wheel_installs_into_a_fresh_venv_and_mirrors_the_sample(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(REPO)],
        check=True,
        capture_output=True,
    )
    wheel = next(dist.glob("*.whl"))
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [python, "-m", "pip", "install", "-q", str(wheel)], check=True, capture_output=True
    )

    project = tmp_path / "sample"
    copy_sample(project)
    rulesync = env_dir / "bin" / "rulesync"
    # Run from a folder outside the checkout, so nothing can be imported from it.
    result = subprocess.run(
        [rulesync, "-C", project, "mirror"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "create          CLAUDE.md" in result.stdout
    assert (project / ".gemini/commands/plan.toml").is_file()

    located = subprocess.run(
        [python, "-c", "import rulesync.render.templates as r; print(r.templates_dir())"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert located.startswith(str(env_dir)), located
    assert located.endswith("rulesync/templates")

    # The agents' hooks run `rulesync-hook`: installed beside `rulesync`, on this interpreter.
    launcher = env_dir / "bin" / "rulesync-hook"
    assert launcher.read_bytes().startswith(f"#!{python}".encode())
    versions = [
        subprocess.run([command, "--version"], capture_output=True, text=True, check=True).stdout
        for command in (rulesync, launcher)
    ]
    assert versions[0] == versions[1] != ""
    lint_hook = subprocess.run(
        [launcher, "-C", project, "lint", "--hook", "claude"],
        input='{"tool_name": "Write", "tool_input": {"file_path": "a.md", "content": "GitHub"}}',
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert lint_hook.returncode == 0, lint_hook.stderr
