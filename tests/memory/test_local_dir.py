"""`memory: {dir: PATH}`: the memory inside the project (the sample project uses it)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from rulesync.errors import ConfigError
from rulesync.memory.layout import resolve
from rulesync.memory.local_dir import configured, probe
from tests.memory.conftest import MemoryEnv, tree_digest


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("targets: [claude]\n", None),
        ("memory: {dir: memory}\n", "memory"),
        ("memory: {hooks: true, dir: 'notes/memory'}\n", "notes/memory"),
        ("memory: {hooks: true}\n", None),
        (
            "memory:\n  hooks: true\n  dir: team-memory  # committed\ntargets: [claude]\n",
            "team-memory",
        ),
        ("memory:\n  hooks: true\ntargets: [claude]\ndir: x\n", None),
        ("memory: &anchor {dir: x}\n", False),
        ('memory:\n  dir: "a b"\n', False),
        ("memory: {dir: -x}\n", False),  # a plain path starts with a letter, digit, _ or .
        ("memory: {dir: /abs}\n", False),
        ("memory: {dir: .team/mem_1-b}\n", ".team/mem_1-b"),
        ("memory: {dir: gr\u00f6\u00dfe}\n", False),
    ],
)
def test_the_probe_reads_common_shapes_and_gives_up_on_others(text: str, expected: object) -> None:
    assert probe(text.splitlines()) == expected


def test_the_probe_falls_back_to_the_yaml_parser(tmp_path: Path) -> None:
    (tmp_path / "rulesync.yaml").write_text('memory:\n  dir: "team notes"\n')
    assert configured(tmp_path) == "team notes"


def test_every_entry_lives_in_the_project_folder(memory_env: MemoryEnv, run_cli) -> None:
    (memory_env.project / "rulesync.yaml").write_text("targets: [claude]\nmemory: {dir: memory}\n")
    home_before = tree_digest(memory_env.home) if memory_env.home.exists() else ""
    for category in ("user", "project"):
        result = run_cli(
            "-C", memory_env.project, "memory", "add", "-c", category, "-t", f"A {category} entry",
            "-d", "d",
        )  # fmt: skip
        assert result.exit_code == 0, result.stderr
    assert (memory_env.project / "memory" / "a-project-entry.md").is_file()
    assert (memory_env.project / "memory" / "user" / "a-user-entry.md").is_file()
    assert "a-project-entry.md" in (memory_env.project / "memory" / "MEMORY.md").read_text()
    listed = run_cli("-C", memory_env.project, "memory", "list")
    assert listed.exit_code == 0
    assert {line.split()[0] for line in listed.stdout.splitlines()} == {
        "a-user-entry",
        "a-project-entry",
    }
    # nothing in the home but the index cache
    claude = Path(memory_env.environ["CLAUDE_CONFIG_DIR"])
    data = Path(memory_env.environ["RULESYNC_MEMORY_HOME"])
    assert not claude.exists() and not data.exists(), home_before


@pytest.mark.parametrize("value", ["../outside", "/etc", "a/../../b"])
def test_a_folder_outside_the_project_is_refused(
    memory_env: MemoryEnv, run_cli, value: str
) -> None:
    (memory_env.project / "rulesync.yaml").write_text(f"memory:\n  dir: {value}\n")
    result = run_cli("-C", memory_env.project, "memory", "list")
    assert result.exit_code == 2
    assert "`memory.dir`" in result.stderr


def test_a_symlink_on_the_way_is_refused(memory_env: MemoryEnv, run_cli, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    before = tree_digest(outside)
    os.symlink(outside, memory_env.project / "notes")
    (memory_env.project / "rulesync.yaml").write_text("memory: {dir: notes/memory}\n")
    with pytest.raises(ConfigError, match="is a symlink"):
        resolve(memory_env.project, memory_env.environ, claude=True)
    result = run_cli(
        "-C", memory_env.project, "memory", "add", "-c", "project", "-t", "x", "-d", "y"
    )
    assert result.exit_code == 2
    assert "is a symlink" in result.stderr
    assert tree_digest(outside) == before
