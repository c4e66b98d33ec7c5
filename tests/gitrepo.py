"""Git helpers for tests that run real git and pre-commit in throwaway repositories."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "test",
    "GIT_AUTHOR_EMAIL": "test@example.com",
    "GIT_COMMITTER_NAME": "test",
    "GIT_COMMITTER_EMAIL": "test@example.com",
}


def clean_env() -> dict[str, str]:
    """No GitHub Actions format, no outer git or pre-commit state leaking into the run."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("GIT_", "PRE_COMMIT", "GITHUB_"))
    }
    return {**env, **GIT_IDENTITY}


def git(*args: str, cwd: Path) -> str:
    done = subprocess.run(
        ["git", *args], cwd=cwd, env=clean_env(), capture_output=True, text=True, check=True
    )
    return done.stdout


def snapshot_of_this_work_tree(into: Path) -> Path:
    """This work tree (tracked and untracked files, minus ignored ones) as one commit.

    try-repo on the work tree itself would see only committed and staged changes; a snapshot
    works the same on a clean CI clone and on a work tree with new files.
    """
    listed = git("ls-files", "-z", "--cached", "--others", "--exclude-standard", cwd=REPO)
    for name in filter(None, listed.split("\0")):
        source = REPO / name
        if source.is_file() or source.is_symlink():
            (into / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, into / name, follow_symlinks=False)
    git("init", "-q", cwd=into)
    git("add", "-A", cwd=into)
    git("-c", "commit.gpgsign=false", "commit", "-q", "-m", "snapshot", cwd=into)
    return into


def can_snapshot() -> bool:
    return shutil.which("git") is not None and (REPO / ".git").exists()
