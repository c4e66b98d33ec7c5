"""Where the memory lives: the folders of entries, the index and the lock.

- `user` entries: `$RULESYNC_MEMORY_HOME/user`, else `$XDG_DATA_HOME/rulesync/memory/user`,
  else `~/.local/share/rulesync/memory/user`.
- The project's entries: when Claude is a target, Claude Code's own auto-memory folder,
  `$CLAUDE_CONFIG_DIR/projects/<project>/memory` (`~/.claude/...` by default), so Claude
  reads and writes them natively; otherwise `<memory home>/projects/<project>`.
  `<project>` is Claude Code's name for the project: the path of the repository's main
  worktree (all worktrees share it) with every character but ASCII letters and digits
  replaced by `-`, cut at 200 characters plus a hash when longer (Claude Code 2.1).
  Claude's `autoMemoryDirectory` setting, when set, replaces that folder (`claude_dir.py`).
- The index and the lock: `$RULESYNC_MEMORY_INDEX_DIR`, else `$XDG_CACHE_HOME/rulesync/memory`,
  else `~/.cache/rulesync/memory`.

Nothing is written inside the project, unless `memory: {dir: PATH}` in rulesync.yaml asks
for it: then every entry lives in `PATH` (the user's in `PATH/user`), see `local_dir.py`.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from rulesync.memory.paths import claude_project_name, short_hash, targets_probe

__all__ = ["Layout", "canonical_root", "claude_is_target", "claude_project_name", "resolve"]
_GITDIR_LIMIT = 4096


class Layout:
    """The folders of one project's memory, as absolute paths (a plain class, not a
    dataclass or NamedTuple: `memory brief` starts without importing those modules)."""

    __slots__ = ("claude_native", "index_dir", "project_dir", "root", "user_dir")

    def __init__(
        self, root: Path, user_dir: Path, project_dir: Path, index_dir: Path, claude_native: bool
    ) -> None:
        self.root = root
        self.user_dir = user_dir
        self.project_dir = project_dir
        self.index_dir = index_dir
        self.claude_native = claude_native

    def _fields(self) -> tuple[Path, Path, Path, Path, bool]:
        return (self.root, self.user_dir, self.project_dir, self.index_dir, self.claude_native)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Layout) and self._fields() == other._fields()

    def __hash__(self) -> int:
        return hash(self._fields())

    def __repr__(self) -> str:
        return "Layout({})".format(", ".join(map(repr, self._fields())))

    @property
    def index_path(self) -> Path:
        return self.index_dir / f"project-{short_hash(str(self.project_dir))}.db"

    @property
    def lock_path(self) -> Path:
        return self.index_dir / "memory.lock"


def resolve(root: Path, environ: Mapping[str, str], *, claude: bool) -> Layout:
    """The layout for the project at `root`; `claude` says whether Claude is a target."""
    home = Path(environ.get("HOME") or Path.home())
    memory_home = _from_env(environ, "RULESYNC_MEMORY_HOME") or (
        _xdg(environ, "XDG_DATA_HOME", home / ".local" / "share") / "rulesync" / "memory"
    )
    from rulesync.memory import local_dir

    local = local_dir.configured(root)
    if local is not None:
        folder = local_dir.folder(root, local)
        index_dir = _from_env(environ, "RULESYNC_MEMORY_INDEX_DIR") or (
            _xdg(environ, "XDG_CACHE_HOME", home / ".cache") / "rulesync" / "memory"
        )
        return Layout(root, folder / "user", folder, index_dir, False)
    name = claude_project_name(canonical_root(root))
    if claude:
        from rulesync.memory.claude_dir import memory_dir

        claude_home = _from_env(environ, "CLAUDE_CONFIG_DIR") or home / ".claude"
        custom = memory_dir(environ, str(claude_home))
        project_dir = Path(custom) if custom else claude_home / "projects" / name / "memory"
    else:
        project_dir = memory_home / "projects" / name
    index_dir = _from_env(environ, "RULESYNC_MEMORY_INDEX_DIR") or (
        _xdg(environ, "XDG_CACHE_HOME", home / ".cache") / "rulesync" / "memory"
    )
    return Layout(root, memory_home / "user", project_dir, index_dir, claude)


def project_root(start: Path) -> Path:
    """The nearest folder from `start` up that holds `rulesync.yaml`, not leaving the git
    worktree; else the worktree's top; else `start`. A command run in a subfolder then
    finds the same memory as one run at the top."""
    for folder in (start, *start.parents):
        if (folder / "rulesync.yaml").is_file():
            return folder
        if (folder / ".git").exists():
            return folder
    return start


def canonical_root(root: Path) -> Path:
    """The main worktree of the git repository holding `root`, else `root` itself.

    Read from `.git` files (never by running git): a linked worktree's `.git` file names its
    git dir, whose `commondir` names the main repository's `.git`.
    """
    for folder in (root, *root.parents):
        marker = folder / ".git"
        if marker.is_dir():
            return folder
        if marker.is_file():
            return _main_worktree(marker) or folder
    return root


def _main_worktree(marker: Path) -> Path | None:
    gitdir = _pointer(marker, "gitdir: ")
    if gitdir is None:
        return None
    gitdir = gitdir if gitdir.is_absolute() else (marker.parent / gitdir)
    common = _pointer(gitdir / "commondir", "")
    if common is None:
        return None
    common = (common if common.is_absolute() else gitdir / common).resolve()
    return common.parent if common.name == ".git" else None


def _pointer(path: Path, prefix: str) -> Path | None:
    from rulesync.regular_file import read_regular

    try:
        text = read_regular(path, _GITDIR_LIMIT).decode("utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None
    if not text.startswith(prefix) or "\x00" in text:
        return None
    return Path(text[len(prefix) :])


def _from_env(environ: Mapping[str, str], name: str) -> Path | None:
    value = environ.get(name)
    return Path(value).expanduser().absolute() if value else None


def _xdg(environ: Mapping[str, str], name: str, default: Path) -> Path:
    value = environ.get(name)
    path = Path(value).expanduser() if value else default
    return path if path.is_absolute() else default


def claude_is_target(root: Path) -> bool:
    """Whether `rulesync.yaml` lists Claude (true without a config: every target is on).

    The common shapes of `targets:` are read without a YAML parser (a `memory search` pays
    start-up on every call); anything else goes through `rulesync.source.config`.
    """
    targets = targets_probe(root / "rulesync.yaml")
    if targets is not None:
        return "claude" in targets
    from rulesync.source.config import load_config

    return "claude" in load_config(root, required=False).targets
