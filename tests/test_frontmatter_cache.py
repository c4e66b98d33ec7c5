"""The frontmatter parse cache: the same Project as a parse, never a source of errors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import BuildTree

from rulesync.errors import ConfigError
from rulesync.source import frontmatter, frontmatter_cache
from rulesync.source.loader import load_project
from rulesync.source.model import Project

FILES = {
    "rulesync.yaml": "targets: [claude, gemini, codex]\n",
    ".rulesync/rules/style.md": "---\nroot: true\n---\n# Style\n",
    ".rulesync/rules/api.md": (
        "---\ndescription: API rules\nglobs: ['src/api/**']\nclaude:\n  description: For Claude\n---\nUse REST.\n"
    ),
    ".rulesync/commands/review.md": (
        '---\ndescription: Review\nargument-hint: "[file]"\nallowed-tools: Bash(git:*), Read\n'
        "---\nReview $ARGUMENTS.\n"
    ),
    ".rulesync/subagents/helper.md": (
        "---\nname: helper\ndescription: Helps\ntools: [Read, Grep]\ntemperature: 0.5\n"
        "max_turns: 3\n---\nYou help.\n"
    ),
}


def bundles(folder: Path) -> list[Path]:
    return sorted(folder.glob("frontmatter-*/*.json"))


def shape(project: Project) -> list[tuple[Any, ...]]:
    items = (*project.rules, *project.commands, *project.skills, *project.subagents)
    return [(i.path, dict(i.fields), dict(i.overrides), i.targets, i.segments) for i in items]


def count_parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The YAML texts handed to the YAML parser from now on."""
    parsed: list[str] = []
    real = frontmatter._load_yaml

    def counting(yaml_text: str, display: str) -> dict[str, Any]:
        parsed.append(yaml_text)
        return real(yaml_text, display)

    monkeypatch.setattr(frontmatter, "_load_yaml", counting)
    return parsed


def test_second_load_parses_nothing_and_gives_the_same_project(
    build_tree: BuildTree, cache_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = build_tree(FILES)
    first = load_project(root)
    assert len(bundles(cache_folder)) == 1
    parsed = count_parses(monkeypatch)
    second = load_project(root)
    assert parsed == []
    assert shape(second) == shape(first)
    assert second.subagents[0].fields["temperature"] == 0.5
    rules = {rule.path: rule for rule in second.rules}
    assert rules[".rulesync/rules/style.md"].fields["root"] is True


def test_a_changed_block_is_parsed_again_and_only_it(
    build_tree: BuildTree, cache_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = build_tree(FILES)
    load_project(root)
    (root / ".rulesync/rules/api.md").write_text("---\ndescription: Changed\n---\nUse REST.\n")
    parsed = count_parses(monkeypatch)
    project = load_project(root)
    assert parsed == ["description: Changed"]
    rules = {rule.path: rule for rule in project.rules}
    assert rules[".rulesync/rules/api.md"].fields == {"description": "Changed"}


def test_dates_are_not_kept(
    build_tree: BuildTree, cache_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """JSON would give a date back as a string: such a block is parsed on every load."""
    root = build_tree(
        {**FILES, ".rulesync/rules/dated.md": "---\ndescription: 2024-01-02\n---\nBody.\n"}
    )
    with pytest.raises(ConfigError) as first:
        load_project(root)
    parsed = count_parses(monkeypatch)
    with pytest.raises(ConfigError) as second:
        load_project(root)
    assert parsed == ["description: 2024-01-02"]
    assert str(second.value) == str(first.value)


def test_malformed_yaml_is_reported_on_every_load(
    build_tree: BuildTree, cache_folder: Path
) -> None:
    root = build_tree({**FILES, ".rulesync/rules/bad.md": "---\ndescription: [open\n---\nB\n"})
    for _ in range(2):
        with pytest.raises(ConfigError, match="malformed YAML frontmatter"):
            load_project(root)


@pytest.mark.parametrize(
    "content",
    [
        "not json",
        "[]",
        '{"blocks": []}',
        '{"blocks": {"root: true": "a string"}}',
        '{"blocks": {"root: true": ' + "[" * 100_000 + "]" * 100_000 + "}}",
    ],
)
def test_a_broken_cache_file_is_ignored(
    build_tree: BuildTree, cache_folder: Path, content: str
) -> None:
    root = build_tree(FILES)
    expected = shape(load_project(root))
    (bundle,) = bundles(cache_folder)
    bundle.write_text(content, encoding="utf-8")
    assert shape(load_project(root)) == expected
    assert len(json.loads(bundle.read_text(encoding="utf-8"))["blocks"]) == 4


def test_a_copy_of_the_project_elsewhere_parses_nothing(
    build_tree: BuildTree, cache_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = build_tree(FILES)
    expected = shape(load_project(root))
    copy = tmp_path / "copy"
    shutil.copytree(root, copy)
    parsed = count_parses(monkeypatch)
    assert shape(load_project(copy)) == expected
    assert parsed == []


def test_the_latest_blocks_come_first_and_old_ones_only_while_they_fit(
    build_tree: BuildTree, cache_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(frontmatter_cache, "KEEP_CHARACTERS", 60)
    root = build_tree(FILES)
    load_project(root)
    rule = root / ".rulesync/rules/api.md"
    rule.write_text("---\ndescription: Second\n---\nB\n")
    load_project(root)
    (bundle,) = bundles(cache_folder)
    blocks = list(json.loads(bundle.read_text(encoding="utf-8"))["blocks"])
    assert blocks[0] == "description: Second"  # this load's blocks, in the order read
    assert len(blocks) == 4  # none of the earlier load left: the old api block is too long
    rule.write_text("---\ndescription: Third\n---\nB\n")
    load_project(root)
    blocks = list(json.loads(bundle.read_text(encoding="utf-8"))["blocks"])
    assert blocks[0] == "description: Third"
    assert blocks[4:] == ["description: Second"]  # an earlier one that fits


def test_the_same_block_twice_gives_separate_objects(
    build_tree: BuildTree, cache_folder: Path
) -> None:
    block = "---\ndescription: Same\nglobs: [a/**]\n---\n"
    root = build_tree({**FILES, ".rulesync/rules/a.md": block, ".rulesync/rules/b.md": block})
    for _ in range(2):
        rules = {r.path: r for r in load_project(root).rules}
        a, b = rules[".rulesync/rules/a.md"], rules[".rulesync/rules/b.md"]
        assert a.fields == b.fields == {"description": "Same", "globs": ["a/**"]}
        assert a.fields["globs"] is not b.fields["globs"]


def test_no_cache_writes_nothing(
    build_tree: BuildTree, cache_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RULESYNC_NO_CACHE", "1")
    root = build_tree(FILES)
    load_project(root)
    parsed = count_parses(monkeypatch)
    load_project(root)
    assert not cache_folder.exists()
    assert len(parsed) == 4
