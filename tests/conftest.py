"""Shared fixtures: a project tree builder and a CLI runner that returns exit code and output."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

BuildTree = Callable[[Mapping[str, str | bytes]], Path]


@pytest.fixture(autouse=True, scope="session")
def _cache_dir(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Keep the parse cache (rulesync.source.cache) and the state folder (lint records, the
    run log, the status memo) of the whole run out of the user's home; a test that needs its
    own sets them again."""
    os.environ["RULESYNC_CACHE_DIR"] = str(tmp_path_factory.mktemp("rulesync-cache"))
    os.environ["RULESYNC_STATE_DIR"] = str(tmp_path_factory.mktemp("rulesync-state"))


@pytest.fixture
def cache_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh, empty cache folder of rulesync's own (RULESYNC_CACHE_DIR), with the cache on."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("RULESYNC_CACHE_DIR", str(folder))
    monkeypatch.delenv("RULESYNC_NO_CACHE", raising=False)
    return folder


@pytest.fixture
def build_tree(tmp_path: Path) -> BuildTree:
    """Write `{relative path: text or bytes}` under a fresh project dir and return its root."""
    root = tmp_path / "project"
    root.mkdir()

    def build(files: Mapping[str, str | bytes]) -> Path:
        for rel, content in files.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_bytes(content.encode("utf-8"))
        return root

    return build


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., Result]:
    """Run `rulesync ARGS…` in-process and capture exit code, stdout and stderr."""
    from rulesync.cli import main

    def run(*args: str | Path) -> Result:
        capsys.readouterr()
        code = main([str(a) for a in args])
        out, err = capsys.readouterr()
        return Result(code, out, err)

    return run


@pytest.fixture(scope="session")
def hooks_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This work tree as one commit in a fresh repo: what `pre-commit try-repo` clones."""
    from gitrepo import can_snapshot, snapshot_of_this_work_tree

    if not can_snapshot():
        pytest.skip("needs git and a git checkout of rulesync")
    return snapshot_of_this_work_tree(tmp_path_factory.mktemp("hooks-repo"))
