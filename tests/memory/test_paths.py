"""`paths.lean_layout` (plain strings) gives exactly what `layout.resolve` gives, or None."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from rulesync.errors import ConfigError
from rulesync.memory import paths
from rulesync.memory.layout import claude_is_target, project_root, resolve

from .conftest import MemoryEnv


def _full(start: Path, environ: dict[str, str]) -> tuple[str, str, str, str, str]:
    root = project_root(start.resolve())
    layout = resolve(root, environ, claude=claude_is_target(root))
    return (
        str(layout.root),
        str(layout.user_dir),
        str(layout.project_dir),
        str(layout.index_dir),
        str(layout.index_path),
    )


def _lean(start: Path, environ: dict[str, str]) -> tuple[str, str, str, str, str] | None:
    lean = paths.lean_layout(os.path.realpath(start), environ)
    if lean is None:
        return None
    return (lean.root, lean.user_dir, lean.project_dir, lean.index_dir, lean.index_path)


@pytest.mark.parametrize(
    "config",
    [
        None,
        "targets: [claude, gemini]\n",
        "targets: [gemini, codex]\n",
        "targets:\n  - codex\n  - claude\n",
        # what `rulesync init` writes (`skills_dir:`) with memory hooks on: no local folder
        "targets: [claude, gemini, codex]\ngemini:\n  skills_dir: auto\nmemory: {hooks: true}\n",
        "targets: [claude]\nmemory:\n  hooks: true\n  # dir: notes (not set)\nsource: dir\n",
        # a memory inside the project (`memory: {dir: …}`), as the sample project has it
        "targets: [claude]\nmemory: {dir: memory}\n",
        "memory:\n  hooks: true\n  dir: ./team//memory/\n",
        "memory:\n  dir: .memory\n",
    ],
)
def test_lean_layout_equals_resolve(memory_env: MemoryEnv, config: str | None) -> None:
    if config is not None:
        (memory_env.project / "rulesync.yaml").write_text(config)
    sub = memory_env.project / "src" / "deep"
    sub.mkdir(parents=True)
    for start in (memory_env.project, sub):
        lean = _lean(start, memory_env.environ)
        assert lean is not None
        assert lean == _full(start, memory_env.environ)


def test_lean_layout_without_the_optional_variables(
    memory_env: MemoryEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    environ = {"HOME": str(memory_env.home) + "//./"}
    for name in list(os.environ):
        if name.startswith(("XDG_", "RULESYNC_", "CLAUDE_")):
            monkeypatch.delenv(name)
    lean = _lean(memory_env.project, environ)
    assert lean is not None
    assert lean == _full(memory_env.project, environ)
    assert lean[3] == str(memory_env.home / ".cache" / "rulesync" / "memory")


def test_lean_layout_in_a_linked_worktree_names_the_main_one(
    memory_env: MemoryEnv, tmp_path: Path
) -> None:
    main = memory_env.project
    gitdir = main / ".git" / "worktrees" / "wt"
    gitdir.mkdir(parents=True)
    (gitdir / "commondir").write_text("../..\n")
    linked = tmp_path / "linked"
    linked.mkdir()
    (linked / ".git").write_text(f"gitdir: {gitdir}\n")
    lean = _lean(linked, memory_env.environ)
    assert lean is not None
    assert lean == _full(linked, memory_env.environ)
    assert lean[2] == _full(main, memory_env.environ)[2]  # the same memory as the main one


def test_lean_layout_follows_claudes_auto_memory_directory(memory_env: MemoryEnv) -> None:
    custom = memory_env.home / "custom-memory"
    settings = memory_env.home / "claude" / "settings.json"
    settings.parent.mkdir(parents=True)
    settings.write_text(f'{{"autoMemoryDirectory": "{custom}"}}')
    lean = _lean(memory_env.project, memory_env.environ)
    assert lean is not None
    assert lean[2] == str(custom)
    assert lean == _full(memory_env.project, memory_env.environ)


@pytest.mark.parametrize(
    ("config", "environ_change"),
    [
        ("targets: [claude]\nmemory: {hooks: true, dir: [a]}\n", {}),  # unsure: YAML decides
        ("memory: {dir: ../outside}\n", {}),  # refused by local_dir.folder, with the fix
        ("memory: {dir: /abs}\n", {}),
        ("memory:\n  dir: 'a b'\n", {}),  # not a plain path: YAML decides
        ("targets: [\n  claude]\n", {}),  # a shape the probe does not read
        ("source: .rulesync\n", {}),  # no targets line: the config's defaults decide
        (None, {"RULESYNC_MEMORY_INDEX_DIR": "/tmp/a/../b"}),  # pathlib keeps the `..`
    ],
)
def test_lean_layout_leaves_the_unsure_cases_to_resolve(
    memory_env: MemoryEnv, config: str | None, environ_change: dict[str, str]
) -> None:
    if config is not None:
        (memory_env.project / "rulesync.yaml").write_text(config)
    assert _lean(memory_env.project, {**memory_env.environ, **environ_change}) is None


def test_a_local_folder_through_a_link_is_left_to_resolve(memory_env: MemoryEnv) -> None:
    (memory_env.project / "real").mkdir()
    (memory_env.project / "linked").symlink_to(memory_env.project / "real")
    (memory_env.project / "rulesync.yaml").write_text("memory: {dir: linked/memory}\n")
    assert _lean(memory_env.project, memory_env.environ) is None
    with pytest.raises(ConfigError, match="is a symlink"):
        _full(memory_env.project, memory_env.environ)


def test_short_hash_is_sha256() -> None:
    for text in ("", "/home/ä/project", "\udcff-surrogate"):
        expected = hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()[:12]
        assert paths.short_hash(text) == expected
