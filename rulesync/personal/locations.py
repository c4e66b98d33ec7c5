"""Where the personal layer lives, per platform, and where each agent reads its user files.

- The user's own rules: `$XDG_CONFIG_HOME/rulesync` (default `~/.config/rulesync`) on Linux and
  the BSDs, or when XDG_CONFIG_HOME is set anywhere; elsewhere platformdirs' user config folder.
- The global lock: `$XDG_STATE_HOME/rulesync/global.lock` (default `~/.local/state/rulesync`),
  platformdirs' user state folder elsewhere. It is the user's own state, not a source file.
- Each agent's home, as its CLI computes it (checked against the bundles, see docs/personal.md):
  Claude Code `$CLAUDE_CONFIG_DIR` or `~/.claude`; Gemini CLI `$GEMINI_CLI_HOME/.gemini` or
  `~/.gemini`, and `~/.agents/skills`; Codex `$CODEX_HOME` or `~/.codex`, and `~/.agents/skills`.

An agent home outside HOME is refused: rulesync writes user-level files inside HOME only.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from rulesync.errors import ConfigError, Problem

APP = "rulesync"
LOCK_NAME = "global.lock"


@dataclass(frozen=True)
class Locations:
    """Absolute paths; `home` is resolved, and every agent home is relative to it."""

    home: Path
    config_dir: Path
    state_dir: Path
    #: agent folder -> its path relative to home: "claude", "gemini", "codex", "agents"
    agent_dirs: Mapping[str, str]

    @property
    def lock_file(self) -> Path:
        return self.state_dir / LOCK_NAME

    def shown(self, path: Path) -> str:
        """`~/x` for a path inside home, the absolute path otherwise."""
        try:
            return "~/" + path.relative_to(self.home).as_posix()
        except ValueError:
            return str(path)


def find_locations(environ: Mapping[str, str] | None = None) -> Locations:
    env = os.environ if environ is None else environ
    home = _home(env)
    agent_dirs = {
        "claude": _agent_dir(home, env, "CLAUDE_CONFIG_DIR", ".claude", ""),
        "gemini": _agent_dir(home, env, "GEMINI_CLI_HOME", ".gemini", ".gemini"),
        "codex": _agent_dir(home, env, "CODEX_HOME", ".codex", ""),
        "agents": ".agents",
    }
    return Locations(home, _config_dir(home, env), _state_dir(home, env), agent_dirs)


def _home(env: Mapping[str, str]) -> Path:
    raw = env.get("HOME") or str(Path.home())
    home = Path(raw)
    if not home.is_absolute() or not home.is_dir():
        raise ConfigError(
            [Problem("HOME", f"`{raw}` is not a folder", fix="set HOME to your home folder")]
        )
    return home.resolve()


def _agent_dir(home: Path, env: Mapping[str, str], variable: str, default: str, inner: str) -> str:
    """The agent's folder relative to home; `$VARIABLE/inner` when the variable is set."""
    raw = env.get(variable)
    if not raw:
        return default
    path = home / raw[2:] if raw.startswith("~/") else Path(raw)
    if not path.is_absolute():
        path = home / path
    folder = Path(os.path.abspath(path / inner)) if inner else Path(os.path.abspath(path))
    try:
        relative = folder.relative_to(home)
    except ValueError:
        relative = _inside_after_resolving(home, folder, variable, raw)
    if relative == Path():
        raise ConfigError(
            [Problem(variable, f"`{raw}` is your home folder itself", fix=f"unset {variable}")]
        )
    return relative.as_posix()


def _inside_after_resolving(home: Path, folder: Path, variable: str, raw: str) -> Path:
    try:
        return folder.resolve().relative_to(home)
    except (ValueError, OSError, RuntimeError):
        raise ConfigError(
            [
                Problem(
                    variable,
                    f"`{raw}` is outside your home folder ({home}); `rulesync mirror --global` "
                    "writes user-level files inside HOME only",
                    fix=f"unset {variable} for the run, or point it inside {home}",
                )
            ]
        ) from None


def _config_dir(home: Path, env: Mapping[str, str]) -> Path:
    xdg = env.get("XDG_CONFIG_HOME")
    if xdg and os.path.isabs(xdg):
        return Path(xdg) / APP
    if _uses_xdg():
        return home / ".config" / APP
    import platformdirs

    return Path(platformdirs.user_config_dir(APP, appauthor=False))


def _state_dir(home: Path, env: Mapping[str, str]) -> Path:
    xdg = env.get("XDG_STATE_HOME")
    if xdg and os.path.isabs(xdg):
        return Path(xdg) / APP
    if _uses_xdg():
        return home / ".local" / "state" / APP
    import platformdirs

    return Path(platformdirs.user_state_dir(APP, appauthor=False))


def _uses_xdg() -> bool:
    return not (sys.platform == "darwin" or sys.platform.startswith("win"))
