"""The hooks `rulesync init` writes, run for real by pre-commit in a throwaway git repo.

They are `repo: local` hooks calling the installed `rulesync` (`language: system`), so nothing
is fetched: the test puts this environment's `rulesync` first on PATH, as an activated
virtualenv or a pipx install would. Marked slow: pre-commit and git run as subprocesses.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from gitrepo import REPO, clean_env, git

from rulesync.adopt.precommit import HOOKS

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("git") is None, reason="needs git"),
]
pytest.importorskip("pre_commit")

LINT = "lint:\n  umlaut:\n    lang: de\n"
IDENTITY = "  identity:\n    names: [GitHub]\n"


def rulesync_bin() -> str:
    found = Path(sys.executable).parent / "rulesync"
    if not found.exists():
        pytest.skip("the rulesync console script is not installed beside this Python")
    return str(found.parent)


@pytest.fixture
def project(tmp_path: Path, run_cli) -> Path:
    root = tmp_path / "project"
    root.mkdir()
    git("init", "-q", cwd=root)
    assert run_cli("-C", root, "init", "--targets", "claude").exit_code == 0
    config = root / "rulesync.yaml"
    config.write_text(config.read_text() + LINT)
    assert run_cli("-C", root, "mirror").exit_code == 0
    (root / "notes.md").write_text("Für die Größe, auf GitHub.\n")
    (root / "tool.py").write_text("print('fuer Github')\n")
    return root


def commit(root: Path) -> subprocess.CompletedProcess[str]:
    """`git commit` with pre-commit's hook installed: the hooks run as they would for a user."""
    env = clean_env()
    env["PATH"] = f"{rulesync_bin()}{os.pathsep}{env.get('PATH', '')}"
    env["PRE_COMMIT_HOME"] = str(root.parent / "pre-commit-home")
    subprocess.run(
        [sys.executable, "-m", "pre_commit", "install"],
        cwd=root,
        env=env,
        check=True,
        capture_output=True,
    )
    git("add", "-A", cwd=root)
    return subprocess.run(
        ["git", "-c", "commit.gpgsign=false", "commit", "-q", "-m", "change"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_init_hooks_pass_on_a_clean_project(project: Path) -> None:
    done = commit(project)
    assert done.returncode == 0, done.stdout + done.stderr
    for name in ("rulesync check", "identity lint", "umlaut lint"):
        assert name in done.stdout + done.stderr


def test_init_hooks_stop_drift_and_bad_spellings(project: Path) -> None:
    assert commit(project).returncode == 0
    (project / "CLAUDE.md").write_text("hand edit\n")
    (project / "notes.md").write_text("Fuer die Groesse.\n")
    done = commit(project)
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    assert re.search(r"^rulesync check\.+Failed$", output, re.MULTILINE), output
    assert "CLAUDE.md" in output
    assert "notes.md:1:1: umlaut" in output
    assert "tool.py" not in output  # types_or: markdown and plain text only
    assert len(git("log", "--oneline", cwd=project).splitlines()) == 1  # nothing committed


def test_identity_hook_passes_on_the_generated_context_file(project: Path, run_cli) -> None:
    config = project / "rulesync.yaml"
    config.write_text(config.read_text() + IDENTITY)
    assert run_cli("-C", project, "mirror").exit_code == 0
    done = commit(project)
    assert done.returncode == 0, done.stdout + done.stderr


def test_identity_hook_stops_a_misspelt_name(project: Path, run_cli) -> None:
    assert commit(project).returncode == 0
    config = project / "rulesync.yaml"
    config.write_text(config.read_text() + IDENTITY)
    (project / "notes.md").write_text("Auf Github.\n")
    done = commit(project)
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    assert 'notes.md:1:5: identity: write "GitHub", not "Github"' in output
    assert "tool.py" not in output  # types_or: markdown and plain text only


def test_local_hooks_match_the_published_manifest() -> None:
    """The same entries, file filters and filename passing as .pre-commit-hooks.yaml."""
    manifest = {
        hook["id"]: hook for hook in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    }
    for hook_id, local in HOOKS.items():
        published = manifest[hook_id]
        assert local["language"] == "system"
        for key in ("name", "entry", "pass_filenames", "always_run", "types_or", "require_serial"):
            assert local.get(key) == published.get(key), (hook_id, key)
