"""A fake HOME, XDG folders and agent variables in tmp: the real home is never touched."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

AGENT_VARIABLES = ("CLAUDE_CONFIG_DIR", "GEMINI_CLI_HOME", "CODEX_HOME")
RULE = "---\nroot: true\n---\n# My standing orders\n\nAnswer in plain English.\n"
COMMAND = "---\ndescription: Review my diff\n---\nReview $ARGUMENTS carefully.\n"
SKILL = "---\nname: tidy\ndescription: Tidy the imports\n---\nSort and group the imports.\n"


@dataclass
class Personal:
    home: Path
    outside: Path  # a folder beside HOME that no test may change
    state: Path

    @property
    def config(self) -> Path:
        return self.home / ".config" / "rulesync"

    @property
    def lock(self) -> Path:
        return self.state / "rulesync" / "global.lock"

    def write(self, files: Mapping[str, str | bytes], under: Path | None = None) -> None:
        base = under or self.home
        for relative, content in files.items():
            path = base / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            data = content if isinstance(content, bytes) else content.encode("utf-8")
            path.write_bytes(data)

    def source(self, files: Mapping[str, str | bytes]) -> None:
        self.write(files, self.config)


@pytest.fixture
def personal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Personal:
    home = tmp_path / "home"
    home.mkdir()
    outside = tmp_path / "outside"
    (outside / "claude").mkdir(parents=True)
    (outside / "claude" / "CLAUDE.md").write_text("outside, not ours\n")
    (outside / "notes.txt").write_text("keep me\n")
    state = tmp_path / "state"  # XDG_STATE_HOME outside HOME, as some users set it
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    monkeypatch.setenv("XDG_STATE_HOME", str(state))
    for name in AGENT_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    found = Personal(home, outside, state)
    found.source(
        {"rules/me.md": RULE, "commands/review-mine.md": COMMAND, "skills/tidy/SKILL.md": SKILL}
    )
    return found


@pytest.fixture
def read_home(personal: Personal) -> Callable[[str], str]:
    def read(relative: str) -> str:
        return (personal.home / relative).read_text(encoding="utf-8")

    return read
