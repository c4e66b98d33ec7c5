"""Where the run log lives: $RULESYNC_STATE_DIR (for tests), else $XDG_STATE_HOME/rulesync,
else ~/.local/state/rulesync. Kept apart from runlog.py so finding the path imports nothing."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

LOG_NAME = "runs.sqlite3"


def state_dir(environ: Mapping[str, str]) -> Path:
    if environ.get("RULESYNC_STATE_DIR"):
        return Path(environ["RULESYNC_STATE_DIR"])
    base = environ.get("XDG_STATE_HOME") or str(Path(environ.get("HOME", "~")) / ".local" / "state")
    return Path(base).expanduser() / "rulesync"


def log_path(environ: Mapping[str, str]) -> Path:
    return state_dir(environ) / LOG_NAME
