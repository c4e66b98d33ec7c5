"""`layout.resolve` in plain strings, for the commands an agent runs per keystroke.

`memory search`, `memory brief` and the post-write hook need only the two memory folders
and the index path. `pathlib` costs them urllib.parse, ipaddress, fnmatch and re at start-up,
and `hashlib` loads OpenSSL for one sha256; this module uses `os.path` and the built-in
sha256. It gives exactly what `layout.resolve` gives (a test compares both) or None when it
cannot be sure (a project with `memory: {dir: …}`, a `targets:` line its probe does not
read, an environment path with `..`): the caller then uses `layout.resolve`.
"""

from __future__ import annotations

import os

TYPE_CHECKING = False  # not from typing: start-up counts here
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from typing import Literal, Protocol

    from rulesync.memory.layout import Layout

    class _Digest(Protocol):
        def hexdigest(self) -> str: ...


_GITDIR_LIMIT = 4096
_LOWER = "abcdefghijklmnopqrstuvwxyz"  # not from `string`: it imports re
_ALNUM = frozenset(_LOWER + _LOWER.upper() + "0123456789")
_NAME_CHARS = frozenset(_LOWER + "0123456789_-")
_CLAUDE_NAME_LIMIT = 200


class LeanLayout:
    """The folders of one project's memory as absolute, normalised strings (the same text
    as `str()` of the matching `Layout` field)."""

    __slots__ = ("index_dir", "index_path", "project_dir", "root", "user_dir")

    def __init__(self, root: str, user_dir: str, project_dir: str, index_dir: str) -> None:
        self.root = root
        self.user_dir = user_dir
        self.project_dir = project_dir
        self.index_dir = index_dir
        self.index_path = os.path.join(index_dir, f"project-{short_hash(project_dir)}.db")


def lean_layout(start: str, environ: Mapping[str, str]) -> LeanLayout | None:
    """The layout of the project holding the folder `start` (absolute, symlinks resolved),
    or None when only `layout.resolve` can tell."""
    root = project_root(start)
    home = environ.get("HOME") or os.path.expanduser("~")
    if not _plain(home):
        return None
    memory_home = _from_env(environ, "RULESYNC_MEMORY_HOME") or os.path.join(
        _xdg(environ, "XDG_DATA_HOME", os.path.join(home, ".local", "share")), "rulesync", "memory"
    )
    config = _config_text(root)
    if config is False:
        return None
    local = None if config is None else _local_folder(root, config)
    if local is False:
        return None
    index_dir = _from_env(environ, "RULESYNC_MEMORY_INDEX_DIR") or os.path.join(
        _xdg(environ, "XDG_CACHE_HOME", os.path.join(home, ".cache")), "rulesync", "memory"
    )
    if isinstance(local, str):  # `memory: {dir: …}`: every entry in the project's folder
        return _lean(root, os.path.join(local, "user"), local, index_dir)
    targets = ("claude",) if config is None else targets_in(config)  # no config: all on
    if targets is None or memory_home is None:
        return None
    name = claude_project_name(canonical_root(root))
    if "claude" in targets:
        from rulesync.memory.claude_dir import memory_dir

        claude_home = _from_env(environ, "CLAUDE_CONFIG_DIR") or os.path.join(home, ".claude")
        if claude_home is None:
            return None
        custom = memory_dir(environ, claude_home)
        project_dir = custom if custom else os.path.join(claude_home, "projects", name, "memory")
    else:
        project_dir = os.path.join(memory_home, "projects", name)
    return _lean(root, os.path.join(memory_home, "user"), project_dir, index_dir)


def _lean(root: str, user_dir: str, project_dir: str, index_dir: str) -> LeanLayout | None:
    parts = (root, user_dir, project_dir, index_dir)
    if not all(map(_plain, parts)):
        return None
    return LeanLayout(*(_pure(part) for part in parts))


