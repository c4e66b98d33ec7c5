"""A throw-away project holding the user-level files, so `import --global` reuses `import`.

The agent's user files are copied into a temporary folder in the layout a project has
(`~/.claude/CLAUDE.md` -> `CLAUDE.md`, `~/.claude/commands` -> `.claude/commands`, ...), and
the personal folder into its `.rulesync/`, so the project importer sees the same comparisons
it makes in a project. Only regular files are copied: symlinks below the agent folders and
hidden entries (Codex keeps its bundled skills in `skills/.system`) are skipped, links on the
way to a folder are followed inside HOME only (rulesync.personal.links), and a file that
rulesync itself wrote there, unchanged since (in the global lock), is not copied back.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from rulesync.errors import Problem, RulesyncError
from rulesync.personal.links import Followed, follow
from rulesync.personal.locations import Locations
from rulesync.render.outputs import Warning
from rulesync.sync.lock import Lock, digest
from rulesync.sync.safety import NotAFile, read_regular

#: agent -> (agent folder, entry below it, where a project keeps it)
AGENT_FILES: dict[str, tuple[tuple[str, str, str], ...]] = {
    "claude": (
        ("claude", "CLAUDE.md", "CLAUDE.md"),
        ("claude", "commands", ".claude/commands"),
        ("claude", "skills", ".claude/skills"),
        ("claude", "agents", ".claude/agents"),
    ),
    "gemini": (
        ("gemini", "GEMINI.md", "GEMINI.md"),
        ("gemini", "commands", ".gemini/commands"),
        ("gemini", "skills", ".gemini/skills"),
        ("gemini", "agents", ".gemini/agents"),
        ("agents", "skills", ".agents/skills"),
    ),
    "codex": (
        ("codex", "AGENTS.md", "AGENTS.md"),
        ("codex", "skills", ".codex/skills"),
        ("codex", "agents", ".codex/agents"),
        ("agents", "skills", ".agents/skills"),
    ),
}
SOURCE_PARTS = ("rules", "commands", "skills", "subagents")


@dataclass
class Staged:
    root: Path
    #: project path -> the real path below HOME it was copied from
    origins: dict[str, str] = field(default_factory=dict)
    #: home path -> the bytes copied, to see whether the file changed before it is rewritten
    copied: dict[str, bytes] = field(default_factory=dict)
    warnings: list[Warning] = field(default_factory=list)

    def shown(self, project_path: str, where: Locations) -> str:
        """A project path of the staged copy, as the user knows it."""
        if project_path in self.origins:
            return f"~/{self.origins[project_path]}"
        folder = where.shown(where.config_dir)
        if project_path == "rulesync.yaml":
            return f"{folder}/rulesync.yaml"
        if project_path.startswith(".rulesync/"):
            return f"{folder}/{project_path.removeprefix('.rulesync/')}"
        return project_path


def stage(root: Path, where: Locations, agent: str, lock: Lock) -> Staged:
    staged = Staged(root)
    problems: list[Problem] = []
    for folder_key, entry, project_path in AGENT_FILES[agent]:
        logical = f"{where.agent_dirs[folder_key]}/{entry}"
        followed = follow(where.home, logical, f"~/{logical}")
        if not isinstance(followed, Followed):
            problems.append(followed)
            continue
        _copy_tree(staged, where.home, followed.path, project_path, lock)
    if problems:
        raise RulesyncError(problems)
    if agent == "claude" and (where.home / where.agent_dirs["claude"] / "rules").is_dir():
        rules = f"~/{where.agent_dirs['claude']}/rules/"
        staged.warnings.append(
            Warning(
                rules,
                "not imported: Claude Code reads these user rules itself; move them "
                "into ~/.config/rulesync/rules/ by hand if rulesync should own them",
            )
        )
    _copy_source(root, where.config_dir)
    return staged


def _copy_tree(staged: Staged, home: Path, real: str, project_path: str, lock: Lock) -> None:
    """Copy `home/real` (a file or a folder) to `staged.root/project_path`."""
    try:
        mode = os.lstat(home / real).st_mode
    except (FileNotFoundError, NotADirectoryError):
        return
    if stat.S_ISDIR(mode):
        for entry in sorted(os.scandir(home / real), key=lambda e: e.name):
            if entry.name.startswith("."):
                continue
            _copy_tree(staged, home, f"{real}/{entry.name}", f"{project_path}/{entry.name}", lock)
        return
    content = read_regular(home / real)
    if isinstance(content, NotAFile):
        staged.warnings.append(Warning(f"~/{real}", f"not imported: it {content.reason}"))
        return
    if content is None:
        return
    entry_in_lock = lock.files.get(real)
    if entry_in_lock is not None and digest(content) == entry_in_lock.sha256:
        return  # rulesync wrote it from the personal folder: nothing to adopt
    _put(staged.root / project_path, content, bool(mode & 0o111))
    staged.origins[project_path] = real
    staged.copied[real] = content


def _copy_source(root: Path, config_dir: Path) -> None:
    """The personal folder as the staged project's `.rulesync/` (regular files only)."""
    config = read_regular(config_dir / "rulesync.yaml")
    if isinstance(config, bytes):
        _put(root / "rulesync.yaml", config, False)
    for part in SOURCE_PARTS:
        _copy_plain(config_dir / part, root / ".rulesync" / part)


def _copy_plain(source: Path, destination: Path) -> None:
    try:
        entries = sorted(os.scandir(source), key=lambda e: e.name)
    except (FileNotFoundError, NotADirectoryError):
        return
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            _copy_plain(Path(entry.path), destination / entry.name)
            continue
        content = read_regular(entry.path)
        if isinstance(content, bytes):
            _put(destination / entry.name, content, False)


def _put(path: Path, content: bytes, executable: bool) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    if executable:
        path.chmod(0o755)
