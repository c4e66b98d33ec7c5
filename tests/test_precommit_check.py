"""The real `pre-commit try-repo` with this repository's hooks, in a throwaway git repo.

try-repo installs the hooks' repository into a fresh environment on every call (it keeps its
store in a temporary directory, so PRE_COMMIT_HOME does not help), which costs seconds and needs
the package index: these tests are marked slow.

The repository under test is a snapshot of this work tree (tracked and untracked files, minus
ignored ones), committed into a temporary repo. That works the same on a clean CI clone and on
a work tree with uncommitted changes, where try-repo alone would miss new, unstaged files.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from gitrepo import clean_env, git

pytestmark = pytest.mark.slow
pytest.importorskip("pre_commit")

PROJECT = {
    "rulesync.yaml": "targets: [claude]\n",
    ".rulesync/rules/main.md": "---\nroot: true\n---\n# Main\n\nBe brief.\n",
    ".rulesync/commands/fix.md": "---\ndescription: Fix it\n---\nFix $ARGUMENTS now.\n",
}


@pytest.fixture
def project(tmp_path: Path, run_cli) -> Iterator[Path]:
    """A committed project whose outputs are mirrored and in sync."""
    root = tmp_path / "project"
    for name, text in PROJECT.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    git("init", "-q", cwd=root)
    assert run_cli("-C", root, "mirror").exit_code == 0
    commit_all(root)
    yield root


def commit_all(root: Path) -> None:
    git("add", "-A", cwd=root)
    git("-c", "commit.gpgsign=false", "commit", "-q", "-m", "change", cwd=root)


def try_repo(hooks_repo: Path, hook: str, project: Path) -> subprocess.CompletedProcess[str]:
    """`pre-commit try-repo` as a commit would run it: on what is staged."""
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(hooks_repo), hook, "--color=never"],
        cwd=project,
        env=clean_env(),
        capture_output=True,
        text=True,
        check=False,
    )


def hand_edit(project: Path) -> None:
    claude = project / "CLAUDE.md"
    claude.write_text(claude.read_text().replace("Be brief.", "Be brief, please."))
    git("add", "-A", cwd=project)


def test_check_hook_passes_when_clean_and_fails_on_a_hand_edit(hooks_repo, project) -> None:
    clean = try_repo(hooks_repo, "rulesync-check", project)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "rulesync check" in clean.stdout and "Passed" in clean.stdout

    hand_edit(project)
    drifted = try_repo(hooks_repo, "rulesync-check", project)
    assert drifted.returncode == 1, drifted.stdout + drifted.stderr
    assert "- hook id: rulesync-check\n- exit code: 1\n" in drifted.stdout
    assert (
        "hand-edited  CLAUDE.md  (edited by hand since rulesync wrote it; "
        "the edit belongs in .rulesync/rules/main.md)\n"
    ) in drifted.stdout
    assert "-Be brief, please.\n+Be brief.\n" in drifted.stdout
    assert "check: 1 of 2 files drifted (1 hand-edited).\n" in drifted.stdout
    assert "Be brief, please." in (project / "CLAUDE.md").read_text()  # check wrote nothing


def test_mirror_hook_fixes_like_a_formatter_and_stops_at_hand_edits(
    hooks_repo, project, run_cli
) -> None:
    (project / ".rulesync/commands/fix.md").write_text("---\ndescription: Fix it well\n---\nFix.\n")
    git("add", "-A", cwd=project)
    fixed = try_repo(hooks_repo, "rulesync-mirror", project)
    assert fixed.returncode == 1, fixed.stdout + fixed.stderr
    assert "- files were modified by this hook" in fixed.stdout
    assert "update          .claude/commands/fix.md\n" in fixed.stdout
    assert run_cli("-C", project, "check").exit_code == 0

    git("add", "-A", cwd=project)
    again = try_repo(hooks_repo, "rulesync-mirror", project)
    assert again.returncode == 0, again.stdout + again.stderr
    assert "Passed" in again.stdout

    hand_edit(project)
    before = (project / "CLAUDE.md").read_bytes()
    stopped = try_repo(hooks_repo, "rulesync-mirror", project)
    assert stopped.returncode == 1, stopped.stdout + stopped.stderr
    assert "conflict        CLAUDE.md  (edited by hand since rulesync wrote it)\n" in stopped.stdout
    assert (project / "CLAUDE.md").read_bytes() == before