def layout_for(start: str) -> LeanLayout | Layout:
    """The memory layout of the project holding the folder `start` (absolute, symlinks
    resolved): in plain strings when `lean_layout` is sure of it, else `layout.resolve`'s."""
    lean = lean_layout(start, os.environ)
    if lean is not None:
        return lean
    from pathlib import Path

    from rulesync.memory.layout import claude_is_target, project_root, resolve

    root = project_root(Path(start))
    return resolve(root, os.environ, claude=claude_is_target(root))


def project_root(start: str) -> str:
    """`layout.project_root` on a string."""
    return _up(start, _project_marker) or start


def canonical_root(root: str) -> str:
    """`layout.canonical_root` on a string: the main worktree of the repository, else `root`."""
    found = _up(root, _git_marker)
    if found is None:
        return root
    marker = os.path.join(found, ".git")
    if os.path.isdir(marker):
        return found
    return _main_worktree(marker) or found


def short_hash(text: str) -> str:
    """`layout._short_hash`: the first 12 hex digits of the sha256 of `text`."""
    return _sha256()(text.encode("utf-8", "surrogateescape")).hexdigest()[:12]


def _sha256() -> Callable[[bytes], _Digest]:
    try:  # the built-in module: importing hashlib loads OpenSSL (about 3 ms)
        from _sha256 import sha256  # type: ignore[import-not-found]  # Python 3.10, 3.11
    except ImportError:
        try:
            from _sha2 import sha256  # type: ignore[import-not-found]  # Python 3.12 and later
        except ImportError:
            from hashlib import sha256
    return sha256  # type: ignore[no-any-return]


def _git_marker(folder: str) -> bool:
    marker = os.path.join(folder, ".git")
    return os.path.isdir(marker) or os.path.isfile(marker)


def _project_marker(folder: str) -> bool:
    return os.path.isfile(os.path.join(folder, "rulesync.yaml")) or os.path.exists(
        os.path.join(folder, ".git")
    )


def _up(start: str, found: Callable[[str], bool]) -> str | None:
    """The first of `start` and its parents for which `found` holds."""
    folder = start
    while True:
        if found(folder):
            return folder
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def _main_worktree(marker: str) -> str | None:
    gitdir = _pointer(marker, "gitdir: ")
    if gitdir is None:
        return None
    gitdir = gitdir if os.path.isabs(gitdir) else os.path.join(os.path.dirname(marker), gitdir)
    common = _pointer(os.path.join(gitdir, "commondir"), "")
    if common is None:
        return None
    common = os.path.realpath(common if os.path.isabs(common) else os.path.join(gitdir, common))
    return os.path.dirname(common) if os.path.basename(common) == ".git" else None


