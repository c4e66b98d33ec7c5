"""Every memory test runs with its own home, data, cache and Claude folders under tmp_path."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import pytest

from rulesync.memory.layout import resolve
from rulesync.memory.store import Store


@dataclass(frozen=True)
class MemoryEnv:
    home: Path
    project: Path
    environ: dict[str, str]

    def store(self, *, claude: bool = True) -> Store:
        return Store(resolve(self.project, self.environ, claude=claude))


@pytest.fixture
def memory_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> MemoryEnv:
    home = tmp_path / "home"
    project = tmp_path / "project"
    project.mkdir()
    (project / ".git").mkdir()
    values = {
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "XDG_STATE_HOME": str(home / "state"),
        "CLAUDE_CONFIG_DIR": str(home / "claude"),
        "RULESYNC_MEMORY_HOME": str(home / "memory"),
        "RULESYNC_MEMORY_INDEX_DIR": str(home / "index"),
    }
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("RULESYNC_AGENT", raising=False)
    return MemoryEnv(home, project, {**os.environ, **values})


def tree_digest(root: Path) -> str:
    """A hash of every path, link target and file content under `root`."""
    digest = hashlib.sha256()
    for folder, dirs, names in sorted(os.walk(root)):
        dirs.sort()
        for name in sorted(names + dirs):
            path = Path(folder, name)
            digest.update(str(path.relative_to(root)).encode())
            if path.is_symlink():
                digest.update(os.readlink(path).encode())
            elif path.is_file():
                digest.update(path.read_bytes())
    return digest.hexdigest()
