"""Shared fixtures: a project tree builder and a CLI runner that returns exit code and output."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

BuildTree = Callable[[Mapping[str, str | bytes]], Path]


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
