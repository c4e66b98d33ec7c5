"""Claude Code's `autoMemoryDirectory`: where Claude keeps auto memory when it is set.

Read as Claude Code 2.1.197 reads it (its bundle, functions `gm`, `DFd` and `hUi`):

1. `$CLAUDE_COWORK_MEMORY_PATH_OVERRIDE`, taken as it is (no `~/`);
2. `autoMemoryDirectory` of the managed (policy) settings, `/etc/claude-code/managed-settings.json`;
3. (the `--settings` flag of one session: invisible to rulesync);
4. of `.claude/settings.local.json`, then `.claude/settings.json` of the project, only in a
   workspace Claude trusts. rulesync does not follow these: a file inside the project must
   not choose where rulesync writes (see docs/memory.md). Put the setting in your user
   settings instead, which both read;
5. of the user settings, `$CLAUDE_CONFIG_DIR/settings.json` (`~/.claude/settings.json`).

The first value that is set wins, then is checked the way Claude checks it: `~/` expanded
(not for the variable), `..` after `~/` refused, normalised, trailing separators removed,
absolute, at least 3 characters, no NUL, no `//` or `\\\\` start. A value that fails is
ignored, as Claude ignores it, and the default folder is used.

Plain `os` and bytes: the post-write hook calls this, and json is imported only when a
settings file mentions the key.
"""

from __future__ import annotations

import os

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping

KEY = "autoMemoryDirectory"
ENV_OVERRIDE = "CLAUDE_COWORK_MEMORY_PATH_OVERRIDE"
MANAGED_SETTINGS = "/etc/claude-code/managed-settings.json"
_SETTINGS_LIMIT = 1 << 20


def memory_dir(environ: Mapping[str, str], claude_home: str) -> str | None:
    """The folder Claude uses for auto memory instead of the default, or None."""
    override = environ.get(ENV_OVERRIDE)
    if override:
        return _checked(override, expand_home=False, environ=environ)
    for path in (MANAGED_SETTINGS, os.path.join(claude_home, "settings.json")):
        value = _setting(path)
        if value is not None:
            return _checked(value, expand_home=True, environ=environ)
    return None


def _setting(path: str) -> str | None:
    """The key's value in the JSON file at `path`: None when the file, or the key, is absent,
    unreadable, not a regular file, too large or not a string. A symlinked settings file
    (dotfiles) is followed, as Claude follows it: this is a read, and what it names is
    written only through rulesync's no-follow folder walk."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        import stat

        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            return None
        raw = os.read(descriptor, _SETTINGS_LIMIT + 1)
    except OSError:
        return None
    finally:
        os.close(descriptor)
    if len(raw) > _SETTINGS_LIMIT or KEY.encode() not in raw:
        return None
    import json

    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        return None
    value = data.get(KEY) if isinstance(data, dict) else None
    return value if isinstance(value, str) and value else None


def _checked(value: str, *, expand_home: bool, environ: Mapping[str, str]) -> str | None:
    """`hUi` of Claude Code 2.1.197: the usable absolute folder, or None."""
    path = value
    if expand_home and (path.startswith("~/") or path.startswith("~\\")):
        rest = path[2:]
        normal = os.path.normpath(rest or ".")
        if normal in (".", "..") or normal.startswith("../") or normal.startswith("..\\"):
            return None
        path = os.path.join(environ.get("HOME") or os.path.expanduser("~"), rest)
    path = os.path.normpath(path).rstrip("/\\")
    if (
        not os.path.isabs(path)
        or len(path) < 3
        or path.startswith(("//", "\\\\"))
        or "\x00" in path
    ):
        return None
    if not path.isascii():
        import unicodedata

        path = unicodedata.normalize("NFC", path)
    return path
