"""`memory: {dir: PATH}`: a project that carries its own memory inside it.

For a team repository, a demo or the sample project: every entry, the `user` ones too
(in `PATH/user`), lives in the project, so it is committed, reviewed and independent of
anyone's home folder. The index stays a cache outside the project. Claude's own
auto-memory folder is not used then: Claude reaches the memory through the MCP server,
the hooks or the CLI, like the other agents.

`PATH` is relative to the project and must stay inside it: no `..`, not absolute, and no
part of it may be a symlink (checked when the store opens the folder, every time).

Read without a YAML parser for the common shapes (`memory: {dir: x}` and a `memory:` block
with `dir: x`), since every `memory search` pays start-up; anything else goes through
`rulesync.source.config`.
"""

from __future__ import annotations

import os

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path

    from rulesync.errors import ConfigError

_PLAIN_FIRST = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.")
_PLAIN_CHARS = _PLAIN_FIRST | frozenset("/-")


def configured(root: Path) -> str | None:
    """The `memory.dir` of the project's rulesync.yaml, or None."""
    from rulesync.regular_file import read_regular

    try:
        text = read_regular(root / "rulesync.yaml", 1 << 20).decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None  # no config (or one that `mirror` reports): the default layout
    if "dir" not in text or "memory" not in text:
        return None
    probed = probe(text.splitlines())
    if probed is None or isinstance(probed, str):
        return probed
    from rulesync.source.config import load_config

    value = load_config(root, required=False).memory.get("dir")
    return value if isinstance(value, str) else None


def probe(lines: list[str]) -> str | bool | None:
    """The value, None when the block has no `dir`, or False when unsure (parse it properly).
    `paths.lean_layout` asks it too, so both agree on which projects have a local folder."""
    found = [number for number, line in enumerate(lines) if line.startswith("memory:")]
    if len(found) != 1:
        return None if not found else False
    rest = _no_comment(lines[found[0]][len("memory:") :])
    if rest.startswith("{") and rest.endswith("}"):
        items = [item.split(":", 1) for item in rest[1:-1].split(",") if item.strip()]
        pairs = {key.strip(): value.strip() for key, value in (i for i in items if len(i) == 2)}
        return _plain(pairs.get("dir")) if len(pairs) == len(items) else False
    if rest:
        return False
    for line in lines[found[0] + 1 :]:
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line.startswith((" ", "\t")):
            return None  # the block ended without `dir`
        key, _, value = line.strip().partition(":")
        if key == "dir":
            return _plain(_no_comment(value))
    return None


def _no_comment(text: str) -> str:
    return text.split(" #")[0].strip()


def _plain(value: str | None) -> str | bool | None:
    """The value when it is a plain relative path (letters, digits, `_`, `.`, `/`, `-`, not
    starting with `/` or `-`); False when YAML must read it. No `re`: searches pay start-up."""
    if value is None:
        return None
    value = value.strip().strip("'\"") if value[:1] == value[-1:] and value[:1] in "'\"" else value
    plain = bool(value) and value[0] in _PLAIN_FIRST and set(value) <= _PLAIN_CHARS
    return value if plain else False


def folder(root: Path, value: str) -> Path:
    """`root / value`, refused (exit 2, with the fix) when it leaves the project or passes
    through a symlink."""
    from pathlib import Path

    joined, refusal = inside(str(root), value)
    if refusal is not None:
        raise _error(refusal)
    return Path(joined)


def inside(root: str, value: str) -> tuple[str, str | None]:
    """`root/value` as text, and why it cannot be the memory folder (it leaves the project
    or passes through a symlink), or None. `paths.lean_layout` asks it without pathlib."""
    parts = value.replace("\\", "/").split("/")
    if os.path.isabs(value) or ".." in parts or not value.strip("./"):
        return root, f"`memory.dir` must be a folder inside the project (got `{value}`)"
    path = root
    for part in (p for p in parts if p not in ("", ".")):
        path = os.path.join(path, part)
        if os.path.islink(path):
            return path, f"`memory.dir`: {path} is a symlink; rulesync writes only real folders"
    return path, None


def _error(message: str) -> ConfigError:
    from rulesync.errors import ConfigError, Problem

    fix = "use a relative folder such as `memory`, with no symlink on the way"
    return ConfigError([Problem("rulesync.yaml", message, fix=fix)])
