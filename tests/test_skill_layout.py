"""Where mirror puts skills, so that each CLI sees each skill once and no command as a skill.

The real CLIs' loaders confirm the same in tests/test_cli_skill_loaders.py.
"""

from __future__ import annotations

from pathlib import Path

from skill_layout_fixture import (
    CLAUDE_SKILLS,
    CODEX_SKILLS,
    GEMINI_SKILLS,
    LAYOUT_PROJECT,
)


def skill_names(root: Path, folder: str, *, deep: bool = False) -> list[str]:
    base = root / folder
    pattern = "**/SKILL.md" if deep else "*/SKILL.md"
    return sorted(p.parent.name for p in base.glob(pattern)) if base.is_dir() else []


def gemini_sees(root: Path) -> list[str]:
    """Gemini 0.61: `.gemini/skills/*/SKILL.md` and `.agents/skills/*/SKILL.md`."""
    return sorted(skill_names(root, ".gemini/skills") + skill_names(root, ".agents/skills"))


def codex_sees(root: Path) -> list[str]:
    """Codex 0.171: `.codex/skills` and `.agents/skills`, recursively."""
    found = skill_names(root, ".codex/skills", deep=True)
    return sorted(found + skill_names(root, ".agents/skills", deep=True))


def test_each_cli_sees_each_skill_once(build_tree, run_cli) -> None:
    root = build_tree(LAYOUT_PROJECT)
    result = run_cli("-C", root, "mirror")
    assert result.exit_code == 0, result.stderr
    assert gemini_sees(root) == sorted(GEMINI_SKILLS)
    assert codex_sees(root) == sorted(CODEX_SKILLS)
    assert skill_names(root, ".claude/skills") == sorted(CLAUDE_SKILLS)


def test_shared_skill_is_written_once_and_the_rest_to_each_own_folder(build_tree, run_cli) -> None:
    root = build_tree(LAYOUT_PROJECT)
    assert run_cli("-C", root, "mirror").exit_code == 0
    assert skill_names(root, ".agents/skills") == ["shared"]
    assert skill_names(root, ".gemini/skills") == ["differs", "gemini-only"]
    assert skill_names(root, ".codex/skills") == ["codex-only", "differs", "fix", "git-sync"]
    gemini = (root / ".gemini/skills/differs/SKILL.md").read_text()
    codex = (root / ".codex/skills/differs/SKILL.md").read_text()
    assert "Gemini's part." in gemini
    assert "Gemini's part." not in codex


def test_command_skills_never_reach_gemini(build_tree, run_cli) -> None:
    root = build_tree({**LAYOUT_PROJECT, "rulesync.yaml": "targets: [gemini, codex]\n"})
    assert run_cli("-C", root, "mirror").exit_code == 0
    assert (root / ".gemini/commands/fix.toml").is_file()
    assert (root / ".codex/skills/fix/SKILL.md").is_file()
    assert not {"fix", "git-sync"} & set(gemini_sees(root))


def test_codex_alone_keeps_skills_in_the_shared_folder(build_tree, run_cli) -> None:
    root = build_tree({**LAYOUT_PROJECT, "rulesync.yaml": "targets: [codex]\n"})
    assert run_cli("-C", root, "mirror").exit_code == 0
    assert skill_names(root, ".agents/skills") == ["codex-only", "differs", "shared"]
    assert skill_names(root, ".codex/skills") == ["fix", "git-sync"]


def test_gemini_alone_uses_its_own_folder_unless_told(build_tree, run_cli) -> None:
    root = build_tree({**LAYOUT_PROJECT, "rulesync.yaml": "targets: [gemini]\n"})
    assert run_cli("-C", root, "mirror").exit_code == 0
    assert skill_names(root, ".gemini/skills") == ["differs", "gemini-only", "shared"]
    assert not (root / ".agents").exists()
    told = "targets: [gemini]\ngemini:\n  skills_dir: .agents/skills\n"
    (root / "rulesync.yaml").write_text(told)
    assert run_cli("-C", root, "mirror").exit_code == 0
    assert skill_names(root, ".agents/skills") == ["differs", "gemini-only", "shared"]
    assert not (root / ".gemini/skills").exists()


def test_gemini_folder_by_choice_moves_codex_copies_out_of_the_shared_folder(
    build_tree, run_cli
) -> None:
    config = "targets: [gemini, codex]\ngemini:\n  skills_dir: .gemini/skills\n"
    root = build_tree({**LAYOUT_PROJECT, "rulesync.yaml": config})
    assert run_cli("-C", root, "mirror").exit_code == 0
    assert not (root / ".agents").exists()
    assert gemini_sees(root) == sorted(GEMINI_SKILLS)
    assert codex_sees(root) == sorted(CODEX_SKILLS)


def test_a_skill_that_moves_folder_leaves_no_copy_behind(build_tree, run_cli) -> None:
    root = build_tree({**LAYOUT_PROJECT, "rulesync.yaml": "targets: [codex]\n"})
    assert run_cli("-C", root, "mirror").exit_code == 0
    assert (root / ".agents/skills/codex-only/SKILL.md").is_file()
    (root / "rulesync.yaml").write_text("targets: [gemini, codex]\n")
    result = run_cli("-C", root, "mirror")
    assert result.exit_code == 0, result.stderr
    assert not (root / ".agents/skills/codex-only").exists()
    assert gemini_sees(root) == sorted(GEMINI_SKILLS)
    assert codex_sees(root) == sorted(CODEX_SKILLS)
    assert run_cli("-C", root, "check").exit_code == 0


def test_claude_command_shadowed_by_a_skill_of_its_name_warns(build_tree, run_cli) -> None:
    root = build_tree(
        {
            "rulesync.yaml": "targets: [claude]\n",
            ".rulesync/skills/fix/SKILL.md": "---\nname: fix\ndescription: F\n---\nFix.\n",
            ".rulesync/commands/fix.md": "---\ndescription: d\n---\nFix $ARGUMENTS.\n",
        }
    )
    result = run_cli("-C", root, "mirror")
    assert result.exit_code == 0
    assert (
        "warning: .rulesync/commands/fix.md: a skill named `fix` exists too: Claude Code merges "
        "commands into skills and the skill wins, so `/fix` runs the skill; rename one"
    ) in result.stderr
