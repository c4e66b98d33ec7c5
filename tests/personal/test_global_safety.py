"""Hostile global locks and symlinked dotfiles: nothing outside HOME ever changes."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from typing import Any

import pytest

from tests.personal.conftest import Personal
from tests.treestate import tree_state


def _lock_with(personal: Personal, *paths: str) -> None:
    files = {p: {"sha256": "0" * 64, "source": "rules/me.md", "targets": ["claude"]} for p in paths}
    personal.lock.parent.mkdir(parents=True, exist_ok=True)
    personal.lock.write_text(json.dumps({"version": 1, "inputs": None, "files": files}))


@pytest.mark.parametrize(
    "entry",
    [
        "../outside/notes.txt",
        "/etc/hostname",
        ".claude/../../outside/notes.txt",
        ".config/rulesync/rules/me.md",
        ".claude\\CLAUDE.md",
        "",
    ],
)
def test_a_hostile_lock_entry_is_refused_before_anything_is_touched(
    personal: Personal, run_cli: Callable[..., Any], entry: str
) -> None:
    _lock_with(personal, entry)
    before, home_before = tree_state(personal.outside), tree_state(personal.home)
    for command in ("mirror", "check"):
        result = run_cli(command, "--global")
        assert result.exit_code == 2, result.stdout
        assert "global.lock" in result.stderr and "lock entry" in result.stderr
    assert tree_state(personal.outside) == before
    assert tree_state(personal.home) == home_before


def test_a_lock_entry_through_a_link_out_of_home_is_refused(
    personal: Personal, run_cli: Callable[..., Any]
) -> None:
    os.symlink(personal.outside, personal.home / "out")
    _lock_with(personal, "out/notes.txt")
    before = tree_state(personal.outside)
    result = run_cli("mirror", "--global", "--force")
    assert result.exit_code == 2
    assert "symlink" in result.stderr
    assert tree_state(personal.outside) == before


@pytest.mark.parametrize(
    "content", ["{", "[]", '{"files": {"x": 1}}', '{"files": {"x": {"sha256": 5}}}']
)
def test_a_damaged_lock_is_exit_2_with_the_fix(
    personal: Personal, run_cli: Callable[..., Any], content: str
) -> None:
    personal.lock.parent.mkdir(parents=True)
    personal.lock.write_text(content)
    result = run_cli("mirror", "--global")
    assert result.exit_code == 2
    assert "damaged" in result.stderr and "global.lock" in result.stderr


def test_a_lock_that_is_a_symlink_is_refused(
    personal: Personal, run_cli: Callable[..., Any]
) -> None:
    personal.lock.parent.mkdir(parents=True)
    os.symlink(personal.outside / "notes.txt", personal.lock)
    before = tree_state(personal.outside)
    result = run_cli("mirror", "--global")
    assert result.exit_code == 2
    assert "not a regular file" in result.stderr
    assert tree_state(personal.outside) == before


# --- symlinked dotfiles --------------------------------------------------------------


def test_a_linked_agent_folder_inside_home_is_followed(
    personal: Personal, run_cli: Callable[..., Any]
) -> None:
    dotfiles = personal.home / "dotfiles" / "claude"
    dotfiles.mkdir(parents=True)
    os.symlink("dotfiles/claude", personal.home / ".claude")
    result = run_cli("mirror", "--global")
    assert result.exit_code == 0, result.stderr
    assert "~/.claude: a symlink (to dotfiles/claude), followed inside HOME" in result.stderr
    assert (dotfiles / "CLAUDE.md").is_file()
    assert (dotfiles / "commands/review-mine.md").is_file()
    assert os.readlink(personal.home / ".claude") == "dotfiles/claude"
    lock = json.loads(personal.lock.read_text())
    assert "dotfiles/claude/CLAUDE.md" in lock["files"]
    again = run_cli("mirror", "--global")
    assert again.exit_code == 0 and "nothing to do" in again.stdout
    assert run_cli("check", "--global").exit_code == 0


def test_a_linked_claude_md_is_written_at_its_target_inside_home(
    personal: Personal, run_cli: Callable[..., Any]
) -> None:
    assert run_cli("mirror", "--global").exit_code == 0
    # the user moves the file into a dotfiles repo and links it back, as stow does
    claude_md = personal.home / ".claude/CLAUDE.md"
    (personal.home / "dotfiles").mkdir()
    os.replace(claude_md, personal.home / "dotfiles/CLAUDE.md")
    os.symlink("../dotfiles/CLAUDE.md", claude_md)
    personal.source({"rules/me.md": "---\nroot: true\n---\n# New orders\n"})
    result = run_cli("mirror", "--global")
    # rulesync wrote dotfiles/CLAUDE.md under another name: not in the lock, so a conflict
    assert result.exit_code == 1
    assert "dotfiles/CLAUDE.md" in result.stdout
    assert "New orders" not in (personal.home / "dotfiles/CLAUDE.md").read_text()
    forced = run_cli("mirror", "--global", "--force")
    assert forced.exit_code == 0, forced.stderr
    assert os.path.islink(claude_md)
    assert "New orders" in claude_md.read_text()
    assert run_cli("mirror", "--global").stdout.startswith("mirror: nothing to do")


def test_a_hand_written_linked_claude_md_is_never_overwritten(
    personal: Personal, run_cli: Callable[..., Any]
) -> None:
    personal.write({"dotfiles/CLAUDE.md": "# mine\n"})
    (personal.home / ".claude").mkdir()
    os.symlink("../dotfiles/CLAUDE.md", personal.home / ".claude/CLAUDE.md")
    result = run_cli("mirror", "--global")
    assert result.exit_code == 1
    assert "exists, but rulesync did not write it" in result.stdout
    assert (personal.home / "dotfiles/CLAUDE.md").read_text() == "# mine\n"


@pytest.mark.parametrize("where", [".claude", ".claude/CLAUDE.md"])
def test_a_link_leading_outside_home_is_refused(
    personal: Personal, run_cli: Callable[..., Any], where: str
) -> None:
    target = personal.outside / "claude"
    if where.endswith(".md"):
        (personal.home / ".claude").mkdir()
        target = target / "CLAUDE.md"
    os.symlink(target, personal.home / where)
    before = tree_state(personal.outside)
    for args in (("mirror", "--global"), ("mirror", "--global", "--force")):
        result = run_cli(*args)
        assert result.exit_code == 2
        assert "leads outside your home folder" in result.stderr
    assert tree_state(personal.outside) == before
    assert not (personal.home / ".codex").exists()  # refused before anything is written


def test_two_agent_folders_linked_to_one_place_are_refused_when_they_differ(
    personal: Personal, run_cli: Callable[..., Any]
) -> None:
    skill = (
        "---\nname: tidy\ndescription: Tidy\nclaude:\n  description: Tidy for Claude\n---\nTidy.\n"
    )
    personal.source({"skills/tidy/SKILL.md": skill})
    (personal.home / "shared").mkdir()
    os.symlink("shared", personal.home / ".claude")
    os.symlink("shared", personal.home / ".agents")  # ~/.agents/skills is ~/.claude/skills
    result = run_cli("mirror", "--global")
    assert result.exit_code == 2, result.stdout
    assert "two agent folders lead to one place" in result.stderr
    assert list((personal.home / "shared").iterdir()) == []


def test_a_link_into_the_personal_folder_is_refused(
    personal: Personal, run_cli: Callable[..., Any]
) -> None:
    os.symlink(".config/rulesync", personal.home / ".claude")
    source_before = tree_state(personal.config)
    result = run_cli("mirror", "--global", "--force")
    assert result.exit_code == 2
    assert "lies in the source folder" in result.stderr
    assert tree_state(personal.config) == source_before
