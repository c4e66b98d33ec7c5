"""`rulesync import --global`: hand-written user files adopted into ~/.config/rulesync."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from typing import Any

import pytest

from tests.personal.conftest import Personal
from tests.treestate import tree_state

HAND_WRITTEN = "# My global rules\n\n- Be terse.\n- Use British spelling.\n"
EXPLAIN = "---\ndescription: Explain code\n---\nExplain $ARGUMENTS step by step.\n"


@pytest.fixture
def hand_written(personal: Personal) -> Personal:
    shutil.rmtree(personal.config)
    personal.write({".claude/CLAUDE.md": HAND_WRITTEN, ".claude/commands/explain.md": EXPLAIN})
    return personal


def test_import_then_mirror_round_trip(
    hand_written: Personal, run_cli: Callable[..., Any], read_home: Callable[[str], str]
) -> None:
    personal = hand_written
    refused = run_cli("mirror", "--global")
    assert refused.exit_code == 2  # no personal folder yet: the error names the import
    assert "rulesync import --global" in refused.stderr
    result = run_cli("import", "--global")
    assert result.exit_code == 0, result.stderr
    assert "~/.config/rulesync/rules/main.md  (from ~/.claude/CLAUDE.md)" in result.stdout
    assert "rewrite" in result.stdout and "~/.claude/CLAUDE.md" in result.stdout
    assert "Be terse." in (personal.config / "rules/main.md").read_text()
    assert "Explain $ARGUMENTS" in (personal.config / "commands/explain.md").read_text()
    claude = read_home(".claude/CLAUDE.md")
    assert "Use British spelling." in claude and "rulesync mirror --global" in claude
    mirror = run_cli("mirror", "--global")
    assert mirror.exit_code == 0, mirror.stdout + mirror.stderr
    assert "conflict" not in mirror.stdout
    assert "2 unchanged" in mirror.stdout  # CLAUDE.md and the command, as import left them
    assert "Be terse." in read_home(".codex/AGENTS.md")
    assert "Explain" in read_home(".gemini/commands/explain.toml")
    assert run_cli("mirror", "--global").stdout.startswith("mirror: nothing to do")
    assert run_cli("check", "--global").exit_code == 0
    again = run_cli("import", "--global")
    assert again.exit_code == 0, again.stderr
    assert "nothing to do" in again.stdout


def test_dry_run_writes_nothing(hand_written: Personal, run_cli: Callable[..., Any]) -> None:
    before = tree_state(hand_written.home)
    result = run_cli("import", "--global", "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert "would create" in result.stdout and "would rewrite" in result.stdout
    assert tree_state(hand_written.home) == before
    assert not hand_written.state.exists()


def test_a_differing_personal_rule_is_not_overwritten_without_force(
    hand_written: Personal, run_cli: Callable[..., Any]
) -> None:
    hand_written.source({"rules/main.md": "# something else\n"})
    result = run_cli("import", "--global", "--from", "claude")
    assert result.exit_code == 2
    assert "~/.config/rulesync/rules/main.md" in result.stderr
    assert (hand_written.config / "rules/main.md").read_text() == "# something else\n"
    assert (hand_written.home / ".claude/CLAUDE.md").read_text() == HAND_WRITTEN
    forced = run_cli("import", "--global", "--from", "claude", "--force")
    assert forced.exit_code == 0, forced.stderr
    assert "Be terse." in (hand_written.config / "rules/main.md").read_text()


def test_codex_system_skills_and_links_are_not_imported(
    hand_written: Personal, run_cli: Callable[..., Any]
) -> None:
    personal = hand_written
    system = "---\nname: imagegen\ndescription: bundled with Codex\n---\nx\n"
    personal.write(
        {
            ".codex/AGENTS.md": "# Codex orders\n",
            ".codex/skills/.system/imagegen/SKILL.md": system,
        }
    )
    os.symlink(personal.outside / "notes.txt", personal.home / ".codex/skills/linked.md")
    before = tree_state(personal.outside)
    result = run_cli("import", "--global", "--from", "codex")
    assert result.exit_code == 0, result.stderr
    assert not (personal.config / "skills/imagegen").exists()
    assert "Codex orders" in (personal.config / "rules/main.md").read_text()
    assert tree_state(personal.outside) == before


def test_detection_asks_when_several_agents_have_files(
    hand_written: Personal, run_cli: Callable[..., Any]
) -> None:
    hand_written.write({".gemini/GEMINI.md": "# Gemini orders\n"})
    result = run_cli("import", "--global")
    assert result.exit_code == 2
    assert "found claude, gemini" in result.stderr and "--from" in result.stderr


def test_an_agent_folder_linked_outside_home_is_refused(
    hand_written: Personal, run_cli: Callable[..., Any]
) -> None:
    shutil.rmtree(hand_written.home / ".claude")
    os.symlink(hand_written.outside / "claude", hand_written.home / ".claude")
    before = tree_state(hand_written.outside)
    result = run_cli("import", "--global", "--from", "claude")
    assert result.exit_code == 2
    assert "leads outside your home folder" in result.stderr
    assert tree_state(hand_written.outside) == before
    assert not hand_written.config.exists()
