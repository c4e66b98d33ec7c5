"""`rulesync mirror`: plan, atomic writes, lock, conflicts, orphans, and what it never touches."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from tomlcompat import tomllib

BASE = {
    "rulesync.yaml": "targets: [claude, gemini, codex]\n",
    ".rulesync/rules/main.md": "---\nroot: true\n---\n# Main\n\nBe brief.\n",
    ".rulesync/rules/style.md": "---\ndescription: style\nglobs: ['**/*.py']\n---\n## Style\n\nShort names.\n",
    ".rulesync/commands/fix.md": "---\ndescription: Fix it\n---\nFix $ARGUMENTS now.\n",
    ".rulesync/skills/review/SKILL.md": "---\nname: review\ndescription: Review code\n---\nReview.\n",
    ".rulesync/skills/review/notes/checklist.md": "- correct\n",
    ".rulesync/subagents/helper.md": "---\nname: helper\ndescription: Helps\ntools: [Read, Grep]\n---\nYou help.\n",
}
EXPECTED_OUTPUTS = {
    "CLAUDE.md",
    "GEMINI.md",
    "AGENTS.md",
    ".claude/rules/style.md",  # a scoped rule: Claude Code's path-scoped rule file
    ".claude/commands/fix.md",
    ".claude/skills/review/SKILL.md",
    ".claude/skills/review/notes/checklist.md",
    ".claude/agents/helper.md",
    ".gemini/commands/fix.toml",
    ".gemini/agents/helper.md",
    ".agents/skills/review/SKILL.md",
    ".agents/skills/review/notes/checklist.md",
    ".codex/skills/fix/SKILL.md",
    ".codex/agents/helper.toml",
}


def outputs(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
        and not p.relative_to(root).as_posix().startswith(".rulesync/")
        and p.name != "rulesync.yaml"
    }


def test_fresh_mirror_creates_every_output(build_tree, run_cli) -> None:
    root = build_tree(BASE)
    result = run_cli("-C", root, "mirror")
    assert result.exit_code == 0, result.stderr
    assert set(outputs(root)) == EXPECTED_OUTPUTS
    for path in EXPECTED_OUTPUTS:
        assert f"create          {path}\n" in result.stdout
    assert result.stdout.endswith("mirror: 14 created, 0 updated, 0 removed, 0 unchanged\n")
    assert (root / ".rulesync/mirror.lock").is_file()


def test_second_run_writes_nothing(build_tree, run_cli) -> None:
    root = build_tree(BASE)
    run_cli("-C", root, "mirror")
    stamps = {p: (root / p).stat().st_mtime_ns for p in EXPECTED_OUTPUTS}
    lock = (root / ".rulesync/mirror.lock").read_bytes()
    result = run_cli("-C", root, "mirror")
    assert result.exit_code == 0
    assert result.stdout == "mirror: nothing to do (14 files up to date)\n"
    assert {p: (root / p).stat().st_mtime_ns for p in EXPECTED_OUTPUTS} == stamps
    assert (root / ".rulesync/mirror.lock").read_bytes() == lock


def test_output_is_deterministic_across_projects(build_tree, run_cli, tmp_path: Path) -> None:
    first = build_tree(BASE)
    run_cli("-C", first, "mirror")
    snapshot = outputs(first)
    second = tmp_path / "second"
    for rel, text in BASE.items():
        (second / rel).parent.mkdir(parents=True, exist_ok=True)
        (second / rel).write_text(text)
    run_cli("-C", second, "mirror")
    assert outputs(second) == snapshot
    assert (first / ".rulesync/mirror.lock").read_bytes() == (
        second / ".rulesync/mirror.lock"
    ).read_bytes()
    for content in snapshot.values():
        assert b"\r" not in content


def test_source_change_updates_only_that_output(build_tree, run_cli) -> None:
    root = build_tree(BASE)
    run_cli("-C", root, "mirror")
    (root / ".rulesync/subagents/helper.md").write_text(
        "---\nname: helper\ndescription: Helps more\n---\nYou help.\n"
    )
    result = run_cli("-C", root, "mirror")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "update          .claude/agents/helper.md",
        "update          .codex/agents/helper.toml",
        "update          .gemini/agents/helper.md",
        "mirror: 0 created, 3 updated, 0 removed, 11 unchanged",
    ]


def test_hand_edit_is_a_conflict_with_diff_and_nothing_written(build_tree, run_cli) -> None:
    root = build_tree(BASE)
    run_cli("-C", root, "mirror")
    claude = root / "CLAUDE.md"
    claude.write_text(claude.read_text() + "My own note.\n")
    (root / ".rulesync/commands/fix.md").write_text("Fix $ARGUMENTS carefully.\n")
    before = outputs(root)
    result = run_cli("-C", root, "mirror")
    assert result.exit_code == 1
    assert "conflict        CLAUDE.md  (edited by hand since rulesync wrote it)" in result.stdout
    assert "--- a/CLAUDE.md\n+++ b/CLAUDE.md\n" in result.stdout
    assert "-My own note.\n" in result.stdout
    assert "nothing was written" in result.stderr
    assert "rulesync mirror --force" in result.stderr
    assert outputs(root) == before

    forced = run_cli("-C", root, "mirror", "--force")
    assert forced.exit_code == 0
    assert "overwrite       CLAUDE.md" in forced.stdout
    assert "My own note." not in claude.read_text()
    assert "carefully" in (root / ".claude/commands/fix.md").read_text()


def test_deleted_source_makes_an_orphan_that_is_removed(build_tree, run_cli) -> None:
    root = build_tree(BASE)
    run_cli("-C", root, "mirror")
    (root / ".rulesync/subagents/helper.md").unlink()
    result = run_cli("-C", root, "mirror")
    assert result.exit_code == 0
    assert (
        "remove          .codex/agents/helper.toml  (its source .rulesync/subagents/helper.md is gone)"
        in result.stdout
    )
    assert not (root / ".codex/agents").exists()  # the emptied folder goes too
    assert not (root / ".claude/agents/helper.md").exists()
    lock = json.loads((root / ".rulesync/mirror.lock").read_text())
    assert ".claude/agents/helper.md" not in lock["files"]


def test_hand_edited_orphan_is_kept_as_a_conflict(build_tree, run_cli) -> None:
    root = build_tree(BASE)
    run_cli("-C", root, "mirror")
    (root / ".codex/agents/helper.toml").write_text("# mine now\n")
    (root / ".rulesync/subagents/helper.md").unlink()
    result = run_cli("-C", root, "mirror")
    assert result.exit_code == 1
    assert (
        "conflict        .codex/agents/helper.toml  (its source .rulesync/subagents/helper.md is gone, and it was edited by hand)"
        in result.stdout
    )
    assert (root / ".codex/agents/helper.toml").read_text() == "# mine now\n"


def test_user_files_beside_ours_are_never_touched(build_tree, run_cli) -> None:
    root = build_tree(
        {
            **BASE,
            ".claude/skills/theirs/SKILL.md": "their skill\n",
            ".agents/skills/other-tool/SKILL.md": "another tool's skill\n",
            ".claude/commands/mine.md": "my command\n",
        }
    )
    run_cli("-C", root, "mirror")
    (root / ".rulesync/skills/review/SKILL.md").unlink()
    (root / ".rulesync/skills/review/notes/checklist.md").unlink()
    result = run_cli("-C", root, "mirror")
    assert result.exit_code == 0
    assert (root / ".claude/skills/theirs/SKILL.md").read_text() == "their skill\n"
    assert (root / ".agents/skills/other-tool/SKILL.md").read_text() == "another tool's skill\n"
    assert (root / ".claude/commands/mine.md").read_text() == "my command\n"
    assert "theirs" not in result.stdout and "mine.md" not in result.stdout


def test_existing_unmanaged_file_at_an_output_path_is_a_conflict(build_tree, run_cli) -> None:
    root = build_tree({**BASE, "CLAUDE.md": "# my hand-kept CLAUDE.md\n"})
    result = run_cli("-C", root, "mirror")
    assert result.exit_code == 1
    assert "conflict        CLAUDE.md  (exists, but rulesync did not write it)" in result.stdout
    assert (root / "CLAUDE.md").read_text() == "# my hand-kept CLAUDE.md\n"
    assert not (root / "GEMINI.md").exists()


def test_existing_identical_file_is_adopted(build_tree, run_cli, tmp_path: Path) -> None:
    donor = build_tree(BASE)
    run_cli("-C", donor, "mirror")
    claude = (donor / "CLAUDE.md").read_bytes()
    other = tmp_path / "other"
    for rel, text in BASE.items():
        (other / rel).parent.mkdir(parents=True, exist_ok=True)
        (other / rel).write_text(text)
    (other / "CLAUDE.md").write_bytes(claude)
    result = run_cli("-C", other, "mirror")
    assert result.exit_code == 0
    assert "CLAUDE.md" not in result.stdout.replace(".claude", "")
    assert "CLAUDE.md" in json.loads((other / ".rulesync/mirror.lock").read_text())["files"]


def test_dry_run_writes_nothing(build_tree, run_cli) -> None:
    root = build_tree(BASE)
    result = run_cli("-C", root, "mirror", "--dry-run")
    assert result.exit_code == 0
    assert "would create    CLAUDE.md" in result.stdout
    assert "mirror (dry run, nothing written): 14 created" in result.stdout
    assert outputs(root) == {}
    assert not (root / ".rulesync/mirror.lock").exists()


def test_target_subset_leaves_other_targets_alone(build_tree, run_cli) -> None:
    root = build_tree(BASE)
    result = run_cli("-C", root, "mirror", "--target", "claudecode")
    assert result.exit_code == 0
    assert {p for p in outputs(root)} == {
        p for p in EXPECTED_OUTPUTS if p.startswith((".claude/", "CLAUDE"))
    }
    again = run_cli("-C", root, "mirror")
    assert "create          GEMINI.md" in again.stdout
    assert "CLAUDE.md" not in again.stdout.replace(".claude", "")


def test_unknown_target_option_is_a_usage_error(build_tree, run_cli) -> None:
    root = build_tree({**BASE, "rulesync.yaml": "targets: [claude]\n"})
    result = run_cli("-C", root, "mirror", "--target", "gemini")
    assert result.exit_code == 2
    assert "`gemini` is not a target of this project" in result.stderr


def test_dropping_a_target_removes_its_files(build_tree, run_cli) -> None:
    root = build_tree(BASE)
    run_cli("-C", root, "mirror")
    (root / "rulesync.yaml").write_text("targets: [claude, codex]\n")
    result = run_cli("-C", root, "mirror")
    assert result.exit_code == 0
    assert not (root / "GEMINI.md").exists()
    assert not (root / ".gemini").exists()
    assert (root / ".agents/skills/review/SKILL.md").exists()  # still Codex's


def test_only_passages_and_overrides(build_tree, run_cli) -> None:
    root = build_tree(
        {
            "rulesync.yaml": "targets: [claude, gemini, codex]\n",
            ".rulesync/rules/main.md": (
                "---\nroot: true\n---\nAll.\n<!-- only: claude, codexcli -->\nClaude and Codex.\n<!-- /only -->\n"
                "```md\n<!-- only: gemini -->\n```\nEnd.\n"
            ),
            ".rulesync/commands/ask.md": (
                "---\ndescription: Ask\nmodel: sonnet\ngemini:\n  description: Ask Gemini\ntargets: [claude, gemini]\n---\nAsk.\n"
            ),
        }
    )
    assert run_cli("-C", root, "mirror").exit_code == 0
    assert "Claude and Codex." in (root / "CLAUDE.md").read_text()
    assert "Claude and Codex." in (root / "AGENTS.md").read_text()
    gemini = (root / "GEMINI.md").read_text()
    assert "Claude and Codex." not in gemini
    assert "```md\n<!-- only: gemini -->\n```\nEnd." in gemini  # a marker inside code is text
    assert (
        tomllib.loads((root / ".gemini/commands/ask.toml").read_text())["description"]
        == "Ask Gemini"
    )
    claude_front = yaml.safe_load((root / ".claude/commands/ask.md").read_text().split("---")[1])
    assert claude_front == {"description": "Ask", "model": "sonnet"}
    assert not (root / ".agents/skills/ask").exists()  # targets excludes codex


def test_context_file_order_markers_and_globs(build_tree, run_cli) -> None:
    root = build_tree(BASE)
    run_cli("-C", root, "mirror")
    text = (root / "AGENTS.md").read_text()
    assert text == (
        "<!-- Generated by rulesync from .rulesync/rules/. Edit the source and run `rulesync mirror`. -->\n"
        "\n<!-- rulesync:source .rulesync/rules/main.md -->\n# Main\n\nBe brief.\n"
        "\n<!-- rulesync:source .rulesync/rules/style.md -->\n"
        "_Applies to files matching `**/*.py`._\n\n## Style\n\nShort names.\n"
    )


def test_gemini_subagent_follows_the_strict_schema(build_tree, run_cli) -> None:
    root = build_tree(
        {
            "rulesync.yaml": "targets: [gemini]\n",
            ".rulesync/subagents/r.md": (
                "---\nname: r\ndescription: R\ntools: [Read, Bash, Bash(git:*), NotebookEdit, mcp__x__y]\n"
                "model: opus\ncolor: blue\ntemperature: 0.2\n---\nGo.\n"
            ),
        }
    )
    result = run_cli("-C", root, "mirror")
    assert result.exit_code == 0
    text = (root / ".gemini/agents/r.md").read_text()
    front = yaml.safe_load(text.split("---")[1])
    assert front == {
        "name": "r",
        "description": "R",
        "tools": ["read_file", "run_shell_command"],
        "temperature": 0.2,
    }
    assert "tool `NotebookEdit` has no Gemini CLI equivalent" in result.stderr
    assert "tool `Bash(git:*)`: Gemini subagents take no tool patterns" in result.stderr


def test_gemini_restricted_tools_stay_restricted(build_tree, run_cli) -> None:
    root = build_tree(
        {
            "rulesync.yaml": "targets: [gemini]\n",
            ".rulesync/subagents/r.md": "---\nname: r\ndescription: R\ntools: [NotebookEdit]\n---\nGo.\n",
        }
    )
    run_cli("-C", root, "mirror")
    assert "tools: []" in (root / ".gemini/agents/r.md").read_text()


def test_codex_subagent_toml_and_read_only_sandbox(build_tree, run_cli) -> None:
    root = build_tree(BASE)
    run_cli("-C", root, "mirror")
    agent = tomllib.loads((root / ".codex/agents/helper.toml").read_text())
    assert agent == {
        "name": "helper",
        "description": "Helps",
        "sandbox_mode": "read-only",
        "developer_instructions": "You help.\n",
    }


def test_codex_gets_commands_as_skills(build_tree, run_cli) -> None:
    root = build_tree(
        {**BASE, ".rulesync/commands/frontend/New_Component.md": "Make $ARGUMENTS.\n"}
    )
    run_cli("-C", root, "mirror")
    skill = (root / ".codex/skills/frontend-new-component/SKILL.md").read_text()
    front = yaml.safe_load(skill.split("---")[1])
    assert front == {
        "name": "frontend-new-component",
        "description": "The /frontend/New_Component command.",
    }
    assert "Make $ARGUMENTS." in skill
    assert (root / ".claude/commands/frontend/New_Component.md").exists()
    assert (root / ".gemini/commands/frontend/New_Component.toml").exists()


def test_skill_written_once_when_gemini_alone_uses_gemini_folder(build_tree, run_cli) -> None:
    root = build_tree({**BASE, "rulesync.yaml": "targets: [gemini]\n"})
    run_cli("-C", root, "mirror")
    assert (root / ".gemini/skills/review/SKILL.md").exists()
    assert not (root / ".agents").exists()


def test_skill_differing_between_gemini_and_codex_goes_to_each_own_folder(
    build_tree, run_cli
) -> None:
    skill = "---\nname: review\ndescription: R\n---\n<!-- only: gemini -->\nG\n<!-- /only -->\n"
    root = build_tree({**BASE, ".rulesync/skills/review/SKILL.md": skill})
    result = run_cli("-C", root, "mirror")
    assert result.exit_code == 0, result.stderr
    assert not (root / ".agents/skills/review").exists()  # both CLIs would read it
    assert "G" in (root / ".gemini/skills/review/SKILL.md").read_text().split("---")[-1]
    assert "G" not in (root / ".codex/skills/review/SKILL.md").read_text().split("---")[-1]


def test_large_agents_md_warns(build_tree, run_cli) -> None:
    big = "---\nroot: true\n---\n" + ("word " * 8000) + "\n"
    root = build_tree({"rulesync.yaml": "targets: [codex]\n", ".rulesync/rules/main.md": big})
    result = run_cli("-C", root, "mirror")
    assert result.exit_code == 0
    size = (root / "AGENTS.md").stat().st_size
    assert size > 40_000
    assert f"AGENTS.md: is {size:,} bytes; Codex reads only the first 32,768" in result.stderr


def test_gemini_positional_argument_warns_with_line(build_tree, run_cli) -> None:
    root = build_tree(
        {
            "rulesync.yaml": "targets: [gemini]\n",
            ".rulesync/commands/x.md": "---\ndescription: d\n---\nfirst\nuse $1 here\n",
        }
    )
    result = run_cli("-C", root, "mirror")
    assert result.exit_code == 0
    assert (
        "warning: .rulesync/commands/x.md:5: positional `$1` has no Gemini CLI equivalent"
        in result.stderr
    )


def test_skill_support_files_keep_their_exec_bit(build_tree, run_cli) -> None:
    root = build_tree({**BASE, ".rulesync/skills/review/run.sh": "#!/bin/sh\necho\n"})
    (root / ".rulesync/skills/review/run.sh").chmod(0o755)
    run_cli("-C", root, "mirror")
    assert (root / ".claude/skills/review/run.sh").stat().st_mode & 0o111
    assert not (root / ".claude/skills/review/notes/checklist.md").stat().st_mode & 0o111


def test_crlf_source_gives_lf_output(build_tree, run_cli) -> None:
    root = build_tree(
        {
            **BASE,
            ".rulesync/rules/main.md": "---\r\nroot: true\r\n---\r\n# Main\r\n\r\nBe brief.\r\n",
        }
    )
    run_cli("-C", root, "mirror")
    assert b"\r" not in (root / "CLAUDE.md").read_bytes()
    assert "# Main\n\nBe brief.\n" in (root / "CLAUDE.md").read_text()


def test_fail_on_change_exits_1_only_when_files_changed(build_tree, run_cli) -> None:
    root = build_tree(BASE)
    assert run_cli("-C", root, "mirror", "--fail-on-change").exit_code == 1
    assert run_cli("-C", root, "mirror", "--fail-on-change").exit_code == 0


def test_claude_only_subagent_fields_pass_through_to_claude_alone(build_tree, run_cli) -> None:
    agent = (
        "---\nname: r\ndescription: R\ntools: []\nmax_turns: 5\npermissionMode: plan\n"
        "skills: [pdf]\n---\nGo.\n"
    )
    root = build_tree(
        {"rulesync.yaml": "targets: [claude, gemini]\n", ".rulesync/subagents/r.md": agent}
    )
    result = run_cli("-C", root, "mirror")
    assert result.exit_code == 0
    claude = yaml.safe_load((root / ".claude/agents/r.md").read_text().split("---")[1])
    assert claude == {
        "name": "r",
        "description": "R",
        "tools": [],
        "maxTurns": 5,
        "permissionMode": "plan",
        "skills": ["pdf"],
    }
    gemini = yaml.safe_load((root / ".gemini/agents/r.md").read_text().split("---")[1])
    assert gemini == {"name": "r", "description": "R", "tools": [], "max_turns": 5}
    assert "permissionMode" not in result.stderr  # another agent's key is not a warning


def test_skill_flag_and_match_all_globs(build_tree, run_cli) -> None:
    root = build_tree(
        {
            "rulesync.yaml": "targets: [claude]\n",
            ".rulesync/rules/a.md": "---\nroot: true\nglobs: ['**/*']\n---\nAll files.\n",
            ".rulesync/skills/s/SKILL.md": "---\nname: s\ndescription: S\ndisable-model-invocation: true\n---\nS.\n",
        }
    )
    run_cli("-C", root, "mirror")
    assert "Applies to" not in (root / "CLAUDE.md").read_text()
    assert "disable-model-invocation: true" in (root / ".claude/skills/s/SKILL.md").read_text()


def test_partial_run_after_a_full_one_skips_rendering(build_tree, run_cli, monkeypatch) -> None:
    import rulesync.sync.plan

    root = build_tree(BASE)
    run_cli("-C", root, "mirror")
    plan = rulesync.sync.plan.make_plan(root, ["gemini"])
    assert plan.rendered is False
    assert {c.path for c in plan.changes} == {
        "GEMINI.md",
        ".gemini/commands/fix.toml",
        ".gemini/agents/helper.md",
        ".agents/skills/review/SKILL.md",
        ".agents/skills/review/notes/checklist.md",
    }
    (root / "GEMINI.md").write_text("hand edit\n")
    assert rulesync.sync.plan.make_plan(root, ["gemini"]).conflicts[0].path == "GEMINI.md"


def test_warnings_are_shown_again_when_nothing_changed(build_tree, run_cli) -> None:
    big = "---\nroot: true\n---\n" + ("word " * 8000) + "\n"
    root = build_tree({"rulesync.yaml": "targets: [codex]\n", ".rulesync/rules/main.md": big})
    first = run_cli("-C", root, "mirror")
    second = run_cli("-C", root, "mirror")
    assert second.stdout.startswith("mirror: nothing to do")
    assert "Codex reads only the first 32,768" in first.stderr
    assert second.stderr == first.stderr


def test_crlf_checkout_keeps_the_fast_path_and_is_noted(build_tree, run_cli) -> None:
    import rulesync.sync.plan

    root = build_tree(BASE)
    run_cli("-C", root, "mirror")
    claude = root / "CLAUDE.md"
    claude.write_bytes(claude.read_bytes().replace(b"\n", b"\r\n"))
    plan = rulesync.sync.plan.make_plan(root)
    assert plan.rendered is False
    assert not plan.pending
    assert plan.notes == (
        "CLAUDE.md: CRLF line endings on disk; content matches (rulesync writes LF: set "
        "`* text=auto eol=lf` in .gitattributes to silence this)",
    )


def test_lock_is_the_same_on_every_machine(build_tree, run_cli, tmp_path: Path) -> None:
    """The lock is committed: it must not depend on where rulesync is installed or when."""
    import rulesync.sync.fingerprint as fingerprint

    root = build_tree(BASE)
    run_cli("-C", root, "mirror")
    lock = (root / ".rulesync/mirror.lock").read_bytes()
    fingerprint._code_fingerprint.cache_clear()
    for path in (Path(fingerprint.__file__).parent.parent / "targets").glob("*.py"):
        path.touch()  # a fresh install has other modification times
    (root / ".rulesync/mirror.lock").unlink()
    run_cli("-C", root, "mirror")
    assert (root / ".rulesync/mirror.lock").read_bytes() == lock
    assert str(Path(fingerprint.__file__).parent.parent).encode() not in lock
