"""The real CLIs read what `mirror --global` writes, from a scratch HOME (skipped without them).

- Codex: `codex debug prompt-input` shows ~/.codex/AGENTS.md and the skills of ~/.codex/skills
  and ~/.agents/skills.
- Gemini CLI: `gemini skills list` finds the shared skill in ~/.agents/skills.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.personal.conftest import Personal

pytestmark = pytest.mark.integration

NPM_BIN = Path("/tmp/clis/node_modules/.bin")
TIMEOUT = 120
MARKER = "Zebra-marker-4711: answer tersely."


def real_cli(name: str) -> str:
    if (NPM_BIN / name).exists():
        return str(NPM_BIN / name)
    found = shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is not installed")
    return found


@pytest.fixture
def mirrored(personal: Personal, run_cli: Callable[..., Any], tmp_path: Path) -> Path:
    personal.source({"rules/me.md": f"---\nroot: true\n---\n# Standing orders\n\n{MARKER}\n"})
    assert run_cli("mirror", "--global").exit_code == 0
    work = tmp_path / "work"
    work.mkdir()
    subprocess.run(["git", "init", "-q", str(work)], check=True)
    return work


def _env(home: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.endswith(("_API_KEY", "_TOKEN"))
        and not key.startswith(("GEMINI_", "GOOGLE_", "CODEX_", "CLAUDE_"))
    }
    env.update(HOME=str(home), CODEX_HOME=str(home / ".codex"), GEMINI_CLI_TRUST_WORKSPACE="true")
    return env


def _run(args: list[str], cwd: Path, home: Path) -> str:
    done = subprocess.run(
        args, cwd=cwd, env=_env(home), capture_output=True, text=True, timeout=TIMEOUT, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return (done.stdout + done.stderr).replace("\\n", "\n")


def test_codex_reads_the_global_agents_md_and_skills(mirrored: Path, personal: Personal) -> None:
    text = _run([real_cli("codex"), "debug", "prompt-input", "hi"], mirrored, personal.home)
    assert MARKER in text
    roots = dict(re.findall(r"- `(r\d+)` = `([^`]+)`", text))
    listed = dict(re.findall(r"^- ([a-z0-9-]+): .*\(file: (r\d+)/", text, re.MULTILINE))
    assert roots[listed["review-mine"]] == str(personal.home / ".codex/skills")
    assert roots[listed["tidy"]] == str(personal.home / ".agents/skills")


def test_gemini_finds_the_shared_user_skill(mirrored: Path, personal: Personal) -> None:
    text = _run([real_cli("gemini"), "skills", "list"], mirrored, personal.home)
    assert "Skill conflict" not in text
    assert str(personal.home / ".agents/skills/tidy/SKILL.md") in text