def _pointer(path: str, prefix: str) -> str | None:
    from rulesync.regular_file import read_regular

    try:
        text = read_regular(path, _GITDIR_LIMIT).decode("utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None
    if not text.startswith(prefix) or "\x00" in text:
        return None
    return text[len(prefix) :]


def _config_text(root: str) -> str | Literal[False] | None:
    """The project's rulesync.yaml, read once for both probes: None when there is none,
    False when it cannot be read as UTF-8 (then `layout.resolve` decides)."""
    from rulesync.regular_file import read_regular

    try:
        return read_regular(os.path.join(root, "rulesync.yaml"), 1 << 20).decode("utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError):
        return False


def _local_folder(root: str, config: str) -> str | bool | None:
    """The folder `memory: {dir: …}` names in rulesync.yaml, None when it names none, or
    False when only `local_dir.configured` and `local_dir.folder` can tell (an unusual YAML
    shape, a value that leaves the project or passes through a link: they say why).

    The same probe `local_dir.configured` reads the file with, so `skills_dir:` beside a
    `memory:` block without `dir` (what `rulesync init` and `memory: {hooks: true}` write)
    is not a folder."""
    if "dir" not in config or "memory" not in config:
        return None
    from rulesync.memory.local_dir import inside, probe

    value = probe(config.splitlines())
    if not isinstance(value, str):
        return value
    folder, refusal = inside(root, value)
    return folder if refusal is None else False


def _from_env(environ: Mapping[str, str], name: str) -> str | None:
    """`Path(value).expanduser().absolute()`, or None when the value is unset or empty."""
    value = environ.get(name)
    if not value:
        return None
    return os.path.join(os.getcwd(), os.path.expanduser(value))


def _xdg(environ: Mapping[str, str], name: str, default: str) -> str:
    value = environ.get(name)
    path = os.path.expanduser(value) if value else default
    return path if os.path.isabs(path) else default


def _plain(path: str) -> bool:
    """Whether `_pure` gives what pathlib gives: no `..` part, no `//` start, not empty, and
    no `~` left unexpanded (pathlib raises for an unknown user)."""
    return bool(path) and not path.startswith(("//", "~")) and ".." not in path.split("/")


def _pure(path: str) -> str:
    """The text of `PurePosixPath(path)`: repeated slashes and `.` parts dropped."""
    parts = [part for part in path.split("/") if part and part != "."]
    joined = "/".join(parts)
    if path.startswith("/"):
        return "/" + joined
    return joined or "."


def claude_project_name(path: str | os.PathLike[str]) -> str:
    """Claude Code's folder name for a project path (its `$E` in 2.1.x)."""
    text = os.fspath(path)
    # JavaScript's /[^a-zA-Z0-9]/g replaces UTF-16 code units: a character beyond U+FFFF
    # becomes two dashes. (No regex: `memory search` and `brief` pay start-up.)
    name = "".join(char if char in _ALNUM else "--" if ord(char) > 0xFFFF else "-" for char in text)
    if len(name) <= _CLAUDE_NAME_LIMIT:
        return name
    return f"{name[:_CLAUDE_NAME_LIMIT]}-{_java_hash_base36(text)}"


def _java_hash_base36(text: str) -> str:
    """`Math.abs(h).toString(36)` of the 32-bit `h = 31*h + c` over UTF-16 code units."""
    value = 0
    units = text.encode("utf-16-le")
    for index in range(0, len(units), 2):
        value = (value * 31 + int.from_bytes(units[index : index + 2], "little")) & 0xFFFFFFFF
    value = abs(value - (1 << 32) if value >= 1 << 31 else value)
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        value, rest = divmod(value, 36)
        out = digits[rest] + out
        if not value:
            return out


def targets_probe(path: str | os.PathLike[str]) -> tuple[str, ...] | None:
    from rulesync.regular_file import read_regular

    try:
        text = read_regular(path, 1 << 20).decode("utf-8")
    except FileNotFoundError:
        return ("claude",)  # no config: every target is on
    except (OSError, UnicodeDecodeError):
        return None
    return targets_in(text)


def targets_in(text: str) -> tuple[str, ...] | None:
    """The `targets:` list of a rulesync.yaml's text, or None when the probe cannot read it."""
    lines = text.splitlines()
    found = [number for number, line in enumerate(lines) if line.startswith("targets:")]
    if len(found) != 1:
        return None
    rest = lines[found[0]][len("targets:") :].split("#")[0].strip()
    if rest.startswith("[") and rest.endswith("]"):
        names = tuple(name.strip().strip("'\"") for name in rest[1:-1].split(","))
    elif not rest:
        names = _block_items(lines[found[0] + 1 :])
    else:
        return None
    return names if names and all(map(_simple_name, names)) else None


def _simple_name(name: str) -> bool:
    """`^[a-z][a-z0-9_-]*$` without a regex."""
    return name[:1] in _LOWER and bool(name) and set(name) <= _NAME_CHARS


def _block_items(lines: list[str]) -> tuple[str, ...]:
    names = []
    for line in lines:
        item = line.split("#")[0].strip()
        if not item:
            continue
        if not item.startswith("- "):
            break
        names.append(item[2:].strip().strip("'\""))
    return tuple(names)
