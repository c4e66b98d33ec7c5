"""Fixtures for pinned sources: pack repositories built with real git in tmp folders."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

RULE = "---\nroot: true\n---\n# Project\n\nLocal rules.\n"
CONFIG = "targets: [claude, gemini, codex]\n"


class Pack:
    """A git repository that plays the part of a rule pack."""

    def __init__(self, path: Path, env: dict[str, str]) -> None:
        self.path = path
        self.env = env
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str) -> str:
        done = subprocess.run(
            ["git", *args], cwd=self.path, env=self.env, capture_output=True, text=True, check=True
        )
        return done.stdout.strip()

    def commit(self, files: Mapping[str, str | bytes | None], tag: str | None = None) -> str:
        """Write (None: delete) files, commit, tag; return the commit id."""
        for relative, content in files.items():
            target = self.path / relative
            if content is None:
                target.unlink()
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content if isinstance(content, bytes) else content.encode())
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", f"commit {tag or ''}")
        if tag:
            self.git("tag", "-f", tag)
        return self.git("rev-parse", "HEAD")


@pytest.fixture
def git_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Hermetic git (no system or user config) and a cache and state folder per test."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("RULESYNC_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("RULESYNC_STATE_DIR", str(tmp_path / "state"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(
        HOME=str(home),
        GIT_CONFIG_NOSYSTEM="1",
        GIT_AUTHOR_NAME="t",
        GIT_AUTHOR_EMAIL="t@example.com",
        GIT_COMMITTER_NAME="t",
        GIT_COMMITTER_EMAIL="t@example.com",
    )
    return env


@pytest.fixture
def make_pack(tmp_path: Path, git_env: dict[str, str]) -> Callable[[str], Pack]:
    def make(name: str = "agent-rules") -> Pack:
        path = tmp_path / "packs" / name
        path.mkdir(parents=True)
        return Pack(path, git_env)

    return make


@pytest.fixture
def project(tmp_path: Path, git_env: dict[str, str]) -> Callable[..., Path]:
    """A project whose rulesync.yaml lists `sources` (YAML text) under CONFIG."""

    def make(sources: str, files: Mapping[str, str] | None = None) -> Path:
        root = tmp_path / "project"
        root.mkdir(exist_ok=True)
        everything = {
            "rulesync.yaml": CONFIG + sources,
            ".rulesync/rules/project.md": RULE,
            **(files or {}),
        }
        for relative, text in everything.items():
            path = root / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
        return root

    return make


def tree_hash(folder: Path) -> str:
    """Every path, kind and byte below `folder` (links by their target): for outside-is-unchanged."""
    hasher = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        hasher.update(str(path.relative_to(folder)).encode() + b"\0")
        if path.is_symlink():
            hasher.update(b"L" + os.readlink(path).encode())
        elif path.is_file():
            hasher.update(b"F" + path.read_bytes())
        else:
            hasher.update(b"D")
    return hasher.hexdigest()


@pytest.fixture
def git_calls(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[], list[str]]:
    """Put a recording git first on PATH; return a function that reads the record."""
    real = shutil.which("git")
    assert real is not None
    shim = tmp_path / "shim"
    shim.mkdir()
    record = tmp_path / "git-calls.txt"
    script = shim / "git"
    script.write_text(f'#!/bin/sh\necho "$*" >> "{record}"\nexec "{real}" "$@"\n')
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{shim}{os.pathsep}{os.environ['PATH']}")

    def calls() -> list[str]:
        return record.read_text().splitlines() if record.exists() else []

    return calls
