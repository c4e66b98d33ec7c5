"""A snapshot of every generated file of the sample project, for every target.

The sample project uses every kind of source (rules with `only` passages and globs, nested
commands, skills with supporting files, subagents with per-target overrides, lint settings),
so these snapshots cover every file kind each target writes. Update with
`pytest tests/test_snapshots.py --snapshot-update` and review the diff.
"""

from __future__ import annotations

import pytest
from sample import copy_sample

KINDS = {
    "claude": [
        "CLAUDE.md",
        ".claude/rules/",  # scoped rules (`globs: [infra/**, backend/**]`)
        ".claude/commands/",
        ".claude/skills/",
        ".claude/agents/",
        ".claude/settings.json",
    ],
    "gemini": [
        "GEMINI.md",
        "infra/GEMINI.md",
        "backend/GEMINI.md",
        ".gemini/commands/",
        ".gemini/agents/",
        ".gemini/settings.json",
    ],
    "codex": [
        "AGENTS.md",
        "infra/AGENTS.md",
        "backend/AGENTS.md",
        ".agents/skills/",
        ".codex/skills/",
        ".codex/agents/",
    ],
}


@pytest.fixture(scope="module")
def mirrored(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    from rulesync.cli import main

    root = tmp_path_factory.mktemp("sample") / "project"
    copy_sample(root)
    assert main(["-C", str(root), "mirror"]) == 0
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and _is_output(p.relative_to(root).as_posix())
    }


def _is_output(path: str) -> bool:
    return any(
        path == prefix or path.startswith(prefix) for kinds in KINDS.values() for prefix in kinds
    )


def test_every_file_kind_is_produced(mirrored: dict[str, bytes]) -> None:
    for kinds in KINDS.values():
        for prefix in kinds:
            assert any(path.startswith(prefix) for path in mirrored), prefix


@pytest.mark.parametrize("target", sorted(KINDS))
def test_generated_files(mirrored: dict[str, bytes], target: str, snapshot) -> None:
    files = {
        path: content.decode("utf-8")
        for path, content in mirrored.items()
        if any(path.startswith(prefix) for prefix in KINDS[target])
    }
    assert files == snapshot
