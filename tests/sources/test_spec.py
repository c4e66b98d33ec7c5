"""Malformed `sources:` entries: every problem with rulesync.yaml's line and the fix."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

CASES = [
    ("sources: {repo: x}\n", ["rulesync.yaml:2: `sources` must be a list"]),
    ("sources:\n  - just-a-string\n", ["rulesync.yaml:3: `sources[0]` must be a mapping"]),
    ("sources:\n  - rev: v1\n", ["rulesync.yaml:3: a source needs `repo` (add `repo:` to it)"]),
    ("sources:\n  - repo: ./p\n", ["rulesync.yaml:3: a source needs `rev`"]),
    (
        "sources:\n  - repo: ./p\n    rev: v1\n    revision: v2\n",
        ["rulesync.yaml:5: unknown key `revision` in a source (known: repo, rev, path, include)"],
    ),
    ("sources:\n  - repo: ./p\n    rev: [1]\n", ["rulesync.yaml:4: `rev` must be text"]),
    (
        "sources:\n  - repo: --upload-pack=x\n    rev: v1\n",
        ["rulesync.yaml:3: `repo` must not start with `-`"],
    ),
    ("sources:\n  - repo: ./p\n    rev: --all\n", ["rulesync.yaml:4: `rev` '--all' is not a tag"]),
    (
        "sources:\n  - repo: ./p\n    rev: v1\n    include: 3\n",
        ["rulesync.yaml:5: `include` must be a list of globs"],
    ),
    (
        "sources:\n  - repo: ./p\n    rev: v1\n  - repo: ./p\n    rev: v2\n",
        ["rulesync.yaml:5: source ./p (root) is listed twice"],
    ),
    (
        "sources:\n  - repo: ./p\n  - rev: v1\n",
        ["rulesync.yaml:3: a source needs `rev`", "rulesync.yaml:4: a source needs `repo`"],
    ),
    (
        "sorces: []\n",
        [
            "rulesync.yaml:2: unknown key `sorces` (did you mean `sources`? `sources:` lists rule packs"
        ],
    ),
]


@pytest.mark.parametrize(("yaml", "expected"), CASES)
def test_malformed_entries_name_the_line(
    project: Callable[..., Path], run_cli: Callable[..., object], yaml: str, expected: list[str]
) -> None:
    root = project(yaml)
    result = run_cli("-C", root, "mirror")
    assert result.exit_code == 2
    for message in expected:
        assert message in result.stderr
    assert not (root / "CLAUDE.md").exists()
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("sourcse:\n  - repo: x\n    rev: v1\n", "did you mean `sources`?"),
        ("sorces:\n  - repo: x\n    rev: v1\n", "did you mean `sources`?"),
        ("sourc: .rules\n", "did you mean `source`?"),
    ],
)
def test_a_typo_of_source_or_sources_names_both(tmp_path: Path, text: str, first: str) -> None:
    from rulesync.errors import ConfigError
    from rulesync.source.config import load_config

    (tmp_path / "rulesync.yaml").write_text(f"targets: [claude]\n{text}")
    with pytest.raises(ConfigError) as raised:
        load_config(tmp_path)
    message = str(raised.value)
    assert "rulesync.yaml:2" in message
    assert first in message
    assert "`source:` is the folder of your own rules" in message
    assert "`sources:` lists rule packs pinned from git" in message


def test_a_list_under_source_and_a_folder_under_sources_point_at_the_other(
    tmp_path: Path,
) -> None:
    from rulesync.errors import ConfigError
    from rulesync.source.config import load_config

    (tmp_path / "rulesync.yaml").write_text("source:\n  - repo: x\n    rev: v1\n")
    with pytest.raises(ConfigError) as raised:
        load_config(tmp_path)
    assert "a list of rule packs from git goes under `sources:`" in str(raised.value)
    (tmp_path / "rulesync.yaml").write_text("sources: .rules\n")
    with pytest.raises(ConfigError) as raised:
        load_config(tmp_path)
    assert "the folder of your own rules is `source: .rules` (no s)" in str(raised.value)
