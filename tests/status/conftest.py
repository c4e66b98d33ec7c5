"""Status tests: a private state folder and Codex home, and no real ~ anywhere."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

NOW = 1_800_000_000.0  # 2027-01-15T08:00:00Z


@dataclass
class Homes:
    state: Path
    codex: Path
    environ: dict[str, str]

    def session(self, day: str, name: str, lines: list[Any], mtime: float | None = None) -> Path:
        """A Codex session file `sessions/YYYY/MM/DD/name` with `lines` (dicts or raw text)."""
        folder = self.codex / "sessions" / day
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / name
        text = "".join(
            (item if isinstance(item, str) else json.dumps(item)) + "\n" for item in lines
        )
        path.write_text(text, encoding="utf-8")
        if mtime is not None:
            os.utime(path, (mtime, mtime))
        return path


@pytest.fixture
def homes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Homes:
    state, codex = tmp_path / "state", tmp_path / "codex-home"
    monkeypatch.setenv("RULESYNC_STATE_DIR", str(state))
    monkeypatch.setenv("CODEX_HOME", str(codex))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("NO_COLOR", raising=False)
    environ = {
        "RULESYNC_STATE_DIR": str(state),
        "CODEX_HOME": str(codex),
        "HOME": str(tmp_path / "home"),
    }
    return Homes(state, codex, environ)


def token_count(
    primary: float, secondary: float, resets: float = NOW + 3600, when: str = "2027-01-15T07:59:00Z"
) -> dict[str, Any]:
    return {
        "timestamp": when,
        "type": "event_msg",
        "payload": {
            "type": "token_count",
            "info": None,
            "rate_limits": {
                "primary": {"used_percent": primary, "window_minutes": 300, "resets_at": resets},
                "secondary": {
                    "used_percent": secondary,
                    "window_minutes": 10080,
                    "resets_at": resets + 86400 * 3,
                },
            },
        },
    }
