"""The `identity-lint` pre-commit hook, run for real with `pre-commit try-repo`.

try-repo clones the hooks' repository and installs it into a fresh environment, so these
tests take seconds and need the package index: they are marked slow. The repository under
test is a snapshot of this work tree (tracked and untracked files, minus ignored ones)
committed into a temporary repo: try-repo on the work tree itself would see only committed
and staged changes, and miss new files.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from gitrepo import REPO
from gitrepo import clean_env as _env
from gitrepo import git as _git

CONFIG = "lint:\n  identity:\n    names: [GitHub, Müller GmbH]\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "customer-docs"
    files = {
        "rulesync.yaml": CONFIG,
        "offer.md": "# Angebot\n\nFür die Mueller GmbH, gehostet auf Github.\n",
        "clean.md": "Für die Müller GmbH, gehostet auf GitHub.\n",
        "notes.txt": "GitHub and github.com.\n",
        "code.py": "print('Github')\n",
    }
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    _git("init", "-q", cwd=root)
    _git("add", "-A", cwd=root)
    return root


def _try_repo(
    hooks_repo: Path, project: Path, hook: str, *files: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(hooks_repo), hook, "--files", *files],
        cwd=project,
        env=_env(),
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.slow
def test_identity_lint_hook_fails_on_a_misspelt_name(hooks_repo: Path, project: Path) -> None:
    pytest.importorskip("pre_commit")
    done = _try_repo(hooks_repo, project, "identity-lint", "offer.md", "clean.md", "code.py")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "identity lint" in done.stdout
    assert "Failed" in done.stdout
    assert (
        'offer.md:3:9: identity: write "Müller GmbH", not "Mueller GmbH": umlaut or ß written out'
        " (Müller GmbH)"
    ) in done.stdout
    assert (
        'offer.md:3:36: identity: write "GitHub", not "Github": wrong case (GitHub)' in done.stdout
    )
    assert "code.py" not in done.stdout  # types_or: markdown and plain text only


@pytest.mark.slow
def test_identity_lint_hook_passes_clean_files(hooks_repo: Path, project: Path) -> None:
    pytest.importorskip("pre_commit")
    done = _try_repo(hooks_repo, project, "identity-lint", "clean.md", "notes.txt", "code.py")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Passed" in done.stdout


def test_manifest_declares_both_lint_hooks() -> None:
    pytest.importorskip("pre_commit")
    from pre_commit.clientlib import load_manifest

    hooks = {hook["id"]: hook for hook in load_manifest(str(REPO / ".pre-commit-hooks.yaml"))}
    for hook_id, rule in (("identity-lint", "identity"), ("umlaut-lint", "umlaut")):
        hook = hooks[hook_id]
        assert hook["entry"] == f"rulesync lint --only {rule}"
        assert hook["language"] == "python"
        assert hook["types_or"] == ["markdown", "plain-text"]
        assert hook["require_serial"] is False
        assert hook["pass_filenames"] is True
