"""Fixtures for dispatch: fake vendor CLIs on PATH, a private run log, and a fake mirror API."""

from __future__ import annotations

import json
import os
import stat
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

VENDORS = ("claude", "gemini", "codex", "ollama", "llm")
FAKE_SOURCE = Path(__file__).with_name("fake_cli.py")
KEY_VARIABLES = (
    "ANTHROPIC_API_KEY",
    "CLAUDE_CODE_OAUTH_TOKEN",
    "GEMINI_API_KEY",
    "GOOGLE_API_KEY",
    "OPENAI_API_KEY",
    "CODEX_API_KEY",
    "OLLAMA_HOST",
    "GEMINI_CLI_TRUST_WORKSPACE",
    "RULESYNC_PARENT_RUN_ID",
    "XDG_STATE_HOME",
)


@dataclass
class Fakes:
    bin_dir: Path
    record_dir: Path
    state_dir: Path
    monkeypatch: pytest.MonkeyPatch

    def mode(self, vendor: str, mode: str) -> None:
        self.monkeypatch.setenv(f"FAKE_{vendor.upper()}_MODE", mode)

    def call(self, vendor: str) -> dict[str, Any]:
        """How the fake `vendor` was last called."""
        data: dict[str, Any] = json.loads((self.record_dir / f"{vendor}.json").read_text())
        return data

    def called(self, vendor: str) -> bool:
        return (self.record_dir / f"{vendor}.json").exists()

    @property
    def log(self) -> Path:
        return self.state_dir / "runs.sqlite3"


def install_fakes(bin_dir: Path) -> None:
    bin_dir.mkdir(parents=True, exist_ok=True)
    script = f"#!{sys.executable}\n" + FAKE_SOURCE.read_text(encoding="utf-8")
    for vendor in VENDORS:
        path = bin_dir / vendor
        path.write_text(script, encoding="utf-8")
        path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)


@pytest.fixture
def fakes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Fakes:
    """Fake vendor CLIs first on PATH, no vendor keys in the environment, a private run log."""
    bin_dir = tmp_path / "bin"
    install_fakes(bin_dir)
    for name in KEY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")
    monkeypatch.setenv("FAKE_RECORD_DIR", str(tmp_path / "records"))
    monkeypatch.setenv("RULESYNC_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("CODEX_HOME", str(tmp_path / "codex-home"))  # no real usage figures
    return Fakes(bin_dir, tmp_path / "records", tmp_path / "state", monkeypatch)


@dataclass
class FakeApi:
    """Stands in for rulesync.api while dispatch itself is under test."""

    changed: tuple[str, ...] = ()
    conflicts: tuple[str, ...] = ()
    message: str = ""
    rules: str = "# Rules\n\nAlways answer in English.\n"
    calls: list[tuple[str, bool]] = field(default_factory=list)


@pytest.fixture
def fake_api(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeApi]:
    from rulesync import api

    fake = FakeApi()

    def sync_target(root: Path, target: str, *, write: bool) -> api.SyncResult:
        fake.calls.append((target, write))
        message = fake.message or (
            f"{'mirrored' if write else 'stale'}: {', '.join(fake.changed)}"
            if fake.changed
            else f"{target} files up to date"
        )
        return api.SyncResult(fake.changed, fake.conflicts, message)

    def rules_text(root: Path) -> str:
        return fake.rules

    monkeypatch.setattr(api, "sync_target", sync_target)
    monkeypatch.setattr(api, "rules_text", rules_text)
    yield fake


PROJECT_YAML = """\
targets: [claude, gemini, codex]
dispatch:
  kill_grace: 0.2
"""


@pytest.fixture
def project(build_tree: Any) -> Path:
    """A project with rulesync.yaml (the mirror itself is faked by `fake_api`)."""
    root: Path = build_tree({"rulesync.yaml": PROJECT_YAML})
    return root
