"""Optional: the real Codex CLI joins the root and the package AGENTS.md that mirror wrote.

`codex debug prompt-input` prints what Codex would send, without logging in. Skipped when
`codex` is not on PATH; always run with a timeout (Codex retries forever without network).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parent.parent / "docs/examples/monorepo"
CODEX = shutil.which("codex")

pytestmark = pytest.mark.skipif(CODEX is None, reason="codex is not installed")


def prompt_input(folder: Path, home: Path) -> str:
    assert CODEX is not None
    env = {**os.environ, "HOME": str(home), "CODEX_HOME": str(home / ".codex")}
    (home / ".codex").mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        [CODEX, "debug", "prompt-input", "hi"],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_codex_reads_the_package_file_only_inside_the_package(tmp_path: Path, run_cli) -> None:
    root = tmp_path / "shop"
    shutil.copytree(EXAMPLE, root)
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    assert run_cli("-C", root, "mirror").exit_code == 0
    inside = prompt_input(root / "packages/api", tmp_path / "home")
    assert "Names say what a thing is." in inside  # the root AGENTS.md
    assert "Validate every request body" in inside  # packages/api/AGENTS.md
    at_root = prompt_input(root, tmp_path / "home")
    assert "Names say what a thing is." in at_root
    assert "Validate every request body" not in at_root
